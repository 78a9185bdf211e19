// Redis access for the pipeline suites and benchmark. `startSharedServices` names its keys
// under the fixed prefixes "lumio:rate-limit:" and "lumio:cache:". Each run therefore puts a
// run id into its connection ids and account keys, and deletes its keys by that id.
import { Redis } from 'ioredis';

/** Redis server for the shared-services runs. Suites that need it are skipped when it is unset, under a name that gives the reason. */
export const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;

/** Opens a client and waits until it responds to PING. */
export async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  await redis.ping();
  return redis;
}

/** Lists the keys of the shared services that contain `runId`. */
export async function listRunKeys(redis: Redis, runId: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `lumio:*${runId}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Deletes the keys of the shared services that contain `runId`, and returns how many there were. */
export async function deleteRunKeys(redis: Redis, runId: string): Promise<number> {
  const keys = await listRunKeys(redis, runId);
  if (keys.length > 0) await redis.del(...keys);
  return keys.length;
}
