import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CacheKey } from '../../platform/src/services/cache/index.js';
import type { HttpRequest } from '../../platform/src/http/index.js';
import { createLogger, type Logger } from '../../platform/src/observability/index.js';

/** Redis server the cache suites use; they are skipped, under a name that says why, when it is unset. */
export const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL;

export const REDIS_SUITE_NAME = REDIS_URL ? 'with redis' : 'with redis (skipped: set LUMIO_TEST_REDIS_URL to run)';

/** Returns a key prefix no other test run shares, so parallel runs never see each other's keys. */
export function createKeyPrefix(): string {
  return `lumio-test:${randomBytes(8).toString('hex')}:`;
}

/** Opens a client and waits until it is ready, so the cache does not skip Redis while it connects. */
export async function openRedis(url: string, connectionName?: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, ...(connectionName === undefined ? {} : { connectionName }) });
  await redis.ping();
  return redis;
}

/** Deletes every key under `prefix` and returns how many it deleted. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
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

/** Creates a logger whose JSON lines the test reads. */
export function captureLogs(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

/** Builds the cache key of a request the way the request executor does: before auth is applied. */
export function keyForRequest(request: HttpRequest, connectionId: string, object?: string): CacheKey {
  const key: CacheKey = { connectionId, provider: 'test-api', method: request.method, url: request.url };
  if (object !== undefined) key.object = object;
  if (request.query !== undefined) key.query = request.query;
  if (request.headers?.accept !== undefined) key.varyHeaders = { accept: request.headers.accept };
  return key;
}

/** Returns the median of the samples. */
export function median(samples: number[]): number {
  const sorted = [...samples].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
