import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/src/observability/index.js';
import {
  createBackendLock,
  createDatabaseLockBackend,
  createRedisLockBackend,
  type DistributedLock,
  type LockBackend,
} from '../../platform/src/services/locks/index.js';
import { forEachDatabase } from '../store/databases.js';
import { createKeyPrefix, deleteKeys, listKeys, openRedis, REDIS_URL } from './rate-limit-support.js';

// One contract for every lock backend. Each suite gives two backends on the same
// server (two Redis clients, or two stores on one database), standing for two processes.

interface LockPair {
  first: LockBackend;
  second: LockBackend;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let keySequence = 0;
/** Returns a lock key that no other test of the run uses. */
function nextKey(): string {
  keySequence += 1;
  return `contract:${process.pid}:${keySequence}`;
}

function lockOn(backend: LockBackend): DistributedLock {
  return createBackendLock(backend, { logger: silentLogger, retryDelayMs: 10 });
}

function defineLockContract(pair: () => LockPair): void {
  it('runs fn and returns its value', async () => {
    const lock = lockOn(pair().first);

    const result = await lock.withLock(nextKey(), { ttlMs: 5000, waitMs: 0 }, async (lease) => lease.token.length);

    expect(result).toBe(32);
  });

  it('excludes holders in other processes', async () => {
    const { first, second } = pair();
    const locks = [lockOn(first), lockOn(second)];
    const key = nextKey();
    let inside = 0;
    let maxInside = 0;
    let finished = 0;

    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        locks[index % 2]!.withLock(key, { ttlMs: 5000, waitMs: 10_000 }, async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await pause(10);
          inside -= 1;
          finished += 1;
        }),
      ),
    );

