import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { expect, it, vi } from 'vitest';
import { isLumioError } from '../../platform/src/errors/index.js';
import { createInMemoryRateLimitMetrics, type AcquireOptions, type RateLimiter } from '../../platform/src/services/rate-limit/index.js';
import { captureLogs } from './cache-support.js';
import { forEachLimiterKind, listKeys, openRedis, REDIS_URL } from './rate-limit-support.js';

// The same behaviour on both limiter kinds, in real time. Windows are a few hundred
// milliseconds, and lower bounds on waits allow 30 ms of timer and Redis jitter.
const JITTER_MS = 30;

let connectionCounter = 0;

/** Returns a request for a connection no other test uses. */
function requestFor(budgets: RateLimitBudget[], overrides: Partial<AcquireOptions> = {}): AcquireOptions {
  connectionCounter += 1;
  return { connector: 'acme', connectionId: `conn-${connectionCounter}`, budgets, priority: 'bulk', ...overrides };
}

/** Acquires without waiting: true when granted at once, false when the limiter would wait. */
async function tryNow(limiter: RateLimiter, request: AcquireOptions): Promise<boolean> {
  try {
    await limiter.acquire({ ...request, maxWaitMs: 0 });
    return true;
  } catch (error) {
    if (isLumioError(error) && error.code === 'RATE_LIMITED') return false;
    throw error;
  }
}

async function countGrantsNow(limiter: RateLimiter, request: AcquireOptions, max = 100): Promise<number> {
  let granted = 0;
  while (granted < max && (await tryNow(limiter, request))) granted += 1;
  return granted;
}

