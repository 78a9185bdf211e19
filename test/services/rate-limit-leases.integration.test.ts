// Leases and queued writes of the Redis budget store, against a real Redis server. A
// counting client shows how many scripts reach Redis; the budgets' own readings show
// that no lease ever takes more than a budget allows.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLumioError } from '../../platform/src/errors/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { BudgetStore, StoreBudget } from '../../platform/src/services/rate-limit/budget-store.js';
import { createRateLimiter } from '../../platform/src/services/rate-limit/index.js';
import { createRedisBudgetStore, type BudgetStoreClient } from '../../platform/src/services/rate-limit/redis-budget-store.js';
import { createKeyPrefix, deleteKeys, openRedis, REDIS_SKIP_NAME, REDIS_URL } from './rate-limit-support.js';

const SETTINGS = { windowMarginMs: 50, initialBackoffMs: 1000, maxBackoffMs: 16_000, maxPauseMs: 900_000 };

interface CountingClient extends BudgetStoreClient {
  /** EVALSHA and EVAL calls, one round trip each. */
  scripts: number;
  /** GET calls, one round trip each. */
  gets: number;
}

function countingClient(redis: Redis): CountingClient {
  const client: CountingClient = {
    scripts: 0,
    gets: 0,
    evalsha(sha1, numberOfKeys, ...rest) {
      client.scripts += 1;
      return redis.evalsha(sha1, numberOfKeys, ...rest);
    },
    eval(source, numberOfKeys, ...rest) {
      client.scripts += 1;
      return redis.eval(source, numberOfKeys, ...rest);
    },
    get(key) {
      client.gets += 1;
      return redis.get(key);
    },
  };
  return client;
}

function windowBudget(key: string, limit: number, intervalMs = 10_000): StoreBudget {
  return { key, algorithm: 'slidingWindow', limit, intervalMs, bulkLimit: Math.floor(limit * 0.8) };
}

function bucketBudget(key: string, limit: number, intervalMs = 10_000): StoreBudget {
  return { key, algorithm: 'tokenBucket', limit, intervalMs, bulkLimit: Math.floor(limit * 0.8) };
}

