import { LumioError, isLumioError } from '../errors/index.js';
import { NonRetryableJobError, type JobContext, type JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import { ACTIVE_SYNC_RUN_STATUSES, type Store } from '../store/index.js';
import { recoverRuns } from './run-recovery.js';
import { RunLog } from './run-log.js';
import { SyncScheduler } from './schedule/sync-scheduler.js';
import type { SyncEngine } from './sync-engine.js';
import { SYNC_RUN_JOB, SYNC_SCHEDULE_JOB, type SyncRunJobPayload, type SyncScheduleJobPayload } from './sync-jobs.js';
import type { SyncService } from './sync-service.js';

export interface SyncWorkerOptions {
  store: Store;
  jobs: JobQueue;
  engine: SyncEngine;
  /** Starts the runs of schedule slots. */
  service: SyncService;
  logger: Logger;
  /** Runs this process executes at the same time. */
  concurrency: number;
  /** How often this process enqueues due schedule slots and repairs runs without a job, in milliseconds. */
  schedulerIntervalMs: number;
}

/** Schedule slots one process turns into runs at the same time; each takes a few queries. */
const SCHEDULE_CONCURRENCY = 2;

/**
 * Executes sync runs from the job queue in this process, turns schedule slots into runs,
 * and every `schedulerIntervalMs` enqueues due slots and repairs runs no job will finish.
 */
export class SyncWorker {
  readonly #options: SyncWorkerOptions;
  readonly #log: Logger;
  readonly #scheduler: SyncScheduler;
  /** Runs executing in this process, by run id. Aborting one stops it after the page in flight. */
  readonly #running = new Map<string, AbortController>();
  #stopping = false;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | null = null;

  constructor(options: SyncWorkerOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'sync-worker' });
    this.#scheduler = new SyncScheduler({ store: options.store, jobs: options.jobs, logger: this.#log });
  }

  /** Registers the job handlers and starts the schedule loop, with a first round at once. */
  async start(): Promise<void> {
    const { jobs, concurrency } = this.#options;
    await jobs.process<SyncRunJobPayload>(SYNC_RUN_JOB, (job) => this.#runJob(job), { concurrency });
    await jobs.process<SyncScheduleJobPayload>(SYNC_SCHEDULE_JOB, (job) => this.#startScheduledRun(job), { concurrency: SCHEDULE_CONCURRENCY });

    this.#round = this.#maintain();
    this.#log.info({ concurrency, schedulerIntervalMs: this.#options.schedulerIntervalMs }, 'sync worker started');
  }

  /**
   * Stops the schedule loop and the runs of this process after their page in flight. Their
   * jobs fail with SYNC_RUN_INTERRUPTED and are retried, in any process, from the runs'
   * checkpoints. Close the job queue afterwards; it waits for the handlers to return.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    for (const controller of this.#running.values()) controller.abort(stoppingError());
    await this.#round;
    this.#log.info({ interruptedRuns: this.#running.size }, 'sync worker stopped');
  }

  /** Executes one attempt of a run job. A run that fails is recorded as failed and its job completes. */
  async #runJob(job: JobContext<SyncRunJobPayload>): Promise<unknown> {
    const { store, engine } = this.#options;
    const runId = readRunId(job.payload);
    if (this.#stopping) throw runInterruptedError(runId, stoppingError());

    const run = await store.syncRuns.get(runId);
    if (!run) {
      // Deleting a connection deletes its runs; its queued jobs have nothing left to do.
      this.#log.warn({ runId, jobId: job.id }, 'the sync run of this job no longer exists; nothing to do');
      return { runId, status: 'missing' };
    }
    if (!ACTIVE_SYNC_RUN_STATUSES.includes(run.status)) return { runId, status: run.status };

    const controller = new AbortController();
    this.#running.set(runId, controller);
    // NOTE: a worker that lost its job lock stops only after its page in flight, so for one
    // page it may write beside the worker that took the job over. Record upserts are
    // idempotent, but its checkpoint can move the saved position back by that page.
    const signal = AbortSignal.any([job.signal, controller.signal]);
    const runLog = new RunLog(store.syncRunLogs, runId, job.attempt, this.#log);
    try {
      const outcome = await engine.execute(run, { signal, log: runLog });
      if (outcome === 'succeeded') return { runId, status: 'succeeded' };
    } catch (error) {
      if (!signal.aborted) {
        await engine.fail(run, error, runLog);
        return { runId, status: 'failed', code: isLumioError(error) ? error.code : 'SYNC_FAILED' };
      }
    } finally {
      this.#running.delete(runId);
    }

    // Stopped by stop() or by a lost job lock: the run keeps its checkpoint, and the failed
    // attempt makes the queue run the job again (in another worker, after a lost lock).
    runLog.interrupted(signal.reason);
    await runLog.flush();
    this.#log.info({ runId, jobId: job.id, attempt: job.attempt }, 'sync run interrupted; its job is retried from the checkpoint');
    throw runInterruptedError(runId, signal.reason);
  }

  /** Starts the run of a schedule slot, unless one of that connection and object is already queued or running. */
  async #startScheduledRun(job: JobContext<SyncScheduleJobPayload>): Promise<unknown> {
    const { store, service } = this.#options;
    const { connectionId, object, mode, slotAt } = job.payload;
    const slot = new Date(slotAt).toISOString();

    const connection = await store.connections.get(connectionId);
    if (!connection || connection.status !== 'connected') {
      this.#log.info({ connectionId, object, slot, status: connection?.status ?? 'deleted' }, 'scheduled sync skipped: the connection is not connected');
      return { skipped: 'not_connected' };
    }

    try {
      const { run, alreadyRunning } = await service.start({ workspaceId: connection.workspaceId, connection, object, mode, trigger: 'schedule' });
      if (alreadyRunning) this.#log.info({ connectionId, object, slot, runId: run.id }, 'scheduled sync skipped: a run of this object is already queued or running');
      return { runId: run.id, alreadyRunning };
    } catch (error) {
      // A schedule whose object the connector no longer declares fails the same way at every
      // slot, so it is logged and skipped instead of retried.
      if (isLumioError(error) && error.fault === 'caller') {
        this.#log.warn({ connectionId, object, slot, code: error.code, message: error.message }, 'scheduled sync skipped: the schedule cannot start a run');
        return { skipped: error.code };
      }
      throw error;
    }
  }

  /** Runs one maintenance round, then schedules the next until stop(). */
  async #maintain(): Promise<void> {
    const { store, jobs, engine } = this.#options;
    try {
      await this.#scheduler.tick();
      const recovered = await recoverRuns({ store, jobs, engine, logger: this.#log });
      if (recovered.enqueued > 0 || recovered.failed > 0) this.#log.info({ ...recovered }, 'sync runs without a working job repaired');
    } catch (error) {
      this.#log.error({ err: error }, 'the sync maintenance round failed; it runs again at the next interval');
    }

    if (this.#stopping) return;
    this.#timer = setTimeout(() => {
      this.#round = this.#maintain();
    }, this.#options.schedulerIntervalMs);
  }
}

function stoppingError(): Error {
  return new Error('The sync worker of this process is stopping.');
}

function readRunId(payload: SyncRunJobPayload): string {
  const runId = (payload as Partial<SyncRunJobPayload> | null)?.runId;
  if (typeof runId !== 'string' || runId === '') {
    throw new NonRetryableJobError('SYNC_JOB_INVALID', `A ${SYNC_RUN_JOB} job must carry {"runId": "<run id>"}, got ${JSON.stringify(payload).slice(0, 200)}.`, { status: 400, fault: 'platform' });
  }
  return runId;
}

/** Raised for a run a worker stopped before the end; the job is retried and the run resumes from its checkpoint. */
function runInterruptedError(runId: string, reason: unknown): LumioError {
  const reasonText = reason instanceof Error ? reason.message : String(reason);
  return new LumioError('SYNC_RUN_INTERRUPTED', `Sync run ${runId} stopped before it finished and resumes from its checkpoint at the next attempt. Reason: ${reasonText}`, {
    status: 503,
    fault: 'platform',
    details: { runId },
    cause: reason,
  });
}
