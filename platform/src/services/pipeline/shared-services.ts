import { Redis } from 'ioredis';

import type { Logger } from '../../observability/index.js';
import type { RequestServices } from '../../runtime/index.js';
import { createResponseCache, type CacheMetrics, type ResponseCache } from '../cache/index.js';
import { createBreakerRegistry, type BreakerMetrics, type BreakerRegistry } from '../circuit-breaker/index.js';
import type { HttpClient } from '../../http/index.js';
import type { CredentialCipher } from '../../security/index.js';
import type { Store } from '../../store/index.js';
import { createDistributedLock } from '../locks/index.js';
import { createRateLimiter, type RateLimitMetrics, type RateLimiter } from '../rate-limit/index.js';
import type { RetryMetrics } from '../retry/index.js';
import { createTokenRefresher, type TokenRefresher } from '../token-refresh/index.js';
import type { ConnectionObserver } from './connection-observer.js';
import type { RequestMetrics } from './request-metrics.js';
import { createRecordStoreLayer } from './record-store-layer.js';
import { createRequestPipeline } from './request-pipeline.js';

export interface SharedServices {
  pipeline: RequestServices;
  limiter: RateLimiter;
  breakers: BreakerRegistry;
  cache: ResponseCache;
  refresher: TokenRefresher | undefined;
  /** Whether budgets, cache entries and invalidations are shared with other processes through Redis. */
  shared: boolean;
  /** Checks that Redis responds, when the services use it, and raises when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Metrics the shared services report to, one implementation per service. */
export interface SharedServiceMetrics {
  retry: RetryMetrics;
  breakers: BreakerMetrics;
  rateLimit: RateLimitMetrics;
  cache: CacheMetrics;
  requests: RequestMetrics;
}

export interface StartSharedServicesOptions {
  /** Redis URL; without it every service keeps its state in this process (and token refresh locks in the database). */
  redisUrl: string | undefined;
  /** Store, cipher and HTTP client the token refresher reads and saves credentials with; without them OAuth tokens are not refreshed. */
  tokenRefresh?: { store: Store; cipher: CredentialCipher; http: HttpClient };
  /** Receivers of the services' counts and timings; without them the services record nothing. */
  metrics?: SharedServiceMetrics;
  /** Receives per-connection request counts and supplies per-connection debug logging. */
  observer?: ConnectionObserver;
  /** Store whose records serve cached `get` reads as the cache's last layer (L3); without it the cache has two layers. */
  recordStore?: Pick<Store, 'recordCache' | 'mappings'>;
  logger: Logger;
}

/**
 * Starts the services every provider request shares: rate limiter, circuit breakers,
 * response cache, and the pipeline that combines them with retries.
 */
export async function startSharedServices(options: StartSharedServicesOptions): Promise<SharedServices> {
  const { redisUrl, tokenRefresh, metrics, observer, logger } = options;

  let redis: Redis | undefined;
  if (redisUrl) {
    redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    // Without a listener ioredis reports every failed reconnection as an unhandled error event.
    redis.on('error', (error: Error) => logger.warn({ err: error }, 'shared services Redis error; ioredis reconnects'));
    await redis.connect();
    logger.info({ redis: new URL(redisUrl).host }, 'shared services use Redis');
  }

  const limiter = createRateLimiter({ ...(redis ? { redis } : {}), keyPrefix: 'lumio:rate-limit:', logger, ...(metrics ? { metrics: metrics.rateLimit } : {}) });
  const breakers = createBreakerRegistry({ logger, ...(metrics ? { metrics: metrics.breakers } : {}) });
  const cache = createResponseCache({ ...(redis ? { redis } : {}), keyPrefix: 'lumio:cache:', logger, ...(metrics ? { metrics: metrics.cache } : {}) });
  let refresher: TokenRefresher | undefined;
  if (tokenRefresh) {
    const lock = createDistributedLock({ ...(redis ? { redis } : {}), locks: tokenRefresh.store.locks, logger });
    refresher = createTokenRefresher({ ...tokenRefresh, lock, logger });
  }
  const pipeline = createRequestPipeline({
    limiter,
    breakers,
    cache,
    // Both keep their state on this one client's server.
    combineCacheReads: redis !== undefined,
    ...(refresher ? { refresher } : {}),
    ...(metrics ? { retryMetrics: metrics.retry, requestMetrics: metrics.requests } : {}),
    ...(observer ? { observer } : {}),
    ...(options.recordStore ? { recordStore: createRecordStoreLayer({ store: options.recordStore, logger }) } : {}),
  });

  return {
    pipeline,
    limiter,
    breakers,
    cache,
    refresher,
    shared: redis !== undefined,
    async ping() {
      await redis?.ping();
    },
    async close() {
      await limiter.close();
      breakers.shutdown();
      await cache.close();
      await redis?.quit();
    },
  };
}
