import type { Redis } from 'ioredis';
import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import { generationKey, type GenerationStore, type Generations } from './generation-store.js';
import { isRedisUnavailable } from './redis-status.js';
import type { LimitedWarning } from '../../observability/index.js';
import { withTimeout } from './with-timeout.js';

/**
 * Raises a generation and announces it in one atomic step, so no process can read the
 * new number before the message is on its way. KEYS[1] is the generation key, ARGV[1]
 * the channel and ARGV[2] the key as the cache names it. The message is "<ARGV[2]>
 * <generation>"; it does not use KEYS[1], which a client-side ioredis `keyPrefix` changes.
 */
const BUMP_SCRIPT = `
local generation = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. generation)
return generation
`;

export interface RedisGenerationStoreOptions {
  redis: Redis;
  keyPrefix: string;
  /** Deadline for one Redis command, in milliseconds. */
  timeoutMs: number;
  /** How long a number read from Redis is trusted while subscribed, in milliseconds. */
  refreshMs: number;
  logger: Logger;
  warn: LimitedWarning;
  now: () => number;
}

interface TrustedGeneration {
  generation: number;
  /** Epoch milliseconds of the read or message that set it. */
  updatedAt: number;
}

/**
 * Creates a generation store backed by Redis. Generation keys have no expiry, because
 * an expired key would read as 0 and bring back entries written under 0. Entries do
 * expire, so a Redis `maxmemory-policy` of `noeviction` or a `volatile-*` policy keeps
 * generation keys safe.
 *
 * Numbers are cached in memory so an L1 hit needs no Redis round trip. They are trusted
 * only while a duplicate connection is subscribed to the invalidation channel. Every raise
 * is published there and applied on receipt. Trust ends after `refreshMs`, in case a
 * publish was lost, and is dropped whenever the subscriber disconnects. While not
 * subscribed, every lookup reads the numbers from Redis.
 */
