import type { JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';

/** Name of the job that deletes audit entries older than the retention period. */
export const AUDIT_RETENTION_JOB = 'audit.retention';

/** How often a retention job is enqueued, in milliseconds. */
const DEFAULT_INTERVAL_MS = 60 * 60_000;
/** Entries deleted per statement; small batches keep each write lock short on SQLite. */
const DELETE_BATCH_SIZE = 1_000;
const DAY_MS = 86_400_000;

export interface AuditRetentionOptions {
  store: Store;
  jobs: JobQueue;
  logger: Logger;
  /** Days entries are kept (LUMIO_AUDIT_RETENTION_DAYS). */
  retentionDays: number;
  /** How often a job is enqueued, in milliseconds. Default one hour. */
  intervalMs?: number;
}

/** Payload of a retention job: the start of the interval it was enqueued for, in epoch milliseconds. */
export interface AuditRetentionJobPayload {
  slotAt: number;
}

/**
 * Deletes audit entries older than the retention period, as a job on the platform's queue.
 * Every process that runs workers enqueues one job per interval under the same job id, so
 * the queue runs one deletion per interval however many processes there are.
 */
export class AuditRetention {
  readonly #options: AuditRetentionOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AuditRetentionOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'audit-retention' });
  }

  /** Registers the job handler and enqueues the current interval's job, then one per interval. */
  async start(): Promise<void> {
    const { jobs } = this.#options;
    await jobs.process<AuditRetentionJobPayload>(AUDIT_RETENTION_JOB, async () => {
      const deleted = await this.purge();
      return { deleted };
    });

    await this.#enqueueCurrent();
    const intervalMs = this.#options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#timer = setInterval(() => void this.#enqueueCurrent(), intervalMs);
    this.#timer.unref();
  }

  /** Stops enqueueing. Close the job queue afterwards; it waits for a running job. */
  stop(): void {
    clearInterval(this.#timer);
  }

  /** Deletes entries that occurred before the retention period, in batches. Returns how many it deleted. */
  async purge(nowMs = Date.now()): Promise<number> {
    const { store, retentionDays } = this.#options;
    const cutoff = nowMs - retentionDays * DAY_MS;

    let total = 0;
    for (;;) {
      const deleted = await store.auditLog.deleteOlderThan(cutoff, DELETE_BATCH_SIZE);
      total += deleted;
      if (deleted < DELETE_BATCH_SIZE) break;
    }

    if (total > 0) this.#log.info({ deleted: total, retentionDays, before: new Date(cutoff).toISOString() }, 'old audit entries deleted');
    return total;
  }

  async #enqueueCurrent(): Promise<void> {
    const intervalMs = this.#options.intervalMs ?? DEFAULT_INTERVAL_MS;
    const slotAt = Math.floor(Date.now() / intervalMs) * intervalMs;
    try {
      await this.#options.jobs.enqueue<AuditRetentionJobPayload>(AUDIT_RETENTION_JOB, { slotAt }, { jobId: `audit-retention-${slotAt}`, attempts: 3 });
    } catch (error) {
      this.#log.warn({ err: error, slotAt: new Date(slotAt).toISOString() }, 'enqueueing the audit retention job failed; the next interval tries again');
    }
  }
}
