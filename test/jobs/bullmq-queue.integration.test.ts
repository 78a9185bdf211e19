import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createBullmqJobQueue } from '../../platform/src/jobs/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { CONTRACT_SETTINGS, defineQueueContract } from './queue-contract.js';

// The job queue contract on BullMQ. Each run writes under a prefix of its own and deletes
// every key under it afterwards.
const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;
const suiteName = REDIS_URL ? 'BullMQ job queue' : 'BullMQ job queue (skipped: set LUMIO_TEST_REDIS_URL to run)';

describe.skipIf(!REDIS_URL)(suiteName, () => {
  const prefix = `lumio-test-jobs-${randomBytes(4).toString('hex')}`;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL as string, { maxRetriesPerRequest: 2 });
    await redis.ping();
  });

  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  });

  defineQueueContract({
    openQueue: (overrides) => createBullmqJobQueue({ redisUrl: REDIS_URL as string, prefix, logger: silentLogger, ...CONTRACT_SETTINGS, ...overrides }),
    backendConfig: () => ({ backend: 'bullmq', redisUrl: REDIS_URL as string, prefix }),
    async breakLock(name, id) {
      const deleted = await redis.del(`${prefix}:${name}:${id}:lock`);
      if (deleted !== 1) throw new Error(`Job ${id} had no lock in Redis, so it could not be taken away.`);
    },
  });
});
