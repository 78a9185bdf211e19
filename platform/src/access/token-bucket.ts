/** Outcome of taking a token. */
export interface TakeResult {
  allowed: boolean;
  /** Seconds until a token is available again; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface TokenBucketOptions {
  /** Tokens a full bucket holds: the largest burst. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Buckets kept before full ones are dropped; bounds memory when keys are many. Default 10000. */
  maxKeys?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets kept in this process, one per key.
 *
 * NOTE: each process counts alone, so N API processes behind a load balancer allow N times
 * the configured rate per key.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: TokenBucketOptions) {
    this.#capacity = options.capacity;
    this.#refillPerMs = options.refillPerSecond / 1000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one token from the key's bucket when it has one. */
  take(key: string): TakeResult {
    const bucket = this.#refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: this.#secondsUntilToken(bucket) };
  }

  /** Reports whether the key's bucket has a token, without taking it. */
  check(key: string): TakeResult {
    const bucket = this.#refill(key);
    return bucket.tokens >= 1 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: this.#secondsUntilToken(bucket) };
  }

  /** Fills the key's bucket again. */
  reset(key: string): void {
    this.#buckets.delete(key);
  }

  #refill(key: string): Bucket {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      this.#dropFullBuckets(now);
      bucket = { tokens: this.#capacity, updatedAt: now };
      this.#buckets.set(key, bucket);
      return bucket;
    }

    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs);
    bucket.updatedAt = now;
    return bucket;
  }

  #secondsUntilToken(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#refillPerMs / 1000));
  }

  /** A full bucket is the same as no bucket, so dropping it changes no outcome. */
  #dropFullBuckets(now: number): void {
    if (this.#buckets.size < this.#maxKeys) return;

    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs >= this.#capacity) this.#buckets.delete(key);
    }
    // Keys that are all busy stay until they refill; the oldest go first when the map is still full.
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size < this.#maxKeys) break;
      this.#buckets.delete(key);
    }
  }
}
