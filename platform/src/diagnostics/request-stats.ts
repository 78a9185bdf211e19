import type { CacheLayer } from '../services/cache/index.js';
import type { ProviderSend } from '../services/pipeline/index.js';

/** Width of one time bucket, in milliseconds. */
const BUCKET_MS = 5 * 60_000;
/** Buckets kept per connection: the window is the last hour, in five-minute steps. */
const BUCKET_COUNT = 12;
const WINDOW_MS = BUCKET_MS * BUCKET_COUNT;
/** Upper bounds of the latency histogram, in milliseconds; a last bucket takes slower sends. */
const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 30_000, 60_000];

interface Bucket {
  start: number;
  sends: number;
  retries: number;
  errors: number;
  errorTypes: Record<string, number>;
  rateLimitHits: number;
  cacheHits: number;
  cacheMisses: number;
  /** Send counts per latency bound, with one more entry for sends slower than the last bound. */
  latency: number[];
}

/** Request counts of one connection over the window, as the metrics endpoint returns them. */
export interface RequestStatsSummary {
  /** The sends counted are those of this process only, not of other API or worker processes. */
  scope: 'process';
  window: { from: string; to: string };
  /** HTTP sends to the provider, retries included. */
  requests: number;
  retries: number;
  errors: number;
  errorRate: number | null;
  /** Failed sends by kind: `timeout`, `rate_limited`, `auth`, `server_error`… */
  errorsByType: Record<string, number>;
  rateLimitHits: number;
  /** Estimated from a histogram, so each value is accurate to the width of its bucket. */
  latencyMs: { p50: number | null; p95: number | null };
  cache: { hits: number; misses: number; hitRate: number | null };
}

/**
 * Counts each connection's provider requests in this process over the last hour, because
 * the Prometheus metrics carry the connector id but no connection id. Memory is bounded:
 * 12 buckets per connection that sent in the last hour.
 */
export class ConnectionRequestStats {
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket[]>();
  #lastSweepAt = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  recordSend(connectionId: string, send: ProviderSend): void {
    const bucket = this.#current(connectionId);
    bucket.sends += 1;
    if (send.attempt > 1) bucket.retries += 1;
    if (send.errorType) {
      bucket.errors += 1;
      bucket.errorTypes[send.errorType] = (bucket.errorTypes[send.errorType] ?? 0) + 1;
      if (send.errorType === 'rate_limited') bucket.rateLimitHits += 1;
    }

    const durationMs = send.durationSeconds * 1000;
    const index = LATENCY_BOUNDS_MS.findIndex((bound) => durationMs <= bound);
    const slot = index === -1 ? LATENCY_BOUNDS_MS.length : index;
    bucket.latency[slot] = (bucket.latency[slot] ?? 0) + 1;
  }

  recordCacheLookup(connectionId: string, layer: CacheLayer): void {
    const bucket = this.#current(connectionId);
    if (layer === 'miss') bucket.cacheMisses += 1;
    else bucket.cacheHits += 1;
  }

  /** Sums the connection's buckets of the last hour. */
  summary(connectionId: string): RequestStatsSummary {
    const now = this.#now();
    const from = Math.floor(now / BUCKET_MS) * BUCKET_MS - (BUCKET_COUNT - 1) * BUCKET_MS;
    const buckets = (this.#buckets.get(connectionId) ?? []).filter((bucket) => bucket.start >= from);

    const total = emptyBucket(from);
    for (const bucket of buckets) {
      total.sends += bucket.sends;
      total.retries += bucket.retries;
      total.errors += bucket.errors;
      total.rateLimitHits += bucket.rateLimitHits;
      total.cacheHits += bucket.cacheHits;
      total.cacheMisses += bucket.cacheMisses;
      for (const [type, count] of Object.entries(bucket.errorTypes)) total.errorTypes[type] = (total.errorTypes[type] ?? 0) + count;
      bucket.latency.forEach((count, index) => (total.latency[index] = (total.latency[index] ?? 0) + count));
    }

    const lookups = total.cacheHits + total.cacheMisses;
    return {
      scope: 'process',
      window: { from: new Date(from).toISOString(), to: new Date(now).toISOString() },
      requests: total.sends,
      retries: total.retries,
      errors: total.errors,
      errorRate: total.sends === 0 ? null : round(total.errors / total.sends),
      errorsByType: total.errorTypes,
      rateLimitHits: total.rateLimitHits,
      latencyMs: { p50: percentile(total.latency, 0.5), p95: percentile(total.latency, 0.95) },
      cache: { hits: total.cacheHits, misses: total.cacheMisses, hitRate: lookups === 0 ? null : round(total.cacheHits / lookups) },
    };
  }

  #current(connectionId: string): Bucket {
    const now = this.#now();
    this.#sweep(now);

    const start = Math.floor(now / BUCKET_MS) * BUCKET_MS;
    let buckets = this.#buckets.get(connectionId);
    if (!buckets) {
      buckets = [];
      this.#buckets.set(connectionId, buckets);
    }

    let bucket = buckets.at(-1);
    if (!bucket || bucket.start !== start) {
      bucket = emptyBucket(start);
      buckets.push(bucket);
      while (buckets.length > BUCKET_COUNT) buckets.shift();
    }
    return bucket;
  }

  /** Forgets connections that sent nothing in the window, at most once per bucket width. */
  #sweep(now: number): void {
    if (now - this.#lastSweepAt < BUCKET_MS) return;
    this.#lastSweepAt = now;
    for (const [connectionId, buckets] of this.#buckets) {
      const newest = buckets.at(-1);
      if (!newest || newest.start < now - WINDOW_MS) this.#buckets.delete(connectionId);
    }
  }
}

function emptyBucket(start: number): Bucket {
  return { start, sends: 0, retries: 0, errors: 0, errorTypes: {}, rateLimitHits: 0, cacheHits: 0, cacheMisses: 0, latency: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0) };
}

/**
 * Estimates a percentile from the histogram by linear interpolation inside the bucket that
 * contains it. Sends slower than the last bound are reported as that bound.
 */
function percentile(counts: number[], quantile: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;

  const rank = quantile * total;
  let seen = 0;
  for (let index = 0; index < counts.length; index += 1) {
    const count = counts[index] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = index === 0 ? 0 : (LATENCY_BOUNDS_MS[index - 1] ?? 0);
      const upper = LATENCY_BOUNDS_MS[index] ?? lower;
      return Math.round(lower + ((rank - seen) / count) * (upper - lower));
    }
    seen += count;
  }
  return LATENCY_BOUNDS_MS.at(-1) ?? null;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
