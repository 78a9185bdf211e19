import { randomBytes } from 'node:crypto';
import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import { sleep } from '../retry/index.js';
import type { DistributedLock, LockBackend, LockLease, LockOptions } from './lock-types.js';

/** Default mean pause between two attempts to take a lock another holder has, in milliseconds. */
const DEFAULT_RETRY_DELAY_MS = 50;

export interface BackendLockOptions {
  logger: Logger;
  /**
   * Mean pause between attempts to take a held lock, in milliseconds. Default 50. Each
   * pause is drawn between half and one and a half times this, so waiters spread out.
   */
  retryDelayMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Clock for the wait deadline, in milliseconds. Default `performance.now`. */
  now?: () => number;
}

/**
 * Builds a `DistributedLock` on a backend's atomic steps: it polls with jitter until the
 * lock is free or `waitMs` has passed, extends the lock while `fn` runs and releases it
 * afterwards. Waiters are not queued, so the order in which they get the lock is random.
 */
export function createBackendLock(backend: LockBackend, options: BackendLockOptions): DistributedLock {
  const settings = {
    retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    random: options.random ?? Math.random,
    now: options.now ?? (() => performance.now()),
  };

  return {
    async withLock(key, lockOptions, fn) {
      checkLockOptions(key, lockOptions);
      const token = randomBytes(16).toString('hex');

      await acquire(backend, key, token, lockOptions, settings);

      const lost = new AbortController();
      const stopExtending = keepExtended(backend, key, token, lockOptions.ttlMs, lost, options.logger);
      const lease: LockLease = { key, token, signal: lost.signal };
      try {
        return await fn(lease);
      } finally {
        stopExtending();
        await release(backend, key, token, options.logger);
      }
    },
  };
}

async function acquire(
  backend: LockBackend,
  key: string,
  token: string,
  options: LockOptions,
  settings: { retryDelayMs: number; random: () => number; now: () => number },
): Promise<void> {
  const deadline = settings.now() + options.waitMs;

  for (;;) {
    options.signal?.throwIfAborted();
    if (await backend.tryAcquire(key, token, options.ttlMs)) return;

    const remainingMs = deadline - settings.now();
    if (remainingMs <= 0) throw lockTimeoutError(key, options.waitMs, backend.name);

    const pauseMs = settings.retryDelayMs * (0.5 + settings.random());
    await sleep(Math.min(remainingMs, pauseMs), options.signal);
  }
}

/**
 * Extends the lock every third of its time to live until the returned function is
 * called. When an extension finds the lock gone or fails, it aborts `lost` and stops.
 */
function keepExtended(backend: LockBackend, key: string, token: string, ttlMs: number, lost: AbortController, logger: Logger): () => void {
  const intervalMs = Math.max(1, Math.floor(ttlMs / 3));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const extend = async (): Promise<void> => {
    let held = false;
    let failure: unknown;
    try {
      held = await backend.extend(key, token, ttlMs);
    } catch (error) {
      failure = error;
    }
    if (stopped) return;

    if (held) {
      schedule();
      return;
    }
    logger.warn({ key, backend: backend.name, err: failure }, 'lost a lock while holding it; another process may run the same step');
    lost.abort(
      new LumioError('LOCK_LOST', `The lock "${key}" expired or could not be extended before its holder finished; another process may have taken it.`, {
        status: 503,
        fault: 'platform',
        details: { key, backend: backend.name },
        cause: failure,
      }),
    );
  };

  const schedule = (): void => {
    timer = setTimeout(() => void extend(), intervalMs);
    // An extension timer must not keep a finished process alive.
    timer.unref();
  };

  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

async function release(backend: LockBackend, key: string, token: string, logger: Logger): Promise<void> {
  try {
    const released = await backend.release(key, token);
    if (!released) logger.warn({ key, backend: backend.name }, 'lock had expired before its holder released it');
  } catch (error) {
    // The lock frees itself when its time to live ends, so the caller still gets fn's result.
    logger.warn({ key, backend: backend.name, err: error }, 'releasing a lock failed; it frees itself when its time to live ends');
  }
}

function checkLockOptions(key: string, options: LockOptions): void {
  if (typeof key !== 'string' || key === '') {
    throw invalidOptions('The lock key is empty; pass a key that names the protected step, such as "token-refresh:<connection id>".');
  }
  if (!Number.isFinite(options.ttlMs) || options.ttlMs < 1) {
    throw invalidOptions(`The lock ttlMs ${String(options.ttlMs)} is invalid; pass a time to live of at least 1 millisecond.`);
  }
  if (!Number.isFinite(options.waitMs) || options.waitMs < 0) {
    throw invalidOptions(`The lock waitMs ${String(options.waitMs)} is invalid; pass 0 or more milliseconds.`);
  }
}

function invalidOptions(message: string): LumioError {
  return new LumioError('LOCK_OPTIONS_INVALID', message, { status: 500, fault: 'platform' });
}

/** Builds the `LOCK_TIMEOUT` error raised when a lock stays held for the whole wait. */
export function lockTimeoutError(key: string, waitMs: number, backend: string): LumioError {
  return new LumioError('LOCK_TIMEOUT', `The lock "${key}" stayed held by another process for the whole ${waitMs} ms wait; retry later.`, {
    status: 503,
    fault: 'platform',
    details: { key, waitMs, backend },
  });
}
