import { LumioError } from '../../errors/index.js';
import type { StoreContext } from '../store-context.js';

/** Maximum length of a lock key, in characters, as the `locks.key` column declares it. */
export const MAX_LOCK_KEY_LENGTH = 255;

/**
 * Rows of the `locks` table. Expiry times are epoch milliseconds from the caller's
 * clock, so every process sharing the database must have a synchronised clock: a
 * process whose clock runs ahead may take a lock before its holder's time is up.
 */
export interface LockRepository {
  /**
   * Takes the lock for `owner` until `expiresAtMs` when no row exists or the row
   * expired at or before `nowMs`. Returns false while another owner has it.
   */
  tryAcquire(key: string, owner: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /**
   * Moves the expiry of a lock `owner` holds that has not expired at `nowMs`. Returns
   * false when it expired or another owner took it.
   */
  extend(key: string, owner: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /** Deletes the lock when `owner` holds it. Returns false when it was taken over or already gone. */
  release(key: string, owner: string): Promise<boolean>;
}

export function createLockRepository({ knex }: StoreContext): LockRepository {
  return {
    async tryAcquire(key, owner, expiresAtMs, nowMs) {
      checkKey(key);

      // One statement inserts the row or takes over an expired one, atomically in its own
      // transaction on both databases. An explicit transaction of an insert and then an
      // update would keep SQLite's write lock across an await. better-sqlite3 waits for a
      // busy database synchronously, blocking the event loop, so a second connection in
      // the same process would wait for the first until busy_timeout and fail with
      // SQLITE_BUSY. On PostgreSQL a concurrent take-over of the same row waits for the
      // first and then re-checks `expires_at`, so only one of them succeeds.
      const taken = await knex('locks')
        .insert({ key, owner, expires_at: expiresAtMs })
        .onConflict('key')
        .merge(['owner', 'expires_at'])
        .where('locks.expires_at', '<=', nowMs)
        .returning('key');
      return taken.length > 0;
    },

    async extend(key, owner, expiresAtMs, nowMs) {
      const changed = await knex('locks').where({ key, owner }).andWhere('expires_at', '>', nowMs).update({ expires_at: expiresAtMs });
      return changed > 0;
    },

    async release(key, owner) {
      const deleted = await knex('locks').where({ key, owner }).delete();
      return deleted > 0;
    },
  };
}

function checkKey(key: string): void {
  if (key.length > 0 && key.length <= MAX_LOCK_KEY_LENGTH) return;

  throw new LumioError('LOCK_KEY_INVALID', `The lock key "${key.slice(0, 80)}" must have 1 to ${MAX_LOCK_KEY_LENGTH} characters; use a shorter key.`, {
    status: 500,
    fault: 'platform',
    details: { length: key.length },
  });
}
