import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createRateLimiter, type CreateRateLimiterOptions, type RateLimiter } from '../../platform/src/services/rate-limit/index.js';

/** Redis server the rate-limit suites use; the Redis copies are skipped, under a name that says why, when it is unset. */
export const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;

export const REDIS_SKIP_NAME = 'redis (skipped: set LUMIO_TEST_REDIS_URL to run)';

/** Returns a key prefix no other test run shares. */
export function createKeyPrefix(): string {
  return `lumio-test:${randomBytes(8).toString('hex')}:`;
}

/** Opens a client and waits until it responds to PING. */
export async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  await redis.ping();
  return redis;
}

/** Lists every key under `prefix`. */
export async function listKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await listKeys(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

export interface LimiterKind {
  name: 'in-process' | 'redis';
  /** True when two limiters from `create` share their budgets, as processes sharing Redis do. */
  shared: boolean;
  /** Creates a limiter that the suite closes after each test. */
  create(options?: Partial<CreateRateLimiterOptions>): RateLimiter;
  /** The suite's Redis client and key prefix; undefined for the in-process kind. */
  redis(): { client: Redis; keyPrefix: string } | undefined;
}

function defineKindSuite(name: LimiterKind['name'], suite: (kind: LimiterKind) => void): void {
  const limiters: RateLimiter[] = [];
  const keyPrefix = createKeyPrefix();
  let client: Redis | undefined;

  beforeAll(async () => {
    if (name === 'redis' && REDIS_URL) client = await openRedis(REDIS_URL);
  });

  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((limiter) => limiter.close()));
  });

  afterAll(async () => {
    if (!client) return;
    await deleteKeys(client, keyPrefix);
    await client.quit();
  });

  suite({
    name,
    shared: name === 'redis',
    create(options = {}) {
      const limiter = createRateLimiter({ keyPrefix, logger: silentLogger, ...(client ? { redis: client } : {}), ...options });
      limiters.push(limiter);
      return limiter;
    },
    redis: () => (client ? { client, keyPrefix } : undefined),
  });
}

/**
 * Defines the suite twice, as `describe('in-process')` and `describe('redis')`. The Redis
 * copy is skipped, under a name that says why, when LUMIO_TEST_REDIS_URL is unset.
 */
export function forEachLimiterKind(suite: (kind: LimiterKind) => void): void {
  describe('in-process', () => defineKindSuite('in-process', suite));
  describe.skipIf(!REDIS_URL)(REDIS_URL ? 'redis' : REDIS_SKIP_NAME, () => defineKindSuite('redis', suite));
}
