import { randomUUID } from 'node:crypto';

import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import type { JobRepository, StoredJob } from '../../store/index.js';
import { computeBackoffDelay } from '../backoff.js';
import { describeJobError, isNonRetryable } from '../job-errors.js';
import { prepareResult, type ResolvedJobQueueSettings } from '../job-options.js';
import type { JobHandler } from '../job-types.js';
import { CompletionBatcher } from './completion-batcher.js';

export interface EmbeddedWorkerOptions {
  jobs: JobRepository;
  name: string;
  handler: JobHandler;
  concurrency: number;
  settings: ResolvedJobQueueSettings;
  /** Maximum time between two claims of due jobs, in milliseconds. */
  pollIntervalMs: number;
  /** Called when a job with a concurrency key finished, so every worker of the queue looks again. */
  onKeyReleased(): void;
}

/** A claimed job the worker runs. `finishing` is set once the handler returned and its outcome is being stored. */
interface RunningJob {
  controller: AbortController;
  finishing: boolean;
}

/**
 * Runs the jobs of one name from the database, up to `concurrency` at a time. It claims
 * due jobs under a lock that expires, extends the locks of its running jobs every third of
 * the lock time, and records each outcome only while the lock is still its own.
 */
export class EmbeddedWorker {
  readonly workerId = `job-worker-${randomUUID()}`;
  readonly #options: EmbeddedWorkerOptions;
  readonly #log: Logger;
  readonly #running = new Map<string, RunningJob>();
  readonly #completions: CompletionBatcher;
  #started = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #wokenEarly = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #idle: (() => void) | null = null;

  constructor(options: EmbeddedWorkerOptions) {
    this.#options = options;
    this.#completions = new CompletionBatcher(options.jobs, this.workerId);
    this.#log = options.settings.logger.child({ component: 'jobs', jobName: options.name, workerId: this.workerId });
  }

