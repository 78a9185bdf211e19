import type { HttpRequest, HttpResponse } from '../../http/index.js';
import type { ConnectorContext, RequestDebugLog, RequestInfo } from '../../runtime/index.js';
import type { BreakerKey, BreakerRegistry } from '../circuit-breaker/index.js';
import type { AcquireOptions, AcquireResult, RateLimiter } from '../rate-limit/index.js';
import { classifyAttempt, readErrorResponse, withRetry, type RetryAttemptEvent, type RetryOptions } from '../retry/index.js';
import { isOAuthMethod, type TokenRefresher } from '../token-refresh/index.js';
import type { ConnectionObserver } from './connection-observer.js';
import { NO_BUDGETS, type ManifestPlan } from './manifest-plan.js';
import { describeSend, type RequestMetrics } from './request-metrics.js';

/** The services of a pipeline that every call uses. */
export interface CallServices {
  limiter: RateLimiter;
  breakers: BreakerRegistry;
  requestMetrics: RequestMetrics;
  refresher: TokenRefresher | undefined;
  observer: ConnectionObserver | undefined;
}

/**
 * One provider request on its way through the circuit breaker, the retries and the rate
 * limiter. The per-request state lives on this object and its steps are methods, so a
 * request creates one object where it would otherwise create a closure per step.
 */
export class ProviderCall {
  private readonly acquireOptions: AcquireOptions;
  private readonly breakerKey: BreakerKey;
  /** A grant taken together with the cache lookup, which the first attempt uses instead of acquiring. */
  private pendingGrant: AcquireResult | undefined;

