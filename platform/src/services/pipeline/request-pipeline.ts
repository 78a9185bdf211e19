import type { HttpRequest, HttpResponse } from '../../http/index.js';
import type { ConnectorContext, RequestInfo, RequestServices } from '../../runtime/index.js';
import type { CacheLoadOptions, ResponseCache } from '../cache/index.js';
import type { BreakerRegistry } from '../circuit-breaker/index.js';
import type { RateLimiter } from '../rate-limit/index.js';
import type { RetryMetrics } from '../retry/index.js';
import type { TokenRefresher } from '../token-refresh/index.js';
import type { ConnectionObserver } from './connection-observer.js';
import { createManifestPlans } from './manifest-plan.js';
import { ProviderCall, type CallServices } from './provider-call.js';
import { noopRequestMetrics, type RequestMetrics } from './request-metrics.js';

export interface RequestPipelineOptions {
  limiter: RateLimiter;
  breakers: BreakerRegistry;
  /** Response cache for `get` reads of objects with a `cacheTtlSeconds`; none caches nothing. */
  cache?: ResponseCache;
  /**
   * Reads the cache's Redis entries in the round trip of the limiter's acquire. Set it only
   * when the limiter and the cache keep their state on the same Redis server.
   */
  combineCacheReads?: boolean;
  /** Retry counters, labelled with the connector id. */
  retryMetrics?: RetryMetrics;
  /** Receives every HTTP send to a provider, retries included. */
  requestMetrics?: RequestMetrics;
  /** Refreshes OAuth access tokens before they expire and after the provider reports they did. */
  refresher?: TokenRefresher;
  /** Receives per-connection request counts and supplies per-connection debug logging. */
  observer?: ConnectionObserver;
}

/** Connection id used for keys when a context has none (a request outside any connection). */
const UNKNOWN_CONNECTION = 'unknown';

/**
 * Builds the shared services every provider request passes through, outermost first:
 * cache (reads only), circuit breaker, retry with backoff, and rate limiter. The breaker
 * sits outside the retry, so one request counts once, after its retries. The limiter sits
 * inside, so every attempt takes a slot and every response adjusts the budgets.
 */
export function createRequestPipeline(options: RequestPipelineOptions): RequestServices {
  const { cache, observer } = options;
  const services: CallServices = {
    limiter: options.limiter,
    breakers: options.breakers,
    requestMetrics: options.requestMetrics ?? noopRequestMetrics,
    refresher: options.refresher,
    observer,
  };
  const planOf = createManifestPlans(options.retryMetrics);
  const combineCacheReads = options.combineCacheReads === true && options.limiter.acquireUnlessStored !== undefined;

  return {
    ...(observer ? { debugLog: (connectionId: string) => observer.debugLog(connectionId) } : {}),

    async run(ctx: ConnectorContext, request: HttpRequest, info: RequestInfo, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
      const connectionId = ctx.connectionId ?? UNKNOWN_CONNECTION;
      const debugLog = observer && ctx.connectionId !== undefined ? await observer.debugLog(ctx.connectionId) : null;
      const call = new ProviderCall(services, planOf(ctx.manifest), ctx, request, info, send, connectionId, debugLog);

      const ttlMs = cacheTtlMs(ctx, info);
      if (!cache || ttlMs === undefined || ctx.connectionId === undefined) return call.protectedRun();

      const key = { connectionId: ctx.connectionId, provider: ctx.manifest.id, method: request.method, url: request.url, ...(request.query ? { query: request.query } : {}), ...(info.object ? { object: info.object } : {}) };
      const loadOptions: CacheLoadOptions | undefined = combineCacheReads ? { readL2: (entryKey) => call.readStoredOrAcquire(entryKey) } : undefined;
      const { response, layer } = await cache.getOrLoad(key, ttlMs, () => call.protectedRun(), loadOptions);
      observer?.cacheLookup(ctx.connectionId, layer);
      debugLog?.event({ operation: info.operation, object: info.object, cache: layer }, 'response cache lookup');
      return response;
    },
  };
}

/**
 * Cache lifetime for a request in milliseconds, or undefined when it must not be cached.
 * Only `get` reads of objects that declare `cacheTtlSeconds` are cached: sync pages must
 * see the provider's current data, and writes are never cached.
 */
function cacheTtlMs(ctx: ConnectorContext, info: RequestInfo): number | undefined {
  if (info.operation !== 'get' || info.object === undefined) return undefined;
  const seconds = ctx.manifest.objects[info.object]?.cacheTtlSeconds;
  return seconds !== undefined && seconds > 0 ? seconds * 1000 : undefined;
}
