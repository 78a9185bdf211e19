interface LruEntry<V> {
  value: V;
  /** Epoch milliseconds after which the entry is expired. */
  expiresAt: number;
}

export interface LruCacheOptions {
  /** Max entries; setting one more evicts the least recently used. 0 stores nothing. */
  maxItems: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/**
 * An in-memory cache bounded by entry count and per-entry time to live. A `Map` keeps
 * keys in insertion order, so re-inserting a key on every read keeps the least recently
 * used key first. An expired entry is removed when it is read or when eviction reaches it.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, LruEntry<V>>();
  private readonly maxItems: number;
  private readonly now: () => number;

  constructor(options: LruCacheOptions) {
    this.maxItems = options.maxItems;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Returns the value and marks it most recently used, or undefined when it is missing or expired. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;

    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }

    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores the value for `ttlMs` milliseconds as the most recently used entry. A ttl of 0 or less stores nothing. */
  set(key: string, value: V, ttlMs: number): void {
    if (this.maxItems <= 0 || ttlMs <= 0) return;

    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });

    while (this.entries.size > this.maxItems) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  /** Deletes every entry whose key starts with `prefix` and returns how many it deleted. Runs in O(size). */
  deleteByPrefix(prefix: string): number {
    let deleted = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  clear(): void {
    this.entries.clear();
  }
}
