// The durable job queue behind one interface: the embedded queue in the database (SQLite
// or PostgreSQL) by default, BullMQ when Redis is configured.
export { createJobQueue } from './create-job-queue.js';
export type { CreateJobQueueOptions } from './create-job-queue.js';
export { createEmbeddedJobQueue } from './embedded/embedded-job-queue.js';
export type { EmbeddedJobQueueOptions } from './embedded/embedded-job-queue.js';
export { createBullmqJobQueue } from './bullmq/bullmq-job-queue.js';
export type { BullmqJobQueueOptions } from './bullmq/bullmq-job-queue.js';
export { NonRetryableJobError, isNonRetryable } from './job-errors.js';
export { computeBackoffDelay, MAX_BACKOFF_MS } from './backoff.js';
export { MAX_ATTEMPTS, MAX_CONCURRENCY, MAX_PAYLOAD_BYTES, MAX_PRIORITY } from './job-options.js';
export { NOOP_JOB_NAME, runNoopJob } from './noop-job.js';
export type {
  BackoffOptions,
  EnqueueOptions,
  JobContext,
  JobErrorInfo,
  JobHandler,
  JobInfo,
  JobQueue,
  JobQueueSettings,
  JobState,
  ProcessOptions,
} from './job-types.js';
