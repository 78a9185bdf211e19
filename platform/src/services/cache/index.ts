export { createResponseCache } from './response-cache.js';
export { cacheKey } from './cache-key.js';
export { isCacheable, isStorable } from './cacheable.js';
export { createInMemoryCacheMetrics } from './cache-metrics.js';
export type { CacheMetricLabels, CacheMetricLayer, CacheMetrics, InMemoryCacheMetrics } from './cache-metrics.js';
export type { CacheInvalidation, CacheKey, CacheLayer, CacheLoadOptions, CacheLookupResult, ResponseCache, ResponseCacheOptions, StoredCopy } from './cache-types.js';
