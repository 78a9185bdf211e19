import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import type { JobRepository, Store, StoredJob } from '../../store/index.js';
import { checkJobName, isValidJobId, prepareJob, resolveConcurrency, resolveListLimit, resolveSettings, type ResolvedJobQueueSettings } from '../job-options.js';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue, JobQueueSettings, ProcessOptions } from '../job-types.js';
import { jobIdConflictError, jobQueueClosedError, handlerExistsError } from '../queue-errors.js';
import { EmbeddedWorker } from './embedded-worker.js';

export interface EmbeddedJobQueueOptions extends JobQueueSettings {
  /** The store whose `jobs` table contains the queue. The caller opens and closes it. */
  store: Store;
  /**
   * Maximum time a worker sleeps before it looks for due jobs again, in milliseconds.
   * Jobs enqueued through the same queue instance wake its workers at once; jobs from
   * other processes wait for this poll. Default 1000.
   */
  pollIntervalMs?: number;
}

/** How often completed jobs past their retention are deleted. */
const PURGE_INTERVAL_MS = 60 * 60_000;

/**
 * Creates the job queue on the store's database (SQLite or PostgreSQL). Every process
 * that opens the same database shares the queue.
 */
export function createEmbeddedJobQueue(options: EmbeddedJobQueueOptions): JobQueue {
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  if (!Number.isSafeInteger(pollIntervalMs) || pollIntervalMs < 1 || pollIntervalMs > 3_600_000) {
    throw new LumioError('JOB_QUEUE_SETTINGS_INVALID', `The job option pollIntervalMs is ${String(pollIntervalMs)}; pass an integer from 1 to 3600000.`, {
      status: 500,
      fault: 'platform',
      details: { option: 'pollIntervalMs' },
    });
  }
  return new EmbeddedJobQueue(options.store.jobs, resolveSettings(options), pollIntervalMs, () => options.store.ping());
}

class EmbeddedJobQueue implements JobQueue {
  readonly backend = 'embedded';
  readonly #jobs: JobRepository;
  readonly #pingStore: () => Promise<void>;
  readonly #settings: ResolvedJobQueueSettings;
  readonly #pollIntervalMs: number;
  readonly #log: Logger;
  readonly #workers = new Map<string, EmbeddedWorker>();
  #closed = false;
  #maintenanceTimer: NodeJS.Timeout | undefined;
  #maintenance: Promise<void> | null = null;
  #lastPurgeAt = 0;

  constructor(jobs: JobRepository, settings: ResolvedJobQueueSettings, pollIntervalMs: number, pingStore: () => Promise<void>) {
    this.#jobs = jobs;
    this.#pingStore = pingStore;
    this.#settings = settings;
    this.#pollIntervalMs = pollIntervalMs;
    this.#log = settings.logger.child({ component: 'jobs', backend: 'embedded' });
  }

  async enqueue<Payload>(name: string, payload: Payload, options?: EnqueueOptions): Promise<string> {
    if (this.#closed) throw jobQueueClosedError();
    const job = prepareJob(name, payload, options, this.#settings);

    const now = Date.now();
    const { created, job: stored } = await this.#jobs.insert({
      id: job.id,
      name: job.name,
      payload: job.payload,
      priority: job.priority,
      runAt: now + job.delayMs,
      maxAttempts: job.attempts,
      backoffType: job.backoff.type,
      backoffDelayMs: job.backoff.delayMs,
      concurrencyKey: job.concurrencyKey,
      createdAt: now,
    });
    if (!created && stored.name !== job.name) {
      throw jobIdConflictError(job.id, stored.name, job.name);
    }

    if (created) this.#log.debug({ jobId: job.id, jobName: job.name, delayMs: job.delayMs, priority: job.priority }, 'job enqueued');
    else this.#log.debug({ jobId: job.id, jobName: job.name }, 'job already enqueued under this id; nothing added');

    // A delayed job wakes the worker too, so it shortens its sleep to the new due time.
    this.#workers.get(job.name)?.wake();
    return job.id;
  }

