/**
 * Token buckets per webhook endpoint, held in this process: a flood at one connection's URL
 * is turned away with 429 before any signature work, and other connections are unaffected.
 * NOTE: each process keeps its own buckets, so N API processes accept up to N times the
 * rate at one endpoint.
 */
export class EndpointRateLimiter {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(options: { ratePerSecond: number; burst?: number }) {
    this.#ratePerSecond = options.ratePerSecond;
    this.#burst = options.burst ?? options.ratePerSecond * 2;
  }

  /** Takes one token for the endpoint; returns 0 when taken, else the seconds until one is free. */
  take(endpoint: string, now: number = performance.now()): number {
    const bucket = this.#buckets.get(endpoint) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#ratePerSecond);
    bucket.updatedAt = now;
    this.#buckets.set(endpoint, bucket);

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#ratePerSecond));
  }
}
