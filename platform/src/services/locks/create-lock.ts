import type { Redis } from 'ioredis';
import type { Logger } from '../../observability/index.js';
import type { LockRepository } from '../../store/index.js';
import { createBackendLock, type BackendLockOptions } from './backend-lock.js';
import { createDatabaseLockBackend } from './database-lock-backend.js';
import type { DistributedLock } from './lock-types.js';
import { createMemoryLockBackend } from './memory-lock-backend.js';
import { createRedisLockBackend } from './redis-lock-backend.js';

/** Default prefix of lock keys in Redis. */
export const DEFAULT_LOCK_KEY_PREFIX = 'lumio:lock:';

export interface RedisLockOptions extends Omit<BackendLockOptions, 'logger'> {
  redis: Redis;
  /** Prepended to every lock key. Default "lumio:lock:". */
  keyPrefix?: string;
  logger: Logger;
}

export interface DatabaseLockOptions extends Omit<BackendLockOptions, 'logger'> {
  /** The store's `locks` repository. */
  locks: LockRepository;
  logger: Logger;
  /** Wall clock for lock expiry, in epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
}

export interface DistributedLockOptions extends Omit<BackendLockOptions, 'logger'> {
  /** When set, locks live in Redis; otherwise in the database's `locks` table. */
  redis?: Redis;
  /** Prefix of Redis lock keys. Default "lumio:lock:". */
  keyPrefix?: string;
  locks: LockRepository;
  logger: Logger;
}

/** Creates a lock on Redis (`SET NX PX`, released and extended by compare-and-act scripts). */
export function createRedisLock(options: RedisLockOptions): DistributedLock {
  const { redis, keyPrefix = DEFAULT_LOCK_KEY_PREFIX, ...rest } = options;
  return createBackendLock(createRedisLockBackend({ redis, keyPrefix }), rest);
}

/** Creates a lock on the store's `locks` table (SQLite or PostgreSQL). */
export function createDatabaseLock(options: DatabaseLockOptions): DistributedLock {
  const { locks, clock, ...rest } = options;
  return createBackendLock(createDatabaseLockBackend(locks, clock), rest);
}

/** Creates a lock for one process only, for single-process use and tests. */
export function createMemoryLock(options: Omit<BackendLockOptions, 'now'> & { clock?: () => number }): DistributedLock {
  const { clock, ...rest } = options;
  return createBackendLock(createMemoryLockBackend(clock), rest);
}

/** Creates the lock the platform shares between processes: Redis when configured, else the database. */
export function createDistributedLock(options: DistributedLockOptions): DistributedLock {
  const { redis, keyPrefix, locks, ...rest } = options;
  if (redis) return createRedisLock({ redis, ...(keyPrefix === undefined ? {} : { keyPrefix }), ...rest });
  return createDatabaseLock({ locks, ...rest });
}
