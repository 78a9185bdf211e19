import type { Redis } from 'ioredis';

/**
 * ioredis client states in which the cache sends commands. In any other state (connecting,
 * reconnecting, closed) a command would wait in the offline queue, so the cache skips
 * Redis instead of adding that wait to a request. "wait" is a lazy client that has not
 * connected yet; its first command opens the connection, within the command deadline.
 */
const USABLE_STATES = new Set(['ready', 'wait']);

/** Returns true when a command sent now would wait for a connection. */
export function isRedisUnavailable(redis: Redis): boolean {
  return !USABLE_STATES.has(redis.status);
}
