import type { Redis } from 'ioredis';
import type { LockBackend } from './lock-types.js';

// Both scripts compare the stored token before they act, in one atomic step, so a holder
// whose lock expired cannot delete or extend the lock of the next holder. They run with
// EVAL each time: they are short and a lock is taken about once per token refresh, so
// caching them with EVALSHA would save little.

/** KEYS[1] the lock key, ARGV[1] the holder's token. Returns 1 when it deleted the key. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** KEYS[1] the lock key, ARGV[1] the holder's token, ARGV[2] the new time to live in milliseconds. */
const EXTEND_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

export interface RedisLockBackendOptions {
  redis: Redis;
  /** Prepended to every lock key, e.g. "lumio:lock:". */
  keyPrefix: string;
}

/**
 * Creates a lock backend on Redis: `SET key token NX PX ttl` takes a lock, and the time to
 * live counts on the Redis server, so clock skew between processes does not matter. It
 * uses one Redis server. With replication, a failover can lose a lock that the old
 * primary granted, so two holders may briefly overlap.
 */
export function createRedisLockBackend(options: RedisLockBackendOptions): LockBackend {
  const { redis, keyPrefix } = options;

  return {
    name: 'redis',

    async tryAcquire(key, token, ttlMs) {
      const reply = await redis.set(`${keyPrefix}${key}`, token, 'PX', Math.ceil(ttlMs), 'NX');
      return reply === 'OK';
    },

    async extend(key, token, ttlMs) {
      const reply = await redis.eval(EXTEND_SCRIPT, 1, `${keyPrefix}${key}`, token, Math.ceil(ttlMs));
      return reply === 1;
    },

    async release(key, token) {
      const reply = await redis.eval(RELEASE_SCRIPT, 1, `${keyPrefix}${key}`, token);
      return reply === 1;
    },
  };
}
