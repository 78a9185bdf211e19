import type { Redis } from 'ioredis';
import type { HttpMethod, HttpResponse, QueryValue } from '../../http/index.js';
import type { Logger } from '../../observability/index.js';
import type { CacheMetrics } from './cache-metrics.js';

/** Cache layer that served a response: process memory, Redis, the record store, or none (the loader ran). */
export type CacheLayer = 'l1' | 'l2' | 'l3' | 'miss';

/** A copy of a response kept outside the cache, such as a record the sync engine stored. */
export interface StoredCopy {
  response: HttpResponse;
  /** When the copy was read from the provider or written, in epoch milliseconds; its age counts against the time to live. */
  writtenAt: number;
}

/**
 * Identity of one cached read. Build it from the request before auth is applied, so
 * no credential (an Authorization header, an API key in the query) reaches the key.
 */
export interface CacheKey {
  /** Lumio connection id. Every key contains it, so one workspace never reads another's entries. */
  connectionId: string;
  /** Manifest object key, e.g. "contacts". `invalidate({ connectionId, object })` drops entries with this object. */
  object?: string;
  /** Connector id, used only as the `provider` metric label; default "unknown". */
  provider?: string;
  method: HttpMethod;
  /** Absolute http(s) URL; `query` entries replace parameters of the same name, as the HTTP client sends them. */
  url: string;
  query?: Record<string, QueryValue>;
  /**
   * Request headers that change the response (Accept, an API version header). Names are
   * case-insensitive and their order does not matter. Authorization, Proxy-Authorization
   * and Cookie are always left out.
   */
  varyHeaders?: Record<string, string>;
}

/** Scope of an invalidation: every entry of a connection, or only those of one of its objects. */
export interface CacheInvalidation {
  connectionId: string;
  object?: string;
}

/** Options of one `getOrLoad` call. */
export interface CacheLoadOptions {
  /**
   * Reads the L2 entry in place of the cache's own GET, so that the caller can combine the
   * read with a command of its own on the same Redis server (the request pipeline combines
   * it with the rate limiter's acquire). It receives the full Redis key and returns the
   * stored text, null when there is none, or undefined to let the cache read the entry
   * itself. It is called only with Redis, on an L1 miss, without the L2 time limit, and a
   * rejection counts as a failed read.
   */
  readL2?: (entryKey: string) => Promise<string | null | undefined>;
  /**
   * Reads the last layer, the record store, after an L1 and L2 miss and before `load`. A
   * copy older than the time to live is ignored. A copy it returns is stored in L1 and L2
   * for the rest of its time to live and reported as layer `l3`. A rejection counts as a
   * miss, and `load` runs.
   */
  readL3?: () => Promise<StoredCopy | undefined>;
  /**
   * Skips every lookup and runs `load`, then stores its response in L1 and L2 as a miss
   * would, replacing an older copy. For reads that must reach the provider and whose
   * result later reads may use. Its layer is `miss`, and no hit or miss is counted.
   */
  refresh?: boolean;
}

export interface CacheLookupResult {
  /**
   * The response. A response the cache stored (every `l1` and `l2` result, and a stored
   * miss) is deeply frozen and shared between callers, so copy it before changing it.
   * It keeps the `durationMs` of the provider request that produced it.
   */
  response: HttpResponse;
  layer: CacheLayer;
}

export interface ResponseCacheOptions {
  /**
   * Shared Redis client for L2 and for invalidations across processes. The caller owns it
   * and closes it after `close()`. The cache opens one more connection (a duplicate of
   * this client) to subscribe to invalidation messages. Without it the cache is L1 only.
   */
  redis?: Redis;
  /**
   * Prefix of every Redis key and of the invalidation channel, e.g. "lumio:cache:". Pub/sub
   * channels are shared by all databases of a Redis server, so use one prefix per deployment
   * on that server.
   */
  keyPrefix: string;
  /**
   * Max entries kept in process memory. Default 500; 0 turns L1 off.
   * NOTE: this bounds the entry count, not bytes, so 500 large list pages can take much memory.
   */
  l1MaxItems?: number;
  /** Default L1 time to live in milliseconds. Default 900000 (15 minutes). */
  l1TtlMs?: number;
  /** Default L2 time to live in milliseconds, at least `l1TtlMs`. Default 1800000 (30 minutes). */
  l2TtlMs?: number;
  /** Deadline for one Redis command in milliseconds; a slower command counts as an L2 failure. Default 250. */
  l2TimeoutMs?: number;
  /**
   * How long a generation number read from Redis is trusted in milliseconds, in case an
   * invalidation message was lost. Default 10000. 0 reads the numbers from Redis on every
   * lookup, so another process's invalidation is seen at once, at the cost of one Redis
   * round trip per L1 hit.
   */
  generationRefreshMs?: number;
  logger: Logger;
  metrics?: CacheMetrics;
  /** Clock in epoch milliseconds; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
}

export interface ResponseCache {
  /**
   * Returns the cached response for `key`, or runs `load` once for all concurrent callers
   * of the same key and stores its result when `isStorable` allows. The L2 write is not
   * awaited: it is sent after this resolves but before the process handles more I/O or
   * timers, so a read another caller starts at once may not see it yet. `ttlMs` replaces
   * both layer defaults when given, and 0 bypasses the cache. A request that `isCacheable`
   * rejects always runs `load` and is never stored.
   */
  getOrLoad(key: CacheKey, ttlMs: number | undefined, load: () => Promise<HttpResponse>, options?: CacheLoadOptions): Promise<CacheLookupResult>;
  /**
   * Drops every entry of a connection, or of one of its objects, in this process at once.
   * Other processes learn of it through a Redis message, so for the message's delivery time
   * (or up to `generationRefreshMs` if it is lost) they may still serve the old entry.
   */
  invalidate(invalidation: CacheInvalidation): Promise<void>;
  /**
   * Resolves once this process receives invalidation messages from Redis, immediately when
   * there is no Redis, or when the cache closes. Until then every lookup reads generations
   * from Redis.
   */
  ready(): Promise<void>;
  /** Clears L1 and closes the subscriber connection. Later calls run `load` without caching. */
  close(): Promise<void>;
}