async function grantAll(store: BudgetStore, budgets: StoreBudget[], max: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < max) {
    const result = await store.tryAcquire({ budgets, priority: 'bulk' });
    if (!result.granted) break;
    ids.push(result.grantId);
  }
  return ids;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!REDIS_URL)(REDIS_URL ? 'redis budget store leases' : `redis budget store leases (${REDIS_SKIP_NAME})`, () => {
  const keyPrefix = createKeyPrefix();
  const stores: BudgetStore[] = [];
  let redis: Redis;

  beforeAll(async () => {
    redis = await openRedis(REDIS_URL!);
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  afterAll(async () => {
    if (!redis) return;
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  function createStore(client: BudgetStoreClient, lease = { maxLeaseSize: 16, leaseMs: 100 }): BudgetStore {
    const store = createRedisBudgetStore({ ...SETTINGS, ...lease, client, keyPrefix });
    stores.push(store);
    return store;
  }

  it('leases units of an ample window', async () => {
    const client = countingClient(redis);
    const store = createStore(client, { maxLeaseSize: 16, leaseMs: 5000 });
    const budgets = [windowBudget('ample-window', 10_000)];

    const ids = await grantAll(store, budgets, 32);
    const [reading] = await store.read(budgets);

    expect(ids).toHaveLength(32);
    expect(new Set(ids).size).toBe(32);
    // Two leases of 16, then the read.
    expect(client.scripts).toBe(3);
    expect(reading?.used).toBe(32);
  });

  it('leases units of an ample bucket', async () => {
    const client = countingClient(redis);
    const store = createStore(client, { maxLeaseSize: 8, leaseMs: 5000 });
    const budgets = [bucketBudget('ample-bucket', 1000, 600_000)];

    const ids = await grantAll(store, budgets, 16);
    const [reading] = await store.read(budgets);

    expect(ids).toHaveLength(16);
    expect(client.scripts).toBe(3);
    expect(reading?.remaining).toBe(1000 - 16);
  });

  it('takes no lease below a limit of 128', async () => {
    const client = countingClient(redis);
    const store = createStore(client);
    const budgets = [windowBudget('small-window', 100)];

    const ids = await grantAll(store, budgets, 10);

    expect(ids).toHaveLength(10);
    expect(client.scripts).toBe(10);
  });

  it('never grants past the limit', async () => {
    const client = countingClient(redis);
    const store = createStore(client, { maxLeaseSize: 16, leaseMs: 5000 });
    // Lease size 256 / 64 = 4, taken only while the window stays at most half full.
    const budgets = [windowBudget('exact-window', 256)];

    const ids = await grantAll(store, budgets, 1000);
    const [reading] = await store.read(budgets);

    expect(ids).toHaveLength(256);
    expect(reading?.used).toBe(256);
    // 32 leases of 4 fill the first half; the second half takes one script per grant, plus the denied try and the read.
    expect(client.scripts).toBe(32 + 128 + 2);
  });

  it('returns unused units when a lease ends', async () => {
    const store = createStore(countingClient(redis), { maxLeaseSize: 16, leaseMs: 50 });
    const budgets = [windowBudget('returned-window', 10_000)];
    // A day's interval, so the bucket refills a small fraction of a token during the test.
    const bucket = [bucketBudget('returned-bucket', 10_000, 86_400_000)];

    await store.tryAcquire({ budgets, priority: 'bulk' });
    await store.tryAcquire({ budgets: bucket, priority: 'bulk' });
    const [leased] = await store.read(budgets);
    const [leasedBucket] = await store.read(bucket);
    await sleep(150);
    const [window] = await store.read(budgets);
    const [refunded] = await store.read(bucket);

    expect(leased?.used).toBe(16);
    expect(leasedBucket?.used).toBe(16);
    expect(window?.used).toBe(1);
    expect(refunded?.used).toBe(1);
  });

  it('keeps lease entries until the lease ends', async () => {
    const store = createStore(countingClient(redis), { maxLeaseSize: 16, leaseMs: 400 });
    const budget = windowBudget('lease-time', 10_000);
    const started = Date.now();

    await store.tryAcquire({ budgets: [budget], priority: 'bulk' });
    const entries = await redis.zrange(`${keyPrefix}${budget.key}:window`, 0, -1, 'WITHSCORES');
    const scores = entries.filter((_, index) => index % 2 === 1).map(Number);

    expect(scores).toHaveLength(16);
    // Redis's clock and this one agree on one machine within a few milliseconds.
    for (const score of scores) expect(score).toBeGreaterThanOrEqual(started + 400 - 20);
  });

  it('ends the lease on a pause', async () => {
    const client = countingClient(redis);
    const store = createStore(client, { maxLeaseSize: 16, leaseMs: 5000 });
    const budgets = [windowBudget('paused-window', 10_000)];

    await store.tryAcquire({ budgets, priority: 'bulk' });
    const pauses = await store.pause({ budgets, retryAfterMs: 2000 });
    const afterPause = await store.tryAcquire({ budgets, priority: 'bulk' });
    const [reading] = await store.read(budgets);

    expect(pauses[0]).toBeGreaterThan(1900);
    expect(afterPause.granted).toBe(false);
    expect(afterPause.waitMs).toBeGreaterThan(1900);
    // The lease's 15 unused units went back before the read.
    expect(reading?.used).toBe(1);
  });

  it('ends the lease on a low provider count', async () => {
    const store = createStore(countingClient(redis), { maxLeaseSize: 16, leaseMs: 5000 });
    const budget = windowBudget('quota-window', 10_000);

    await store.tryAcquire({ budgets: [budget], priority: 'bulk' });
    const lowered = await store.lowerRemaining([{ budget, remaining: 3, resetInMs: null, holdMs: null }]);
    const granted = await grantAll(store, [budget], 10);

    expect(lowered).toEqual([3]);
    expect(granted).toHaveLength(3);
  });

  it('moves a single grant to its response', async () => {
    const client = countingClient(redis);
    const store = createStore(client);
    const budget = windowBudget('completed-window', 100);
    const key = `${keyPrefix}${budget.key}:window`;

    const grant = await store.tryAcquire({ budgets: [budget], priority: 'bulk' });
    const grantedAt = Number(await redis.zscore(key, grant.grantId));
    await sleep(30);
    const completed = store.complete(grant.grantId, [budget]);
    const scriptsBeforeNext = client.scripts;
    await store.tryAcquire({ budgets: [budget], priority: 'bulk' });
    await completed;
    const movedTo = Number(await redis.zscore(key, grant.grantId));

    // The move travelled inside the next acquire, not as a script of its own.
    expect(client.scripts).toBe(scriptsBeforeNext + 1);
    expect(movedTo).toBeGreaterThanOrEqual(grantedAt + 25);
  });

  it('sends a queued move on its own', async () => {
    const client = countingClient(redis);
    const store = createStore(client);
    const budget = windowBudget('alone-window', 100);
    const key = `${keyPrefix}${budget.key}:window`;

    const grant = await store.tryAcquire({ budgets: [budget], priority: 'bulk' });
    const grantedAt = Number(await redis.zscore(key, grant.grantId));
    await sleep(30);
    await store.complete(grant.grantId, [budget]);
    const movedTo = Number(await redis.zscore(key, grant.grantId));

    expect(client.scripts).toBe(2);
    expect(movedTo).toBeGreaterThanOrEqual(grantedAt + 25);
  });

  it('reads a stored key with a lease', async () => {
    const client = countingClient(redis);
    const store = createStore(client, { maxLeaseSize: 16, leaseMs: 5000 });
    const budgets = [windowBudget('stored-window', 10_000)];
    const storedKey = `${keyPrefix}entry`;
    await redis.set(storedKey, 'cached', 'PX', 60_000);

    const first = await store.tryAcquireUnlessStored!({ budgets, priority: 'bulk' }, `${keyPrefix}missing`);
    const stored = await store.tryAcquireUnlessStored!({ budgets, priority: 'bulk' }, storedKey);
    const second = await store.tryAcquireUnlessStored!({ budgets, priority: 'bulk' }, `${keyPrefix}missing`);
    const [reading] = await store.read(budgets);

    expect(first).toMatchObject({ stored: null, granted: true });
    expect(stored).toEqual({ stored: 'cached', granted: false });
    expect(second).toMatchObject({ stored: null, granted: true });
    // One script took the lease; the lease served the rest after a plain GET each.
    expect(client.scripts).toBe(2);
    expect(client.gets).toBe(2);
    expect(reading?.used).toBe(16);
  });

  it('rejects invalid lease options', () => {
    const cases: [string, unknown][] = [
      ['maxLeaseSize', -1],
      ['maxLeaseSize', 2.5],
      ['maxLeaseSize', '16'],
      ['leaseMs', -5],
      ['leaseMs', Number.NaN],
    ];
    for (const [option, value] of cases) {
      let caught: unknown;
      try {
        createRateLimiter({ redis, keyPrefix, logger: silentLogger, [option]: value });
      } catch (error) {
        caught = error;
      }
      expect(isLumioError(caught), `${option} = ${String(value)}`).toBe(true);
      expect((caught as { code?: string }).code, `${option} = ${String(value)}`).toBe('RATE_LIMIT_OPTIONS_INVALID');
    }
  });
});
