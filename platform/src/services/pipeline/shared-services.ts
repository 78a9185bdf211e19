import { Redis } from 'ioredis';

import type { Logger } from '../../observability/index.js';
import type { RequestServices } from '../../runtime/index.js';
import { createResponseCache, type ResponseCache } from '../cache/index.js';
import { createBreakerRegistry, type BreakerRegistry } from '../circuit-breaker/index.js';
import { createRateLimiter, type RateLimiter } from '../rate-limit/index.js';
import { createRequestPipeline } from './request-pipeline.js';

export interface SharedServices {
  pipeline: RequestServices;
  limiter: RateLimiter;
  breakers: BreakerRegistry;
  cache: ResponseCache;
  /** Whether budgets, cache entries and invalidations are shared with other processes through Redis. */
  shared: boolean;
  close(): Promise<void>;
}

export interface StartSharedServicesOptions {
  /** Redis URL; without it every service keeps its state in this process. */
  redisUrl: string | undefined;
  logger: Logger;
}

/**
 * Starts the services every provider request shares: rate limiter, circuit breakers,
 * response cache, and the pipeline that combines them with retries.
 */
export async function startSharedServices(options: StartSharedServicesOptions): Promise<SharedServices> {
  const { redisUrl, logger } = options;

  let redis: Redis | undefined;
  if (redisUrl) {
    redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await redis.connect();
    logger.info({ redis: new URL(redisUrl).host }, 'shared services use Redis');
  }

  const limiter = createRateLimiter({ ...(redis ? { redis } : {}), keyPrefix: 'lumio:rate-limit:', logger });
  const breakers = createBreakerRegistry({ logger });
  const cache = createResponseCache({ ...(redis ? { redis } : {}), keyPrefix: 'lumio:cache:', logger });
  const pipeline = createRequestPipeline({ limiter, breakers, cache });

  return {
    pipeline,
    limiter,
    breakers,
    cache,
    shared: redis !== undefined,
    async close() {
      await limiter.close();
      breakers.shutdown();
      await cache.close();
      await redis?.quit();
    },
  };
}
