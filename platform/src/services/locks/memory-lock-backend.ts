import type { LockBackend } from './lock-types.js';

interface HeldLock {
  token: string;
  /** Epoch milliseconds at which the lock frees itself. */
  expiresAt: number;
}

/**
 * Creates a lock backend in this process's memory, for a single process (no Redis and
 * no shared database) and for unit tests. Other processes do not see its locks.
 */
export function createMemoryLockBackend(now: () => number = Date.now): LockBackend {
  const locks = new Map<string, HeldLock>();

  const holds = (key: string, token: string): boolean => {
    const held = locks.get(key);
    return held !== undefined && held.token === token && held.expiresAt > now();
  };

  return {
    name: 'memory',

    async tryAcquire(key, token, ttlMs) {
      const held = locks.get(key);
      if (held !== undefined && held.expiresAt > now()) return false;
      locks.set(key, { token, expiresAt: now() + ttlMs });
      return true;
    },

    async extend(key, token, ttlMs) {
      if (!holds(key, token)) return false;
      locks.set(key, { token, expiresAt: now() + ttlMs });
      return true;
    },

    async release(key, token) {
      if (!holds(key, token)) return false;
      locks.delete(key);
      return true;
    },
  };
}
