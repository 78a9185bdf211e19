import type { JobQueue } from '../jobs/index.js';
import type { SyncRun } from '../store/index.js';
import type { SyncMode } from './sync-state.js';

// The two job names of syncs and how they are enqueued, shared by the API process that
// starts runs, the scheduler and the workers that recover runs without a job.

/** Runs one sync run. The job id is the run id and the payload names the run. */
export const SYNC_RUN_JOB = 'sync.run';

/** Starts the run of one schedule slot, unless a run of that connection and object is already queued or running. */
export const SYNC_SCHEDULE_JOB = 'sync.schedule';

export interface SyncRunJobPayload {
  runId: string;
}

export interface SyncScheduleJobPayload {
  connectionId: string;
  object: string;
  mode: SyncMode;
  /** The slot, epoch milliseconds. */
  slotAt: number;
}

/**
 * Attempts of a run job. A run that fails is recorded as failed and its job completes. So
 * attempts are spent only when a worker stops mid-run (shutdown, lost lock) or cannot
 * record the outcome, and each such retry resumes from the run's checkpoint.
 */
const RUN_JOB_ATTEMPTS = 25;
const RUN_JOB_RETRY_DELAY_MS = 2_000;

/** Concurrency key of a run job: one run per connection and object at a time, across every worker. */
export function runConcurrencyKey(connectionId: string, object: string): string {
  return `${connectionId}:${object}`;
}

/**
 * Enqueues the job of a run. The job id is the run id, so enqueueing a run twice (a start
 * and a recovery racing) stores one job.
 */
export function enqueueRunJob(jobs: JobQueue, run: Pick<SyncRun, 'id' | 'connectionId' | 'object'>): Promise<string> {
  return jobs.enqueue<SyncRunJobPayload>(SYNC_RUN_JOB, { runId: run.id }, {
    jobId: run.id,
    concurrencyKey: runConcurrencyKey(run.connectionId, run.object),
    attempts: RUN_JOB_ATTEMPTS,
    backoff: { type: 'fixed', delayMs: RUN_JOB_RETRY_DELAY_MS },
  });
}

/** Job id of a schedule slot, the same in every process, so a slot is enqueued once. */
export function scheduleJobId(connectionId: string, object: string, slotAt: number): string {
  return `sync-schedule.${connectionId}.${object}.${slotAt}`;
}
