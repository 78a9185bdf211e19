import type { LockRepository } from '../../store/index.js';
import type { LockBackend } from './lock-types.js';

/**
 * Creates a lock backend on the store's `locks` table, for deployments without Redis.
 * Expiry uses `now`, the wall clock of each process, so the processes sharing the
 * database need synchronised clocks (NTP); see `LockRepository`.
 */
export function createDatabaseLockBackend(locks: LockRepository, now: () => number = Date.now): LockBackend {
  return {
    name: 'database',

    async tryAcquire(key, token, ttlMs) {
      const nowMs = now();
      return locks.tryAcquire(key, token, nowMs + Math.ceil(ttlMs), nowMs);
    },

    async extend(key, token, ttlMs) {
      const nowMs = now();
      return locks.extend(key, token, nowMs + Math.ceil(ttlMs), nowMs);
    },

    async release(key, token) {
      return locks.release(key, token);
    },
  };
}
