import type { Job } from 'bullmq';

import { GENERIC_FAILURE_CODE } from '../job-errors.js';
import type { BackoffOptions, JobErrorInfo, JobInfo, JobState } from '../job-types.js';

// How a Lumio job is stored in a BullMQ job, and read back.

/** The BullMQ job's `data`: the payload and the options BullMQ has no field for. */
export interface BullmqJobData {
  payload: unknown;
  concurrencyKey: string | null;
  backoff: BackoffOptions;
}

/**
 * BullMQ backoff type that makes the worker's `backoffStrategy` compute the wait with
 * `computeBackoffDelay`, as the embedded queue does.
 */
export const LUMIO_BACKOFF_TYPE = 'lumio';

/** failedReason BullMQ (5.x) stores when a job stalled more than maxStalledCount times. */
const BULLMQ_STALLED_REASON = 'job stalled more than allowable limit';

const CODED_REASON = /^([A-Z][A-Z0-9_]*): ([\s\S]*)$/;

/** Formats an error as BullMQ's failedReason, `CODE: message`, so the code survives in Redis. */
export function formatFailureReason(error: JobErrorInfo): string {
  return `${error.code}: ${error.message}`;
}

/** Returns true when BullMQ failed the job itself, without calling the processor, because it stalled too often. */
export function isStallFailure(reason: string): boolean {
  return reason === BULLMQ_STALLED_REASON;
}

/** Reads a failedReason back into a code and a message. */
export function parseFailureReason(reason: string): JobErrorInfo {
  if (isStallFailure(reason)) {
    return { code: 'JOB_STALLED', message: reason };
  }
  const match = CODED_REASON.exec(reason);
  return match ? { code: match[1] as string, message: match[2] as string } : { code: GENERIC_FAILURE_CODE, message: reason };
}

const STATES: Record<string, JobState> = {
  waiting: 'waiting',
  prioritized: 'waiting',
  'waiting-children': 'waiting',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'dead',
};

/** Maps a BullMQ state to the contract's; null for `unknown` (the job is gone). */
export function toJobState(state: string): JobState | null {
  return STATES[state] ?? null;
}

export function toJobInfo(job: Job, state: JobState): JobInfo {
  const data = (job.data ?? {}) as Partial<BullmqJobData>;
  return {
    id: String(job.id),
    name: job.name,
    payload: data.payload ?? null,
    state,
    priority: job.priority ?? 0,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    concurrencyKey: data.concurrencyKey ?? null,
    createdAt: job.timestamp,
    finishedAt: job.finishedOn ?? null,
    result: state === 'completed' ? (job.returnvalue ?? null) : null,
    lastError: job.failedReason ? parseFailureReason(job.failedReason) : null,
  };
}
