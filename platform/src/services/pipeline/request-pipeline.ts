import type { HttpRequest, HttpResponse } from '../../http/index.js';
import type { ConnectorContext, InvalidateOptions, RequestInfo, RequestServices } from '../../runtime/index.js';
import type { RecordStoreLayer } from './record-store-layer.js';
import type { CacheLoadOptions, CacheLookupResult, ResponseCache } from '../cache/index.js';
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
  /** The cache's last layer: records stored by syncs and webhook events. Without it the cache has two layers. */
  recordStore?: RecordStoreLayer;
}

type Manifest = ConnectorContext['manifest'];

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
  const { recordStore } = options;

  async function invalidate(manifest: Manifest, connectionId: string, object: string | undefined, options?: InvalidateOptions): Promise<void> {
    if (!cache || !cachesReads(manifest, object)) return;

    await cache.invalidate({ connectionId, ...(object === undefined ? {} : { object }) });
    if (options?.recordStoreCurrent !== true) await recordStore?.invalidate(connectionId, object);
  }

  async function runAndInvalidate(manifest: Manifest, connectionId: string, object: string | undefined, call: ProviderCall): Promise<HttpResponse> {
    try {
      return await call.protectedRun();
    } finally {
      // Also after a failure: a write that timed out may still have reached the provider.
      await invalidate(manifest, connectionId, object);
    }
  }

  return {
    ...(observer ? { debugLog: (connectionId: string) => observer.debugLog(connectionId) } : {}),
    invalidate,

    async run(ctx: ConnectorContext, request: HttpRequest, info: RequestInfo, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
      const connectionId = ctx.connectionId ?? UNKNOWN_CONNECTION;
      const debugLog = observer && ctx.connectionId !== undefined ? await observer.debugLog(ctx.connectionId) : null;
      const call = new ProviderCall(services, planOf(ctx.manifest), ctx, request, info, send, connectionId, debugLog);
      if (!cache || ctx.connectionId === undefined) return call.protectedRun();

      const ttlMs = cacheTtlMs(ctx, info);
      if (ttlMs === undefined) {
        return changesData(request, info) ? runAndInvalidate(ctx.manifest, ctx.connectionId, info.object, call) : call.protectedRun();
      }

      const key = { connectionId: ctx.connectionId, provider: ctx.manifest.id, method: request.method, url: request.url, ...(request.query ? { query: request.query } : {}), ...(info.object ? { object: info.object } : {}) };
      const loadOptions: CacheLoadOptions = {};
      if (combineCacheReads) loadOptions.readL2 = (entryKey) => call.readStoredOrAcquire(entryKey);
      if (recordStore && info.recordId !== undefined && info.object !== undefined) {
        const { manifest, connectionId: id } = ctx;
        const { object, recordId } = info;
        loadOptions.readL3 = () => recordStore.read(manifest, id, object, recordId, request, ttlMs);
      }
      if (info.fresh === true) {
        // A fresh read skips the lookups, and its response replaces the cached copy.
        return (await cache.getOrLoad(key, ttlMs, () => call.protectedRun(), { refresh: true })).response;
      }

      let result: CacheLookupResult;
      try {
        result = await cache.getOrLoad(key, ttlMs, () => call.protectedRun(), loadOptions);
      } catch (error) {
        // The lookup missed every layer and the provider request failed.
        observer?.cacheLookup(ctx.connectionId, 'miss');
        info.onCacheLookup?.('miss');
        throw error;
      }
      const { response, layer } = result;
      observer?.cacheLookup(ctx.connectionId, layer);
      info.onCacheLookup?.(layer);
      debugLog?.event({ operation: info.operation, object: info.object, cache: layer }, 'response cache lookup');
      return response;
    },
  };
}

/** Operations that only read, whatever their HTTP method (a search is often a POST). */
const READ_OPERATIONS = new Set(['get', 'list', 'search', 'count', 'test', 'listDeleted']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request may change the provider's data, so the connection's cached reads must
 * go: a write-back batch, an action, or a plugin's own POST. A request without an object
 * invalidates every object of the connection.
 */
function changesData(request: HttpRequest, info: RequestInfo): boolean {
  return !SAFE_METHODS.has(request.method.toUpperCase()) && !READ_OPERATIONS.has(info.operation);
}

/** Checks whether the manifest caches reads of the object, or of any object when none is given. */
function cachesReads(manifest: Manifest, object: string | undefined): boolean {
  if (object !== undefined) return (manifest.objects[object]?.cacheTtlSeconds ?? 0) > 0;
  return Object.values(manifest.objects).some((definition) => (definition.cacheTtlSeconds ?? 0) > 0);
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
