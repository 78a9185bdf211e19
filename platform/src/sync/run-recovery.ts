import { LumioError } from '../errors/index.js';
import type { JobInfo, JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import { ACTIVE_SYNC_RUN_STATUSES, type Store, type SyncRun } from '../store/index.js';
import type { SyncEngine } from './sync-engine.js';
import { enqueueRunJob } from './sync-jobs.js';

export interface RecoverRunsOptions {
  store: Store;
  jobs: JobQueue;
  engine: SyncEngine;
  logger: Logger;
}

export interface RecoveryResult {
  /** Runs that had no job and got one. */
  enqueued: number;
  /** Runs whose job had ended without ending the run, now marked failed. */
  failed: number;
}

/**
 * Repairs queued and running runs that no job will finish. A run without a job (one a
 * version before the job queue left unfinished, or one whose enqueue was lost with its
 * process) gets its job, and resumes from its checkpoint. A run whose job is dead, or
 * completed without ending the run, is marked failed, so it stops blocking new runs of its
 * connection and object. Runs whose worker died need nothing here: their job is taken
 * over once its lock expires.
 */
export async function recoverRuns(options: RecoverRunsOptions): Promise<RecoveryResult> {
  const { store, jobs, logger } = options;
  const result: RecoveryResult = { enqueued: 0, failed: 0 };

  for (const run of await store.syncRuns.listByStatus(ACTIVE_SYNC_RUN_STATUSES)) {
    const job = await jobs.getJob(run.id);
    if (job === null) {
      // The job id is the run id, so a start that enqueues at the same moment adds nothing.
      await enqueueRunJob(jobs, run);
      logger.warn({ runId: run.id, connectionId: run.connectionId, object: run.object, status: run.status }, 'sync run had no job; enqueued one, and the run resumes from its checkpoint');
      result.enqueued += 1;
      continue;
    }

    if (job.state === 'dead' || job.state === 'completed') {
      await options.engine.fail(run, endedJobError(run, job));
      result.failed += 1;
    }
  }
  return result;
}

function endedJobError(run: SyncRun, job: JobInfo): LumioError {
  if (job.state === 'dead') {
    const cause = job.lastError ? `${job.lastError.code}: ${job.lastError.message}` : 'no error was recorded';
    return new LumioError(job.lastError?.code ?? 'SYNC_JOB_DEAD', `The job of sync run ${run.id} moved to the dead-letter list (${cause}); start a new sync.`, {
      status: 500,
      fault: 'platform',
      details: { runId: run.id, jobId: job.id },
    });
  }
  return new LumioError('SYNC_JOB_ENDED', `The job of sync run ${run.id} completed without finishing the run; start a new sync.`, {
    status: 500,
    fault: 'platform',
    details: { runId: run.id, jobId: job.id },
  });
}
