import type { JobHandler } from './job-types.js';

/** Name of a job that does nothing, for checking that workers run and for benchmarks. */
export const NOOP_JOB_NAME = 'noop';

/** Completes at once and returns null. */
export const runNoopJob: JobHandler = () => null;