  async process<Payload>(name: string, handler: JobHandler<Payload>, options?: ProcessOptions): Promise<void> {
    if (this.#closed) throw jobQueueClosedError();
    checkJobName(name);
    const concurrency = resolveConcurrency(options);
    if (this.#workers.has(name)) throw handlerExistsError(name);

    const worker = new EmbeddedWorker({
      jobs: this.#jobs,
      name,
      handler: handler as JobHandler,
      concurrency,
      settings: this.#settings,
      pollIntervalMs: this.#pollIntervalMs,
      onKeyReleased: () => this.#wakeAll(),
    });
    this.#workers.set(name, worker);
    worker.start();
    if (this.#workers.size === 1) this.#startMaintenance();
  }

  async getJob(id: string): Promise<JobInfo | null> {
    if (!isValidJobId(id)) return null;

    const stored = await this.#jobs.get(id);
    return stored ? toJobInfo(stored, Date.now()) : null;
  }

  async listDeadJobs(name: string, options?: { limit?: number }): Promise<JobInfo[]> {
    checkJobName(name);
    const limit = resolveListLimit(options?.limit);

    const now = Date.now();
    return (await this.#jobs.listDead(name, limit)).map((job) => toJobInfo(job, now));
  }

  async retryDeadJob(id: string): Promise<boolean> {
    if (!isValidJobId(id)) return false;

    const retried = await this.#jobs.retryDead(id, Date.now());
    if (retried) {
      this.#log.info({ jobId: id }, 'dead job moved back to waiting');
      this.#wakeAll();
    }
    return retried;
  }

  ping(): Promise<void> {
    return this.#pingStore();
  }

  async close(): Promise<void> {
    if (this.#closed) return;

    this.#closed = true;
    clearTimeout(this.#maintenanceTimer);
    await Promise.all([...this.#workers.values()].map((worker) => worker.stop()));
    await this.#maintenance;
  }

  #wakeAll(): void {
    for (const worker of this.#workers.values()) worker.wake();
  }

  /** Takes back stalled jobs now and every `stalledIntervalMs`, and deletes old completed jobs hourly. */
  #startMaintenance(): void {
    const round = async () => {
      await this.#requeueStalled();
      await this.#purgeWhenDue();
    };
    const schedule = () => {
      this.#maintenanceTimer = setTimeout(() => {
        this.#maintenance = round().finally(() => {
          if (!this.#closed) schedule();
        });
      }, this.#settings.stalledIntervalMs);
    };

    this.#maintenance = round().finally(() => {
      if (!this.#closed) schedule();
    });
  }

  async #requeueStalled(): Promise<void> {
    try {
      const stalled = await this.#jobs.requeueStalled(Date.now(), this.#settings.maxStalledCount);
      for (const job of stalled) {
        const fields = { jobId: job.id, jobName: job.name, stalledCount: job.stalledCount };
        if (job.status === 'dead') this.#log.error(fields, 'job stalled more often than maxStalledCount allows and moved to the dead-letter list');
        else this.#log.warn(fields, 'job taken back from a worker that stopped extending its lock; it runs again');
      }
      if (stalled.length > 0) this.#wakeAll();
    } catch (error) {
      this.#log.error({ err: error }, 'looking for stalled jobs failed; trying again at the next interval');
    }
  }

  async #purgeWhenDue(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPurgeAt < PURGE_INTERVAL_MS) return;
    this.#lastPurgeAt = now;

    try {
      const purged = await this.#jobs.purgeCompleted(now - this.#settings.completedRetentionMs);
      if (purged > 0) this.#log.info({ purged, retentionMs: this.#settings.completedRetentionMs }, 'old completed jobs deleted');
    } catch (error) {
      this.#log.error({ err: error }, 'deleting old completed jobs failed; trying again in an hour');
    }
  }
}

function toJobInfo(job: StoredJob, now: number): JobInfo {
  const state = job.status === 'waiting' && job.runAt > now ? 'delayed' : job.status;
  return {
    id: job.id,
    name: job.name,
    payload: job.payload,
    state,
    priority: job.priority,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.maxAttempts,
    concurrencyKey: job.concurrencyKey,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    result: job.status === 'completed' ? job.result : null,
    lastError: job.lastErrorCode === null ? null : { code: job.lastErrorCode, message: job.lastErrorMessage ?? '' },
  };
}
