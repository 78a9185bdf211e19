import type { HttpRequest, HttpResponse } from '../../http/index.js';
import type { ConnectorContext, RequestInfo, RequestServices } from '../../runtime/index.js';
import type { ResponseCache } from '../cache/index.js';
import type { BreakerRegistry } from '../circuit-breaker/index.js';
import type { RateLimiter } from '../rate-limit/index.js';
import { classifyOutcome, readErrorResponse, withRetry, type RetryAttemptEvent, type RetryMetrics } from '../retry/index.js';
import { isOAuthMethod, type TokenRefresher } from '../token-refresh/index.js';
import { withAuthExpiryRules } from './auth-expiry-policy.js';
import type { ConnectionObserver } from './connection-observer.js';
import { describeSend, noopRequestMetrics, type RequestMetrics } from './request-metrics.js';

export interface RequestPipelineOptions {
  limiter: RateLimiter;
  breakers: BreakerRegistry;
  /** Response cache for `get` reads of objects with a `cacheTtlSeconds`; none caches nothing. */
  cache?: ResponseCache;
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
  const { limiter, breakers, cache, retryMetrics, refresher, observer } = options;
  const requestMetrics = options.requestMetrics ?? noopRequestMetrics;

  return {
    ...(observer ? { debugLog: (connectionId: string) => observer.debugLog(connectionId) } : {}),

    async run(ctx: ConnectorContext, request: HttpRequest, info: RequestInfo, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
      const connectionId = ctx.connectionId ?? UNKNOWN_CONNECTION;
      const debugLog = observer && ctx.connectionId !== undefined ? await observer.debugLog(ctx.connectionId) : null;
      const manifest = ctx.manifest;
      // A connection configured with rateLimits "providerOnly" skips the manifest's budgets;
      // the provider's 429s still pause it through the retry policy.
      const budgets = ctx.config.rateLimits === 'providerOnly' ? [] : (manifest.rateLimits?.budgets ?? []);
      const scope = {
        connector: manifest.id,
        connectionId,
        ...(ctx.accountKey ? { accountKey: ctx.accountKey } : {}),
        ...(info.endpointGroup ? { endpointGroup: info.endpointGroup } : {}),
      };

      // `send` reads ctx.credentials on every attempt, so replacing them here makes the next
      // attempt carry the new access token.
      const refreshToken = async (reason: 'expiring' | 'expired'): Promise<boolean> => {
        if (!refresher || ctx.connectionId === undefined || !isOAuthMethod(ctx.authMethod)) return false;
        const stale = ctx.credentials.accessToken;
        ctx.credentials = await refresher.refresh(ctx.connectionId, manifest, ctx.authMethod, { reason, staleAccessToken: stale });
        return ctx.credentials.accessToken !== stale;
      };

      const attempt = async (attemptNumber: number): Promise<HttpResponse> => {
        if (refresher && isOAuthMethod(ctx.authMethod) && refresher.needsRefresh(ctx.authMethod, ctx.credentials, Date.now())) {
          await refreshToken('expiring');
        }

        const { grantId, waitedMs } = await limiter.acquire({ ...scope, budgets, priority: ctx.priority ?? 'bulk', ...(request.signal ? { signal: request.signal } : {}) });

        const sentAt = performance.now();
        let response: HttpResponse | undefined;
        let failure: unknown;
        try {
          response = await send();
          return response;
        } catch (error) {
          failure = error;
          response = readErrorResponse(error);
          throw error;
        } finally {
          const outcome = response ? classifyOutcome(manifest.retry, { response }) : undefined;
          const durationSeconds = (performance.now() - sentAt) / 1000;
          const sent = { provider: manifest.id, method: request.method, attempt: attemptNumber, durationSeconds, ...describeSend(response, failure, outcome) };
          requestMetrics.sent(sent);
          if (ctx.connectionId !== undefined) observer?.sent(ctx.connectionId, sent);

          if (response) {
            // A 429, or a throttle error inside a 200 when the manifest declares one, pauses the budgets.
            const rateLimited = outcome === 'rateLimited';
            // The grant id lets the limiter count this request from its response time, as the provider does.
            const observed = await limiter.observe({ ...scope, budgets, quotaHeaders: manifest.rateLimits?.quotaHeaders, response, rateLimited, waitHeader: manifest.retry?.waitHeader, grantId });
            debugLog?.event({ operation: info.operation, attempt: attemptNumber, rateLimitWaitMs: Math.round(waitedMs), rateLimited, pausedForMs: observed.pausedForMs, quota: observed.quota }, 'provider request rate-limit status');
          }
        }
      };

      const protectedCall = () =>
        breakers.run({ connectionId, group: info.endpointGroup ?? 'default' }, { connector: manifest.name, connectorId: manifest.id }, () =>
          withRetry(attempt, {
            policy: withAuthExpiryRules(manifest.retry, ctx.authMethod),
            ...(request.signal ? { signal: request.signal } : {}),
            ...(ctx.retryBudget ? { budget: ctx.retryBudget } : {}),
            ...(retryMetrics ? { metrics: labelWithConnectorId(retryMetrics, manifest.id) } : {}),
            logger: ctx.logger,
            context: { connector: manifest.name, connectionId, operation: info.operation },
            onAuthExpired: () => refreshToken('expired'),
            ...(ctx.onRetry ? { onAttempt: reportRetries(ctx.onRetry, info.operation) } : {}),
          }),
        );

      const ttlMs = cacheTtlMs(ctx, info);
      if (!cache || ttlMs === undefined || ctx.connectionId === undefined) return protectedCall();

      const key = { connectionId: ctx.connectionId, provider: manifest.id, method: request.method, url: request.url, ...(request.query ? { query: request.query } : {}), ...(info.object ? { object: info.object } : {}) };
      const { response, layer } = await cache.getOrLoad(key, ttlMs, protectedCall);
      observer?.cacheLookup(ctx.connectionId, layer);
      debugLog?.event({ operation: info.operation, object: info.object, cache: layer }, 'response cache lookup');
      return response;
    },
  };
}

/**
 * Replaces the connector label of retry metrics with the connector id. The retry context
 * carries the display name because messages use it, while metrics label providers by id.
 */
function labelWithConnectorId(metrics: RetryMetrics, connectorId: string): RetryMetrics {
  return {
    attempt: (labels) => metrics.attempt({ ...labels, connector: connectorId }),
    successAfterRetry: (labels) => metrics.successAfterRetry({ ...labels, connector: connectorId }),
    giveUp: (labels) => metrics.giveUp({ ...labels, connector: connectorId }),
  };
}

/** Passes the attempts that are followed by a retry to a context's `onRetry`. */
function reportRetries(onRetry: NonNullable<ConnectorContext['onRetry']>, operation: string): (event: RetryAttemptEvent) => void {
  return (event) => {
    if (!event.willRetry) return;
    onRetry({ operation, attempt: event.attempt, status: event.status, errorCode: event.errorCode, requestId: event.requestId, waitMs: event.waitMs });
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