export function createRedisGenerationStore(options: RedisGenerationStoreOptions): GenerationStore {
  const { redis, keyPrefix, timeoutMs, refreshMs, logger, warn, now } = options;
  const channel = `${keyPrefix}invalidations`;
  const trusted = new Map<string, TrustedGeneration>();
  const readyWaiters: (() => void)[] = [];
  let subscribed = false;
  let closed = false;
  // Changes whenever trust is dropped or regained, so a read that started before that is not cached.
  let trustEpoch = 0;

  const subscriber = redis.duplicate({ autoResubscribe: false, lazyConnect: false });

  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        if (closed) return;
        trustEpoch += 1;
        subscribed = true;
        logger.info({ channel }, 'response cache subscribed to invalidations');
        resolveReadyWaiters();
      },
      (error: unknown) => warn({ err: error, channel }, 'response cache could not subscribe to invalidations; lookups read generations from Redis'),
    );
  });

  subscriber.on('close', () => {
    if (subscribed && !closed) warn({ channel }, 'response cache lost its invalidation subscription; lookups read generations from Redis until it returns');
    subscribed = false;
    trustEpoch += 1;
    trusted.clear();
  });

  subscriber.on('error', (error: unknown) => {
    if (!closed) warn({ err: error, channel }, 'response cache Redis subscriber failed');
  });

  subscriber.on('message', (messageChannel: string, message: string) => {
    if (messageChannel !== channel || !subscribed) return;

    const separator = message.lastIndexOf(' ');
    const generation = Number(message.slice(separator + 1));
    if (separator <= 0 || !Number.isSafeInteger(generation)) return;

    // Numbers only rise, so a message older than a number read since must not lower it.
    const key = message.slice(0, separator);
    const known = trusted.get(key);
    trusted.set(key, { generation: Math.max(generation, known?.generation ?? 0), updatedAt: now() });
  });

  function resolveReadyWaiters(): void {
    for (const resolve of readyWaiters.splice(0)) resolve();
  }

  function readTrusted(key: string, time: number): number | undefined {
    const known = trusted.get(key);
    if (known === undefined || time - known.updatedAt >= refreshMs) return undefined;
    return known.generation;
  }

  /**
   * Caches a number read from Redis and returns the number to use. A message that
   * arrived while the read was in flight may carry a higher number than the read saw,
   * and then the higher one wins.
   */
  function rememberGeneration(key: string, generation: number, startedAt: number, startedEpoch: number): number {
    const known = trusted.get(key);
    const value = known !== undefined && known.updatedAt >= startedAt ? Math.max(known.generation, generation) : generation;
    if (subscribed && trustEpoch === startedEpoch) trusted.set(key, { generation: value, updatedAt: now() });
    return value;
  }

  function peek(connectionId: string, object: string | undefined): Generations | undefined {
    if (!subscribed) return undefined;
    const time = now();
    const connection = readTrusted(generationKey(keyPrefix, connectionId), time);
    if (connection === undefined) return undefined;
    const objectGeneration = object === undefined ? 0 : readTrusted(generationKey(keyPrefix, connectionId, object), time);
    return objectGeneration === undefined ? undefined : { connection, object: objectGeneration };
  }

  async function read(connectionId: string, object: string | undefined): Promise<Generations | undefined> {
    const connectionKey = generationKey(keyPrefix, connectionId);
    const objectKey = object === undefined ? undefined : generationKey(keyPrefix, connectionId, object);
    const startedAt = now();

    const known = peek(connectionId, object);
    if (known !== undefined) return known;

    if (isRedisUnavailable(redis)) {
      warn({ redisStatus: redis.status }, 'response cache skipped Redis because it is not connected; requests go to the provider');
      return undefined;
    }

    const startedEpoch = trustEpoch;
    const keys = objectKey === undefined ? [connectionKey] : [connectionKey, objectKey];
    let replies: (string | null)[];
    try {
      replies = await withTimeout(redis.mget(...keys), timeoutMs, 'MGET');
    } catch (error) {
      warn({ err: error }, 'response cache could not read generations from Redis; requests go to the provider');
      return undefined;
    }

    const connection = rememberGeneration(connectionKey, parseGeneration(replies[0]), startedAt, startedEpoch);
    const objectGeneration = objectKey === undefined ? 0 : rememberGeneration(objectKey, parseGeneration(replies[1]), startedAt, startedEpoch);
    return { connection, object: objectGeneration };
  }

  async function bump(invalidation: { connectionId: string; object?: string }): Promise<void> {
    const key = generationKey(keyPrefix, invalidation.connectionId, invalidation.object);
    if (isRedisUnavailable(redis)) {
      throw new LumioError('CACHE_L2_UNAVAILABLE', `The Redis client is in state "${redis.status}", so the generation "${key}" was not raised; check that Redis is reachable.`, {
        status: 503,
        fault: 'platform',
        details: { key, redisStatus: redis.status },
      });
    }

    const startedAt = now();
    const startedEpoch = trustEpoch;
    const reply = await withTimeout(redis.eval(BUMP_SCRIPT, 1, key, channel, key), timeoutMs, 'EVAL');
    rememberGeneration(key, parseGeneration(reply), startedAt, startedEpoch);
  }

  async function ready(): Promise<void> {
    if (subscribed || closed) return;
    await new Promise<void>((resolve) => readyWaiters.push(resolve));
  }

  async function close(): Promise<void> {
    closed = true;
    subscribed = false;
    trusted.clear();
    resolveReadyWaiters();
    subscriber.disconnect();
  }

  return { peek, read, bump, ready, close };
}

/** Parses a generation read from Redis. A missing key is generation 0, and INCR stores decimal integers. */
function parseGeneration(reply: unknown): number {
  if (reply === null || reply === undefined) return 0;
  const generation = Number(reply);
  return Number.isSafeInteger(generation) ? generation : 0;
}