    expect(maxInside).toBe(1);
    expect(finished).toBe(10);
  });

  it('keeps keys independent', async () => {
    const { first, second } = pair();
    const outerKey = nextKey();
    const innerKey = nextKey();

    const inner = await lockOn(first).withLock(outerKey, { ttlMs: 5000, waitMs: 0 }, () =>
      lockOn(second).withLock(innerKey, { ttlMs: 5000, waitMs: 0 }, async () => 'inner ran'),
    );

    expect(inner).toBe('inner ran');
  });

  it('raises LOCK_TIMEOUT while held', async () => {
    const { first, second } = pair();
    const key = nextKey();
    expect(await first.tryAcquire(key, 'holder-token', 5000)).toBe(true);
    const started = performance.now();

    const attempt = lockOn(second).withLock(key, { ttlMs: 5000, waitMs: 150 }, async () => 'ran');

    await expect(attempt).rejects.toMatchObject({ code: 'LOCK_TIMEOUT', details: { key, waitMs: 150 } });
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThanOrEqual(145);
    expect(elapsedMs).toBeLessThan(2000);
    await first.release(key, 'holder-token');
  });

  it('frees a crashed holder after its ttl', async () => {
    const { first, second } = pair();
    const key = nextKey();
    expect(await first.tryAcquire(key, 'crashed-token', 200)).toBe(true);
    const started = performance.now();

    const result = await lockOn(second).withLock(key, { ttlMs: 5000, waitMs: 3000 }, async () => 'taken over');

    expect(result).toBe('taken over');
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('releases only for the owner', async () => {
    const { first, second } = pair();
    const key = nextKey();
    expect(await first.tryAcquire(key, 'owner-token', 5000)).toBe(true);

    expect(await second.release(key, 'other-token')).toBe(false);
    expect(await second.tryAcquire(key, 'other-token', 5000)).toBe(false);
    expect(await first.release(key, 'owner-token')).toBe(true);
    expect(await second.tryAcquire(key, 'other-token', 5000)).toBe(true);
    expect(await second.release(key, 'other-token')).toBe(true);
  });

  it('extends only for the owner', async () => {
    const { first, second } = pair();
    const key = nextKey();
    expect(await first.tryAcquire(key, 'owner-token', 5000)).toBe(true);

    expect(await second.extend(key, 'other-token', 5000)).toBe(false);
    expect(await first.extend(key, 'owner-token', 5000)).toBe(true);
    await first.release(key, 'owner-token');
  });

  it('refuses to extend an expired lock', async () => {
    const { first } = pair();
    const key = nextKey();
    expect(await first.tryAcquire(key, 'owner-token', 50)).toBe(true);
    await pause(120);

    expect(await first.extend(key, 'owner-token', 5000)).toBe(false);
  });

  it('stops a late holder releasing the next one', async () => {
    const { first, second } = pair();
    const key = nextKey();
    expect(await first.tryAcquire(key, 'late-token', 50)).toBe(true);
    await pause(120);
    expect(await second.tryAcquire(key, 'next-token', 5000)).toBe(true);

    expect(await first.release(key, 'late-token')).toBe(false);
    expect(await first.tryAcquire(key, 'third-token', 5000)).toBe(false);
    expect(await second.release(key, 'next-token')).toBe(true);
  });

  it('extends while fn outlives the ttl', async () => {
    const { first, second } = pair();
    const key = nextKey();

    const aborted = await lockOn(first).withLock(key, { ttlMs: 150, waitMs: 0 }, async (lease) => {
      await pause(500);
      expect(await second.tryAcquire(key, 'intruder-token', 5000)).toBe(false);
      return lease.signal.aborted;
    });

    expect(aborted).toBe(false);
    expect(await second.tryAcquire(key, 'after-token', 5000)).toBe(true);
    await second.release(key, 'after-token');
  });

  it('releases after fn throws', async () => {
    const { first, second } = pair();
    const key = nextKey();

    const attempt = lockOn(first).withLock(key, { ttlMs: 5000, waitMs: 0 }, async () => {
      throw new Error('step failed');
    });

    await expect(attempt).rejects.toThrow('step failed');
    expect(await second.tryAcquire(key, 'next-token', 5000)).toBe(true);
    await second.release(key, 'next-token');
  });
}

forEachDatabase((database) => {
  describe('database lock', () => {
    let backends: LockPair | undefined;

    beforeAll(async () => {
      const [firstStore, secondStore] = [await database.openStore(), await database.openStore()];
      backends = { first: createDatabaseLockBackend(firstStore.locks), second: createDatabaseLockBackend(secondStore.locks) };
    });

    defineLockContract(() => backends!);

    it('rejects an overlong key', async () => {
      const store = await database.openStore();

      await expect(store.locks.tryAcquire('k'.repeat(256), 'owner-token', Date.now() + 1000, Date.now())).rejects.toMatchObject({ code: 'LOCK_KEY_INVALID' });
    });

    it('deletes the row on release', async () => {
      const store = await database.openStore();
      const key = nextKey();

      await lockOn(createDatabaseLockBackend(store.locks)).withLock(key, { ttlMs: 5000, waitMs: 0 }, async (lease) => {
        expect(await store.knex('locks').where({ key }).select('owner')).toEqual([{ owner: lease.token }]);
      });

      expect(await store.knex('locks').where({ key }).select('owner')).toEqual([]);
    });
  });
});

describe.skipIf(!REDIS_URL)(REDIS_URL ? 'redis lock' : 'redis lock (skipped: set LUMIO_TEST_REDIS_URL to run)', () => {
  const keyPrefix = createKeyPrefix();
  const clients: Redis[] = [];
  let backends: LockPair | undefined;

  beforeAll(async () => {
    clients.push(await openRedis(REDIS_URL!), await openRedis(REDIS_URL!));
    backends = {
      first: createRedisLockBackend({ redis: clients[0]!, keyPrefix }),
      second: createRedisLockBackend({ redis: clients[1]!, keyPrefix }),
    };
  });

  afterAll(async () => {
    if (clients[0]) await deleteKeys(clients[0], keyPrefix);
    await Promise.all(clients.map((client) => client.quit()));
  });

  defineLockContract(() => backends!);

  it('stores the lock under the prefix', async () => {
    const key = nextKey();

    await lockOn(backends!.first).withLock(key, { ttlMs: 5000, waitMs: 0 }, async () => {
      expect(await listKeys(clients[0]!, keyPrefix)).toContain(`${keyPrefix}${key}`);
      const ttl = await clients[0]!.pttl(`${keyPrefix}${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5000);
    });

    expect(await listKeys(clients[0]!, keyPrefix)).not.toContain(`${keyPrefix}${key}`);
  });
});