  start(): void {
    if (this.#started) return;

    this.#started = true;
    this.#loop = this.#run();
    this.#scheduleHeartbeat();
    this.#log.info({ concurrency: this.#options.concurrency }, 'job worker started');
  }

  /** Makes the worker look for due jobs now instead of at its next poll. */
  wake(): void {
    this.#wokenEarly = true;
    this.#wake?.();
  }

  /** Stops claiming jobs and waits until the running handlers have returned and their outcomes are stored. */
  async stop(): Promise<void> {
    if (!this.#started) return;

    this.#started = false;
    this.wake();
    await this.#loop;
    while (this.#running.size > 0) {
      await new Promise<void>((resolve) => (this.#idle = resolve));
    }
    clearTimeout(this.#heartbeat);
    this.#log.info('job worker stopped');
  }

  async #run(): Promise<void> {
    const { jobs, name, concurrency, settings } = this.#options;

    while (this.#started) {
      this.#wokenEarly = false;
      let sleepMs = this.#options.pollIntervalMs;
      try {
        const free = concurrency - this.#running.size;
        if (free > 0) {
          const claimed = await jobs.claim({ name, workerId: this.workerId, limit: free, lockMs: settings.lockMs, now: Date.now() });
          for (const job of claimed) void this.#runJob(job);
          if (claimed.length === free) continue;

          sleepMs = await this.#timeUntilDue();
        }
      } catch (error) {
        this.#log.error({ err: error }, 'claiming jobs failed; the worker tries again at its next poll');
      }
      if (!this.#wokenEarly && this.#started) await this.#sleep(sleepMs);
    }
  }

  /**
   * Returns the time until the next waiting job is due, at most the poll interval. A job
   * already due but blocked by its concurrency key also waits for the poll, unless a job
   * of this queue releasing a key wakes the worker first.
   */
  async #timeUntilDue(): Promise<number> {
    const next = await this.#options.jobs.nextRunAt(this.#options.name);
    const untilDue = next === null ? Number.POSITIVE_INFINITY : next - Date.now();
    return untilDue > 0 ? Math.min(untilDue, this.#options.pollIntervalMs) : this.#options.pollIntervalMs;
  }

  async #runJob(job: StoredJob): Promise<void> {
    const entry: RunningJob = { controller: new AbortController(), finishing: false };
    this.#running.set(job.id, entry);
    const attempt = job.attemptsMade + 1;
    const log = this.#log.child({ jobId: job.id, attempt });

    try {
      let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
      try {
        const value = await this.#options.handler({
          id: job.id,
          name: job.name,
          payload: job.payload,
          attempt,
          maxAttempts: job.maxAttempts,
          concurrencyKey: job.concurrencyKey,
          signal: entry.controller.signal,
        });
        outcome = { ok: true, result: prepareResult(value) };
      } catch (error) {
        outcome = { ok: false, error };
      }

      entry.finishing = true;
      if (outcome.ok) await this.#complete(job, outcome.result, log);
      else await this.#fail(job, outcome.error, log);
    } catch (error) {
      log.error({ err: error }, 'storing the outcome of a job failed; the job is taken back when its lock expires');
    } finally {
      this.#running.delete(job.id);
      if (this.#running.size === 0) this.#idle?.();
      if (job.concurrencyKey !== null) this.#options.onKeyReleased();
      else this.wake();
    }
  }

  async #complete(job: StoredJob, result: unknown, log: Logger): Promise<void> {
    const completed = await this.#completions.complete(job.id, result);
    if (!completed) {
      log.warn('the job lock expired before the job completed; the worker that took it over records the outcome');
      return;
    }
    log.debug('job completed');
  }

  async #fail(job: StoredJob, error: unknown, log: Logger): Promise<void> {
    const { code, message } = describeJobError(error);
    const failedAttempts = job.attemptsMade + 1;
    const retryable = !isNonRetryable(error) && failedAttempts < job.maxAttempts;
    const now = Date.now();
    const retryAt = retryable ? now + computeBackoffDelay({ type: job.backoffType, delayMs: job.backoffDelayMs }, failedAttempts) : null;

    const recorded = await this.#options.jobs.fail(job.id, this.workerId, { code, message, retryAt, now });
    if (!recorded) {
      log.warn({ code }, 'the job lock expired before the failure was stored; the worker that took it over records the outcome');
      return;
    }
    if (retryAt === null) log.error({ err: error, code, retryable: !isNonRetryable(error) }, 'job moved to the dead-letter list; retry it once the cause is fixed');
    else log.warn({ code, message, retryInMs: retryAt - now }, 'job attempt failed; it will be retried');
  }

  #scheduleHeartbeat(): void {
    const intervalMs = Math.max(1, Math.floor(this.#options.settings.lockMs / 3));
    this.#heartbeat = setTimeout(() => {
      void this.#extendLocks().finally(() => {
        if (this.#started || this.#running.size > 0) this.#scheduleHeartbeat();
      });
    }, intervalMs);
  }

  /**
   * Extends the locks of running jobs, and aborts the jobs whose lock another worker took
   * back. Jobs whose outcome is being stored keep their lock until it is stored, so a slow
   * write cannot let the job run again.
   */
  async #extendLocks(): Promise<void> {
    const ids = [...this.#running.keys()];
    if (ids.length === 0) return;

    let held: Set<string>;
    try {
      held = new Set(await this.#options.jobs.extendLocks(this.workerId, ids, Date.now() + this.#options.settings.lockMs));
    } catch (error) {
      this.#log.warn({ err: error, jobs: ids.length }, 'extending job locks failed; trying again at the next heartbeat');
      return;
    }

    for (const id of ids) {
      // A finishing job is no longer active once its outcome is stored, which is not a lost lock.
      const entry = this.#running.get(id);
      if (held.has(id) || !entry || entry.finishing) continue;

      this.#log.warn({ jobId: id }, 'lost a job lock while running the job; another worker may run it too, so the handler is aborted');
      entry.controller.abort(
        new LumioError('JOB_LOCK_LOST', `The lock of job ${id} expired and the job was taken back before the handler finished; stop the handler.`, {
          status: 503,
          fault: 'platform',
          details: { jobId: id },
        }),
      );
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }
}