  constructor(
    private readonly services: CallServices,
    private readonly plan: ManifestPlan,
    private readonly ctx: ConnectorContext,
    private readonly request: HttpRequest,
    private readonly info: RequestInfo,
    private readonly send: () => Promise<HttpResponse>,
    private readonly connectionId: string,
    private readonly debugLog: RequestDebugLog | null,
  ) {
    // A connection configured with rateLimits "providerOnly" skips the manifest's budgets;
    // the provider's 429s still pause it through the retry policy.
    const budgets = ctx.config.rateLimits === 'providerOnly' ? NO_BUDGETS : plan.budgets;
    this.acquireOptions = {
      connector: ctx.manifest.id,
      connectionId,
      budgets,
      priority: ctx.priority ?? 'bulk',
      ...(ctx.accountKey ? { accountKey: ctx.accountKey } : {}),
      ...(info.endpointGroup ? { endpointGroup: info.endpointGroup } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    };
    this.breakerKey = { connectionId, group: info.endpointGroup ?? 'default' };
  }

  /** Sends the request through the breaker, which sits outside the retries, so one request counts once. */
  protectedRun(): Promise<HttpResponse> {
    return this.services.breakers.run(this.breakerKey, this.plan.breakerLabels, () => withRetry((attempt) => this.attempt(attempt), this.retryOptions()));
  }

  /**
   * Reads a response cache entry in the round trip of the rate limiter's acquire, and keeps
   * the grant for the first attempt when there is no entry. Returns undefined, having read
   * nothing, when the limiter cannot combine the two, so that the cache reads the entry itself.
   *
   * NOTE: the grant is taken before the breaker admits the request. The read is combined
   * only while the breaker is closed, but when it opens in between, that unit of budget is
   * spent without a request, which errs on the safe side.
   */
  async readStoredOrAcquire(entryKey: string): Promise<string | null | undefined> {
    const { limiter, breakers } = this.services;
    if (limiter.acquireUnlessStored === undefined) return undefined;
    // A breaker that is not closed, or a token that needs a refresh, must be dealt with
    // before the grant, so then the request acquires as usual.
    if (breakers.stateOf(this.breakerKey) !== 'closed' || this.needsTokenRefresh()) return undefined;

    const result = await limiter.acquireUnlessStored(this.acquireOptions, entryKey);
    if (result === undefined) return undefined;
    this.pendingGrant = result.grant;
    return result.stored;
  }

  private retryOptions(): RetryOptions {
    const { ctx, info, plan } = this;
    const options: RetryOptions = {
      resolvedPolicy: plan.retryPolicyFor(ctx.authMethod),
      logger: ctx.logger,
      context: { connector: ctx.manifest.name, connectionId: this.connectionId, operation: info.operation },
    };
    if (this.request.signal) options.signal = this.request.signal;
    if (ctx.retryBudget) options.budget = ctx.retryBudget;
    if (plan.retryMetrics) options.metrics = plan.retryMetrics;
    // Without a refresher, an OAuth method and a connection id no token can be refreshed,
    // and an absent callback makes an auth-expired response fatal, as a failed refresh does.
    if (this.canRefreshToken()) options.onAuthExpired = () => this.refreshToken('expired');
    if (ctx.onRetry) options.onAttempt = reportRetries(ctx.onRetry, info.operation);
    return options;
  }

  private canRefreshToken(): boolean {
    return this.services.refresher !== undefined && this.ctx.connectionId !== undefined && isOAuthMethod(this.ctx.authMethod);
  }

  private needsTokenRefresh(): boolean {
    const { refresher } = this.services;
    const { ctx } = this;
    return refresher !== undefined && isOAuthMethod(ctx.authMethod) && refresher.needsRefresh(ctx.authMethod, ctx.credentials, Date.now());
  }

  // `send` reads ctx.credentials on every attempt, so replacing them here makes the next
  // attempt carry the new access token.
  private async refreshToken(reason: 'expiring' | 'expired'): Promise<boolean> {
    const { refresher } = this.services;
    const { ctx } = this;
    if (!refresher || ctx.connectionId === undefined || !isOAuthMethod(ctx.authMethod)) return false;
    const stale = ctx.credentials.accessToken;
    ctx.credentials = await refresher.refresh(ctx.connectionId, ctx.manifest, ctx.authMethod, { reason, staleAccessToken: stale });
    return ctx.credentials.accessToken !== stale;
  }

  // The limiter sits inside the retries, so every attempt takes a slot and every response adjusts the budgets.
  private async attempt(attemptNumber: number): Promise<HttpResponse> {
    if (this.needsTokenRefresh()) await this.refreshToken('expiring');

    const grant = this.pendingGrant ?? (await this.services.limiter.acquire(this.acquireOptions));
    this.pendingGrant = undefined;

    const sentAt = performance.now();
    let response: HttpResponse | undefined;
    let failure: unknown;
    try {
      response = await this.send();
      return response;
    } catch (error) {
      failure = error;
      response = readErrorResponse(error);
      throw error;
    } finally {
      await this.afterSend(attemptNumber, grant, performance.now() - sentAt, response, failure);
    }
  }

  // Reports the send and passes its response to the limiter.
  private async afterSend(attemptNumber: number, grant: AcquireResult, durationMs: number, response: HttpResponse | undefined, failure: unknown): Promise<void> {
    const { ctx, info, plan, services } = this;
    const manifest = ctx.manifest;
    const outcome = response ? classifyAttempt(plan.sendPolicy, { response }).outcome : undefined;
    const sent = { provider: manifest.id, method: this.request.method, attempt: attemptNumber, durationSeconds: durationMs / 1000, ...describeSend(response, failure, outcome) };
    services.requestMetrics.sent(sent);
    if (ctx.connectionId !== undefined) services.observer?.sent(ctx.connectionId, sent);
    if (!response) return;

    // A 429, or a throttle error inside a 200 when the manifest declares one, pauses the budgets.
    const rateLimited = outcome === 'rateLimited';
    // The grant id lets the limiter count this request from its response time, as the
    // provider does. The fields are listed instead of spread from acquireOptions, because
    // each property after a spread took about half a microsecond on Node.js 20.20.
    const { connector, connectionId, accountKey, endpointGroup, budgets } = this.acquireOptions;
    const observed = await services.limiter.observe({
      connector,
      connectionId,
      accountKey,
      endpointGroup,
      budgets,
      quotaHeaders: manifest.rateLimits?.quotaHeaders,
      response,
      rateLimited,
      waitHeader: manifest.retry?.waitHeader,
      grantId: grant.grantId,
    });
    this.debugLog?.event(
      { operation: info.operation, attempt: attemptNumber, rateLimitWaitMs: Math.round(grant.waitedMs), rateLimited, pausedForMs: observed.pausedForMs, quota: observed.quota },
      'provider request rate-limit status',
    );
  }
}

/** Passes the attempts that are followed by a retry to a context's `onRetry`. */
function reportRetries(onRetry: NonNullable<ConnectorContext['onRetry']>, operation: string): (event: RetryAttemptEvent) => void {
  return (event) => {
    if (!event.willRetry) return;
    onRetry({ operation, attempt: event.attempt, status: event.status, errorCode: event.errorCode, requestId: event.requestId, waitMs: event.waitMs });
  };
}
