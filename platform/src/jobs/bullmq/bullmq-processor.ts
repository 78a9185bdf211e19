import { randomUUID } from 'node:crypto';

import { DelayedError, UnrecoverableError, type Job, type Processor } from 'bullmq';

import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import type { LockBackend } from '../../services/locks/index.js';
import { describeJobError, isNonRetryable } from '../job-errors.js';
import { prepareResult } from '../job-options.js';
import type { JobHandler } from '../job-types.js';
import { formatFailureReason, type BullmqJobData } from './bullmq-job-data.js';

export interface ProcessorOptions {
  handler: JobHandler;
  /** Redis locks of concurrency keys, one per key across every worker and process. */
  keyLocks: LockBackend;
  /** Time a concurrency key lock lasts unless extended, in milliseconds: the job lock time. */
  lockMs: number;
  /** Mean wait before a job whose key is held is tried again, in milliseconds. */
  keyRetryDelayMs: number;
  logger: Logger;
}

/** A held concurrency key: `lost` aborts when an extension finds the key gone. */
interface KeyLease {
  lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * Wraps a handler as a BullMQ processor. BullMQ (open source) has no per-key concurrency,
 * so a job with a concurrency key first takes a Redis lock on the key. When another job
 * has it, the job goes back to `delayed` for about `keyRetryDelayMs`, without using an
 * attempt, and is tried again. The lock lasts as long as the job lock and is extended
 * every third of that time, so the key of a worker that died frees itself.
 *
 * NOTE: a job that waits for its key loses its place in the priority order, because it
 * re-enters the queue when its delay ends, and it may wait longer than the key is busy.
 */
export function createProcessor(options: ProcessorOptions): Processor {
  return async (job: Job, token?: string, signal?: AbortSignal) => {
    const data = job.data as BullmqJobData;
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const log = options.logger.child({ jobId: job.id, attempt });

    let lease: KeyLease | null = null;
    if (data.concurrencyKey) {
      lease = await takeKey(options, data.concurrencyKey, String(job.id), log);
      if (!lease) {
        // Spread the retries, so jobs waiting for the same key do not all wake together.
        const waitMs = Math.round(options.keyRetryDelayMs * (0.5 + Math.random()));
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
    }

    try {
      const signals = [signal, lease?.lost].filter((candidate): candidate is AbortSignal => candidate !== undefined);
      const value = await options.handler({
        id: String(job.id),
        name: job.name,
        payload: data.payload,
        attempt,
        maxAttempts,
        concurrencyKey: data.concurrencyKey,
        signal: signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals),
      });
      const result = prepareResult(value);
      log.debug('job completed');
      return result;
    } catch (error) {
      throw toBullmqError(error, attempt, maxAttempts, log);
    } finally {
      await lease?.release();
    }
  };
}

/** Converts a handler error: non-retryable ones become BullMQ's UnrecoverableError, and the code goes into the message. */
function toBullmqError(error: unknown, attempt: number, maxAttempts: number, log: Logger): Error {
  const described = describeJobError(error);
  const retryable = !isNonRetryable(error);

  if (!retryable || attempt >= maxAttempts) log.error({ err: error, code: described.code, retryable }, 'job moved to the dead-letter list; retry it once the cause is fixed');
  else log.warn({ code: described.code, message: described.message }, 'job attempt failed; it will be retried');

  const reason = formatFailureReason(described);
  return retryable ? new Error(reason, { cause: error }) : new UnrecoverableError(reason);
}

async function takeKey(options: ProcessorOptions, key: string, jobId: string, log: Logger): Promise<KeyLease | null> {
  const { keyLocks, lockMs } = options;
  const token = `${jobId}:${randomUUID()}`;
  if (!(await keyLocks.tryAcquire(key, token, lockMs))) {
    log.debug({ concurrencyKey: key }, 'concurrency key is held by another job; the job waits');
    return null;
  }

  const lost = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const extend = async () => {
    let held = false;
    try {
      held = await keyLocks.extend(key, token, lockMs);
    } catch (error) {
      log.warn({ err: error, concurrencyKey: key }, 'extending a concurrency key lock failed');
    }
    if (stopped) return;
    if (held) {
      schedule();
      return;
    }

    log.warn({ concurrencyKey: key }, 'lost a concurrency key lock while running the job; another job of the key may start, so the handler is aborted');
    lost.abort(
      new LumioError('JOB_CONCURRENCY_KEY_LOST', `The lock of concurrency key "${key}" expired before job ${jobId} finished; stop the handler.`, {
        status: 503,
        fault: 'platform',
        details: { jobId, concurrencyKey: key },
      }),
    );
  };
  const schedule = () => {
    timer = setTimeout(() => void extend(), Math.max(1, Math.floor(lockMs / 3)));
  };
  schedule();

  return {
    lost: lost.signal,
    async release() {
      stopped = true;
      clearTimeout(timer);
      try {
        await keyLocks.release(key, token);
      } catch (error) {
        // The key frees itself when its lock time ends.
        log.warn({ err: error, concurrencyKey: key }, 'releasing a concurrency key lock failed; it frees itself when the lock expires');
      }
    },
  };
}
