export interface LockOptions {
  /**
   * Time in milliseconds after which the lock frees itself if its holder stops (a crash).
   * While `fn` runs, the holder extends it every third of this time, so `fn` may run longer.
   */
  ttlMs: number;
  /** Maximum time in milliseconds to wait for a lock another holder has. 0 tries once. */
  waitMs: number;
  /** Stops waiting for the lock; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The held lock, as `fn` receives it. */
export interface LockLease {
  key: string;
  /** Random token that identifies this holder to the backend. */
  token: string;
  /**
   * Aborted when an extension finds the lock expired or taken by another holder, or fails
   * to reach the backend. `fn` can stop, or carry on knowing another holder may run too.
   */
  signal: AbortSignal;
}

/** A mutual exclusion lock shared by every process that uses the same backend. */
export interface DistributedLock {
  /**
   * Runs `fn` while holding the lock `key` and releases it when `fn` settles. Raises
   * `LumioError` `LOCK_TIMEOUT` when the lock cannot be taken within `waitMs`.
   */
  withLock<T>(key: string, options: LockOptions, fn: (lease: LockLease) => Promise<T>): Promise<T>;
}

/**
 * The three atomic steps a lock store provides. Each compares the owner token, so a
 * holder whose lock expired cannot extend or release the lock of the next holder.
 */
export interface LockBackend {
  /** Human-readable backend name for logs, e.g. "redis". */
  readonly name: string;
  /** Takes the lock for `ttlMs` unless another holder has it. Returns whether it was taken. */
  tryAcquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Restarts the time to live of a lock `token` holds. Returns false when it does not hold it. */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
  /**
   * Frees the lock when `token` owns it. Returns false when another holder took it or the
   * key is gone. An expired lock that no other holder took is already gone on Redis, but
   * its owner can still delete it on the database.
   */
  release(key: string, token: string): Promise<boolean>;
}
