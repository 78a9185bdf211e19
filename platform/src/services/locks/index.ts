// Mutual exclusion between processes, on Redis or on the database's `locks` table, for
// steps that must not run twice at once, such as refreshing an OAuth token. A holder that
// stops extending its lock (a crash, a lost backend) loses it when its time to live ends.
export { createDistributedLock, createRedisLock, createDatabaseLock, createMemoryLock, DEFAULT_LOCK_KEY_PREFIX } from './create-lock.js';
export type { DistributedLockOptions, RedisLockOptions, DatabaseLockOptions } from './create-lock.js';
export { createBackendLock, lockTimeoutError } from './backend-lock.js';
export type { BackendLockOptions } from './backend-lock.js';
export { createRedisLockBackend } from './redis-lock-backend.js';
export type { RedisLockBackendOptions } from './redis-lock-backend.js';
export { createDatabaseLockBackend } from './database-lock-backend.js';
export { createMemoryLockBackend } from './memory-lock-backend.js';
export type { DistributedLock, LockBackend, LockLease, LockOptions } from './lock-types.js';
