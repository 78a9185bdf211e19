import { describe, expect, it, vi } from 'vitest';
import { createLogger, silentLogger } from '../../observability/index.js';
import { createBackendLock } from './backend-lock.js';
import type { LockBackend } from './lock-types.js';
import { createMemoryLockBackend } from './memory-lock-backend.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('createBackendLock', () => {
  it('returns the result of fn', async () => {
    const lock = createBackendLock(createMemoryLockBackend(), { logger: silentLogger });

    const result = await lock.withLock('job', { ttlMs: 1000, waitMs: 0 }, async (lease) => `${lease.key}:done`);

    expect(result).toBe('job:done');
  });

  it('releases after fn returns', async () => {
    const backend = createMemoryLockBackend();
    const lock = createBackendLock(backend, { logger: silentLogger });

    await lock.withLock('job', { ttlMs: 1000, waitMs: 0 }, async () => undefined);

    expect(await backend.tryAcquire('job', 'other', 1000)).toBe(true);
  });

  it('releases after fn throws', async () => {
    const backend = createMemoryLockBackend();
    const lock = createBackendLock(backend, { logger: silentLogger });

    const attempt = lock.withLock('job', { ttlMs: 1000, waitMs: 0 }, async () => {
      throw new Error('step failed');
    });

    await expect(attempt).rejects.toThrow('step failed');
    expect(await backend.tryAcquire('job', 'other', 1000)).toBe(true);
  });

  it('runs holders of one key in turn', async () => {
    const lock = createBackendLock(createMemoryLockBackend(), { logger: silentLogger, retryDelayMs: 5 });
    let inside = 0;
    let maxInside = 0;

    await Promise.all(
      Array.from({ length: 8 }, () =>
        lock.withLock('job', { ttlMs: 1000, waitMs: 2000 }, async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await pause(5);
          inside -= 1;
        }),
      ),
    );

    expect(maxInside).toBe(1);
  });

  it('raises LOCK_TIMEOUT after waitMs', async () => {
    const backend = createMemoryLockBackend();
    await backend.tryAcquire('job', 'crashed-holder', 10_000);
    const lock = createBackendLock(backend, { logger: silentLogger, retryDelayMs: 10 });
    const fn = vi.fn(async () => undefined);
    const started = performance.now();

    const attempt = lock.withLock('job', { ttlMs: 1000, waitMs: 60 }, fn);

    await expect(attempt).rejects.toMatchObject({ code: 'LOCK_TIMEOUT', details: { key: 'job', waitMs: 60, backend: 'memory' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(fn).not.toHaveBeenCalled();
  });

  it('tries once when waitMs is 0', async () => {
    const backend = createMemoryLockBackend();
    await backend.tryAcquire('job', 'holder', 10_000);
    const tryAcquire = vi.spyOn(backend, 'tryAcquire');
    const lock = createBackendLock(backend, { logger: silentLogger });

    await expect(lock.withLock('job', { ttlMs: 1000, waitMs: 0 }, async () => undefined)).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });

    expect(tryAcquire).toHaveBeenCalledTimes(1);
  });

  it('takes a lock once its holder expires', async () => {
    const backend = createMemoryLockBackend();
    await backend.tryAcquire('job', 'crashed-holder', 40);
    const lock = createBackendLock(backend, { logger: silentLogger, retryDelayMs: 5 });

    const result = await lock.withLock('job', { ttlMs: 1000, waitMs: 1000 }, async () => 'taken');

    expect(result).toBe('taken');
  });

  it('extends the lock while fn runs', async () => {
    const backend = createMemoryLockBackend();
    const lock = createBackendLock(backend, { logger: silentLogger });
    let signalAborted: boolean | undefined;

    await lock.withLock('job', { ttlMs: 60, waitMs: 0 }, async (lease) => {
      await pause(200);
      expect(await backend.tryAcquire('job', 'intruder', 1000)).toBe(false);
      signalAborted = lease.signal.aborted;
    });

    expect(signalAborted).toBe(false);
  });

  it('aborts the lease when the lock is lost', async () => {
    const memory = createMemoryLockBackend();
    const backend: LockBackend = { ...memory, extend: async () => false };
    const { logger, lines } = captureLogger();
    const lock = createBackendLock(backend, { logger });

    const reason = await lock.withLock('job', { ttlMs: 30, waitMs: 0 }, async (lease) => {
      await new Promise((resolve) => lease.signal.addEventListener('abort', resolve, { once: true }));
      return lease.signal.reason as { code: string };
    });

    expect(reason.code).toBe('LOCK_LOST');
    expect(lines.some((line) => line.msg === 'lost a lock while holding it; another process may run the same step')).toBe(true);
  });

  it('keeps the result when release fails', async () => {
    const memory = createMemoryLockBackend();
    const backend: LockBackend = {
      ...memory,
      release: async () => {
        throw new Error('connection reset');
      },
    };
    const { logger, lines } = captureLogger();
    const lock = createBackendLock(backend, { logger });

    const result = await lock.withLock('job', { ttlMs: 1000, waitMs: 0 }, async () => 42);

    expect(result).toBe(42);
    expect(lines.filter((line) => line.level === 40)).toHaveLength(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const backend = createMemoryLockBackend();
    await backend.tryAcquire('job', 'holder', 10_000);
    const lock = createBackendLock(backend, { logger: silentLogger, retryDelayMs: 10 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 20);

    const attempt = lock.withLock('job', { ttlMs: 1000, waitMs: 5000, signal: controller.signal }, async () => undefined);

    await expect(attempt).rejects.toThrow('shutting down');
  });

  it.each([
    ['an empty key', '', { ttlMs: 1000, waitMs: 0 }],
    ['a zero ttl', 'job', { ttlMs: 0, waitMs: 0 }],
    ['an infinite ttl', 'job', { ttlMs: Number.POSITIVE_INFINITY, waitMs: 0 }],
    ['a negative wait', 'job', { ttlMs: 1000, waitMs: -1 }],
  ])('rejects %s', async (_name, key, options) => {
    const lock = createBackendLock(createMemoryLockBackend(), { logger: silentLogger });

    await expect(lock.withLock(key, options, async () => undefined)).rejects.toMatchObject({ code: 'LOCK_OPTIONS_INVALID' });
  });
});