forEachLimiterKind((kind) => {
  it('admits the window limit then waits', async () => {
    const limiter = kind.create();
    const request = requestFor([{ name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 3, intervalMs: 400 }]);

    const first = await Promise.all([1, 2, 3].map(() => limiter.acquire(request)));
    const fourth = await limiter.acquire(request);

    for (const result of first) expect(result.waitedMs).toBeLessThan(100);
    // 400 ms window plus the default 50 ms margin.
    expect(fourth.waitedMs).toBeGreaterThanOrEqual(450 - JITTER_MS);
    expect(fourth.waitedMs).toBeLessThan(1000);
  });

  it('refills a token bucket', async () => {
    const limiter = kind.create();
    const request = requestFor([{ name: 'bucket', scope: 'connection', algorithm: 'tokenBucket', limit: 5, intervalMs: 500 }]);

    const burst = await countGrantsNow(limiter, request);
    const next = await limiter.acquire(request);

    expect(burst).toBe(5);
    // One token per 100 ms.
    expect(next.waitedMs).toBeGreaterThanOrEqual(100 - JITTER_MS);
    expect(next.waitedMs).toBeLessThan(400);
  });

  it('counts a window from the response', async () => {
    const limiter = kind.create();
    const request = requestFor([{ name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 1, intervalMs: 300 }]);
    const first = await limiter.acquire(request);
    await new Promise((resolve) => setTimeout(resolve, 200));

    await limiter.observe({ ...request, grantId: first.grantId, response: { status: 200, headers: {} } });
    const second = await limiter.acquire(request);

    // The entry moved 200 ms later, so the next slot opens one window (plus margin) after the response.
    expect(second.waitedMs).toBeGreaterThanOrEqual(350 - JITTER_MS);
  });

  it('takes both budgets or neither', async () => {
    const limiter = kind.create();
    const budgets: RateLimitBudget[] = [
      { name: 'shared', scope: 'account', algorithm: 'slidingWindow', limit: 10, intervalMs: 2000 },
      { name: 'search', scope: 'endpointGroup', endpointGroup: 'search', algorithm: 'slidingWindow', limit: 1, intervalMs: 600 },
    ];
    const search = requestFor(budgets, { accountKey: 'account-1', endpointGroup: 'search' });
    const plain = { ...search, endpointGroup: undefined };
    await limiter.acquire(search);

    const waitingSearch = limiter.acquire(search);
    const plainGrants = await countGrantsNow(limiter, plain, 3);
    const whileWaiting = await limiter.snapshot(search.connectionId);
    const searchResult = await waitingSearch;
    const afterGrant = await limiter.snapshot(search.connectionId);

    expect(plainGrants).toBe(3);
    expect(whileWaiting.map((entry) => entry.used)).toEqual([4, 1]);
    expect(searchResult.waitedMs).toBeGreaterThanOrEqual(650 - JITTER_MS);
    expect(afterGrant.map((entry) => entry.used)).toEqual([5, 1]);
  });

  it('serves interactive waiters first', async () => {
    const limiter = kind.create({ interactiveShare: 0 });
    const request = requestFor([{ name: 'single', scope: 'connection', algorithm: 'slidingWindow', limit: 1, intervalMs: 250 }]);
    await limiter.acquire(request);
    const order: string[] = [];

    await Promise.all([
      limiter.acquire(request).then(() => order.push('bulk-1')),
      limiter.acquire(request).then(() => order.push('bulk-2')),
      limiter.acquire({ ...request, priority: 'interactive' }).then(() => order.push('interactive')),
    ]);

    expect(order).toEqual(['interactive', 'bulk-1', 'bulk-2']);
  });

  it('keeps a share for interactive traffic', async () => {
    const limiter = kind.create();
    const request = requestFor([{ name: 'shared', scope: 'connection', algorithm: 'slidingWindow', limit: 10, intervalMs: 5000 }]);
    await limiter.acquire({ ...request, priority: 'interactive' });

    const bulkGrants = await countGrantsNow(limiter, request);
    const interactiveGrants = await countGrantsNow(limiter, { ...request, priority: 'interactive' });

    // Bulk stops at 80% of 10 while interactive traffic is active; interactive takes the rest.
    expect(bulkGrants).toBe(7);
    expect(interactiveGrants).toBe(2);
  });

  it('pauses after a 429', async () => {
    const metrics = createInMemoryRateLimitMetrics();
    const limiter = kind.create({ metrics });
    const request = requestFor([{ name: 'main', scope: 'connection', algorithm: 'slidingWindow', limit: 100, intervalMs: 10_000 }]);

    const observed = await limiter.observe({ ...request, response: { status: 429, headers: { 'retry-after': '1' } } });
    const next = await limiter.acquire(request);

    expect(observed.pausedForMs).toBe(1000);
    expect(next.waitedMs).toBeGreaterThanOrEqual(1000 - JITTER_MS);
    expect(metrics.hitCount('acme', 'main')).toBe(1);
  });

  it('doubles the pause without Retry-After', async () => {
    const limiter = kind.create({ initialBackoffMs: 150, maxBackoffMs: 400 });
    const request = requestFor([{ name: 'main', scope: 'connection', algorithm: 'tokenBucket', limit: 100, intervalMs: 10_000 }]);
    const hit = () => limiter.observe({ ...request, response: { status: 429, headers: {} } });

    const pauses: Array<number | null> = [];
    for (let round = 0; round < 4; round += 1) {
      pauses.push((await hit()).pausedForMs);
      await limiter.acquire(request);
    }

    expect(pauses).toEqual([150, 300, 400, 400]);
  });

  it('slows down on a low remaining count', async () => {
    const limiter = kind.create();
    const request = requestFor([{ name: 'burst', scope: 'connection', algorithm: 'slidingWindow', limit: 100, intervalMs: 10_000 }]);
    const quotaHeaders = { remaining: 'X-RateLimit-Remaining', intervalMs: 'X-RateLimit-Interval-Ms' };

    await limiter.observe({ ...request, quotaHeaders, response: { status: 200, headers: { 'x-ratelimit-remaining': '2', 'x-ratelimit-interval-ms': '500' } } });
    const granted = await countGrantsNow(limiter, request);
    const next = await limiter.acquire(request);

    expect(granted).toBe(2);
    expect(next.waitedMs).toBeGreaterThanOrEqual(400);
    expect(next.waitedMs).toBeLessThan(1000);
  });

  it('caps grants until a reset', async () => {
    const limiter = kind.create();
    const request = requestFor([{ name: 'bucket', scope: 'connection', algorithm: 'tokenBucket', limit: 50, intervalMs: 10_000 }]);
    const quotaHeaders = { remaining: 'X-Left', reset: 'X-Reset', resetUnit: 'milliseconds' as const };

    const observed = await limiter.observe({ ...request, quotaHeaders, response: { status: 200, headers: { 'x-left': '1', 'x-reset': '500' } } });
    const granted = await countGrantsNow(limiter, request);
    const next = await limiter.acquire(request);

    expect(observed.quota).toEqual({ remaining: 1, resetInMs: 500 });
    expect(granted).toBe(1);
    expect(next.waitedMs).toBeGreaterThanOrEqual(400);
  });

  it('stops waiting on abort', async () => {
    const limiter = kind.create();
    const request = requestFor([{ name: 'slow', scope: 'connection', algorithm: 'slidingWindow', limit: 1, intervalMs: 5000 }]);
    await limiter.acquire(request);
    const controller = new AbortController();

    const waiting = limiter.acquire({ ...request, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await waiting.catch((caught: unknown) => caught);
    const snapshot = await limiter.snapshot(request.connectionId);

    expect(isLumioError(error) ? error.code : undefined).toBe('REQUEST_ABORTED');
    expect(snapshot[0]?.used).toBe(1);
  });

  it('reports usage and pauses', async () => {
    const limiter = kind.create();
    const request = requestFor([
      { name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 10, intervalMs: 10_000 },
      { name: 'bucket', scope: 'account', algorithm: 'tokenBucket', limit: 20, intervalMs: 60_000 },
    ]);
    for (let index = 0; index < 3; index += 1) await limiter.acquire(request);
    const before = Date.now();

    await limiter.observe({ ...request, response: { status: 429, headers: { 'retry-after': '30' } } });
    const snapshot = await limiter.snapshot(request.connectionId);

    expect(snapshot.map((entry) => [entry.budget, entry.used, entry.remaining])).toEqual([
      ['window', 3, 7],
      ['bucket', 3, 17],
    ]);
    for (const entry of snapshot) {
      expect(entry.pausedUntil).toBeGreaterThanOrEqual(before + 30_000 - JITTER_MS);
      expect(entry.pausedUntil).toBeLessThanOrEqual(Date.now() + 30_000 + JITTER_MS);
    }
  });

  it('shares budgets between limiters', async () => {
    const first = kind.create();
    const second = kind.create();
    const request = requestFor([{ name: 'window', scope: 'account', algorithm: 'slidingWindow', limit: 4, intervalMs: 5000 }], { accountKey: 'shared-account' });

    const firstGrants = await countGrantsNow(first, request);
    const secondGrants = await countGrantsNow(second, request);

    expect(firstGrants).toBe(4);
    expect(secondGrants).toBe(kind.shared ? 0 : 4);
  });

  it('ignores a skewed local clock', async () => {
    const skewedMs = kind.shared ? 3_600_000 : 0;
    const normal = kind.create();
    const skewed = kind.create({
      clock: {
        now: () => Date.now() + skewedMs,
        setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
        clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
      },
    });
    const request = requestFor([{ name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 2, intervalMs: 300 }]);

    await countGrantsNow(normal, request);
    const skewedGrant = await skewed.acquire(request);

    // With Redis both see the server's time, so the skewed one waits one window, not an hour.
    if (kind.shared) expect(skewedGrant.waitedMs).toBeGreaterThanOrEqual(350 - JITTER_MS);
    expect(skewedGrant.waitedMs).toBeLessThan(1000);
  });

  it('combines a read only with Redis', () => {
    const limiter = kind.create();

    expect(limiter.acquireUnlessStored === undefined).toBe(!kind.shared);
  });

  if (kind.name === 'redis') it('returns a stored value without a grant', async () => {
    const limiter = kind.create();
    const redis = kind.redis()!;
    const request = requestFor([{ name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 5, intervalMs: 5000 }]);
    const entryKey = `${redis.keyPrefix}entry:${request.connectionId}`;
    await redis.client.set(entryKey, 'stored response', 'PX', 5000);

    const result = await limiter.acquireUnlessStored!(request, entryKey);
    const snapshot = await limiter.snapshot(request.connectionId);

    expect(result).toEqual({ stored: 'stored response' });
    expect(snapshot[0]?.used).toBe(0);
  });

  if (kind.name === 'redis') it('grants when nothing is stored', async () => {
    const limiter = kind.create();
    const redis = kind.redis()!;
    const request = requestFor([
      { name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 5, intervalMs: 5000 },
      { name: 'bucket', scope: 'account', algorithm: 'tokenBucket', limit: 5, intervalMs: 5000 },
    ]);

    const result = await limiter.acquireUnlessStored!(request, `${redis.keyPrefix}entry:${request.connectionId}`);
    const snapshot = await limiter.snapshot(request.connectionId);

    expect(result?.stored).toBeNull();
    expect(result?.grant?.grantId).toMatch(/.+/);
    expect(result?.grant?.waitedMs).toBeLessThan(100);
    expect(snapshot.map((entry) => [entry.budget, entry.used])).toEqual([
      ['window', 1],
      ['bucket', 1],
    ]);
  });

  if (kind.name === 'redis') it('takes nothing from a full budget', async () => {
    const limiter = kind.create();
    const redis = kind.redis()!;
    const request = requestFor([{ name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 1, intervalMs: 5000 }]);
    await limiter.acquire(request);

    const result = await limiter.acquireUnlessStored!(request, `${redis.keyPrefix}entry:${request.connectionId}`);
    const snapshot = await limiter.snapshot(request.connectionId);

    expect(result).toEqual({ stored: null });
    expect(snapshot[0]?.used).toBe(1);
  });

  if (kind.name === 'redis') it('reads nothing while requests wait', async () => {
    const limiter = kind.create();
    const redis = kind.redis()!;
    const request = requestFor([{ name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 1, intervalMs: 1000 }]);
    await limiter.acquire(request);
    const waiting = limiter.acquire(request);
    // The second acquire queues once its first try is denied, one round trip later.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const result = await limiter.acquireUnlessStored!(request, `${redis.keyPrefix}entry:${request.connectionId}`);
    const waited = await waiting;
    const snapshot = await limiter.snapshot(request.connectionId);

    expect(result).toBeUndefined();
    expect(waited.waitedMs).toBeGreaterThanOrEqual(1050 - JITTER_MS);
    expect(snapshot[0]?.used).toBe(1);
  });

  if (kind.name === 'redis') it('logs a write that fails after observe', async () => {
    const client = await openRedis(REDIS_URL!);
    const logs = captureLogs();
    const limiter = kind.create({ redis: client, logger: logs.logger });
    const request = requestFor([{ name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 5, intervalMs: 5000 }]);
    const grant = await limiter.acquire(request);
    client.disconnect();

    const observed = await limiter.observe({ ...request, response: { status: 200, headers: {} }, grantId: grant.grantId });

    expect(observed.pausedForMs).toBeNull();
    await vi.waitFor(() => expect(logs.lines.filter((line) => line.level === 40)).toHaveLength(1), { timeout: 1_000, interval: 5 });
    expect(logs.lines.find((line) => line.level === 40)).toMatchObject({
      connectionId: request.connectionId,
      err: { code: 'RATE_LIMIT_STORE_FAILED' },
      msg: 'rate limiter could not count a request from its response; its grant time counts instead',
    });
  });

  // Only Redis keys expire; the in-process store sweeps idle keys instead.
  if (kind.name === 'redis') it('gives every key an expiry', async () => {
    const limiter = kind.create();
    const request = requestFor([
      { name: 'window', scope: 'connection', algorithm: 'slidingWindow', limit: 5, intervalMs: 1000 },
      { name: 'bucket', scope: 'account', algorithm: 'tokenBucket', limit: 5, intervalMs: 1000 },
    ]);
    await limiter.acquire({ ...request, priority: 'interactive' });
    await limiter.observe({ ...request, response: { status: 429, headers: {} } });
    const redis = kind.redis()!;

    const keys = await listKeys(redis.client, `${redis.keyPrefix}acme:*${request.connectionId}:`);
    const ttls = await Promise.all(keys.map((key) => redis.client.pttl(key)));

    expect(keys.sort()).toEqual(
      [
        `${redis.keyPrefix}acme:account:c.${request.connectionId}:bucket:bucket`,
        `${redis.keyPrefix}acme:account:c.${request.connectionId}:bucket:state`,
        `${redis.keyPrefix}acme:connection:c.${request.connectionId}:window:state`,
        `${redis.keyPrefix}acme:connection:c.${request.connectionId}:window:window`,
      ].sort(),
    );
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(0);
      // Pause plus backoff memory (16 s by default) plus a second of slack at most.
      expect(ttl).toBeLessThanOrEqual(1000 + 16_000 + 1000);
    }
  });
});
