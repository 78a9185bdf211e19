import type { QuotaHeaders, RateLimitBudget } from '@lumio/plugin-sdk';

/** Interactive requests (an API client's call, sending a message) go before bulk sync pages. */
export type RequestPriority = 'interactive' | 'bulk';

export interface AcquireOptions {
  /** Connector id, e.g. "hubspot". It is part of every budget key, so connectors never share a budget. */
  connector: string;
  connectionId: string;
  /**
   * Provider account the connection belongs to (HubSpot portal id, Shopify shop domain).
   * Budgets with scope "account" and "endpointGroup" are keyed by it. Without it they fall
   * back to the connection id, so two connections to one account then get separate budgets.
   */
  accountKey?: string;
  /** The request template's `endpointGroup`; "endpointGroup" budgets apply only when it matches. */
  endpointGroup?: string;
  /** The connector manifest's `rateLimits.budgets`; the ones that apply to this request are taken. */
  budgets: readonly RateLimitBudget[];
  priority: RequestPriority;
  signal?: AbortSignal;
  /**
   * Rejects with `RATE_LIMITED` instead of waiting when the computed wait would pass this
   * many milliseconds in total. Default: wait as long as it takes.
   */
  maxWaitMs?: number;
}

export interface AcquireResult {
  /** Time from the call to the grant, in milliseconds. */
  waitedMs: number;
  /** Names this grant; pass it to `observe` with the response so the grant counts from then. */
  grantId: string;
}

/** Outcome of `acquireUnlessStored`. */
export interface StoredOrGrant {
  /** The value of the key, or null when it contains none. */
  stored: string | null;
  /** The grant, when the key contained no value and every budget had room. Pass its `grantId` to `observe`. */
  grant?: AcquireResult;
}

/** The parts of a provider response that `observe` reads. */
export interface ObservedResponse {
  status: number;
  /** Header names in any case; `HttpResponse.headers` already has lower-case names. */
  headers: Record<string, string>;
}

export interface ObserveOptions {
  connector: string;
  connectionId: string;
  accountKey?: string;
  endpointGroup?: string;
  budgets: readonly RateLimitBudget[];
  quotaHeaders?: QuotaHeaders;
  response: ObservedResponse;
  /**
   * Whether the provider refused the request for its rate limit. Default: the status is 429.
   * Pass true for a `rateLimited` outcome of the retry policy (a 200 with a THROTTLED body).
   */
  rateLimited?: boolean;
  /** Header with the provider's wait, in seconds or as an HTTP-date. Default "Retry-After". */
  waitHeader?: string;
  /**
   * The `grantId` of the acquire that this response belongs to. Its sliding-window entries then
   * count from now instead of from the grant: the provider counted the request at some
   * moment before it responded, so a slow send can never squeeze one request too many
   * into the provider's window.
   */
  grantId?: string;
}

/** The provider's quota as one response reported it. */
export interface QuotaReading {
  remaining?: number;
  limit?: number;
  /** Window length from the interval header, in milliseconds. */
  intervalMs?: number;
  /** Time until the provider's window resets, in milliseconds from the response. */
  resetInMs?: number;
}

export interface ObserveResult {
  /** How long the budgets were paused after a rate-limited response, in milliseconds, else null. */
  pausedForMs: number | null;
  /** The quota headers of the response, or null when it carried none that parse. */
  quota: QuotaReading | null;
}

/** One budget key as the health endpoint shows it. */
export interface BudgetKeySnapshot {
  /** Storage key without the limiter's key prefix. */
  key: string;
  budget: string;
  scope: RateLimitBudget['scope'];
  algorithm: RateLimitBudget['algorithm'];
  limit: number;
  intervalMs: number;
  /** `limit` minus `remaining`: requests in the current window, or tokens missing from the bucket. */
  used: number;
  /** Requests that could be sent now, ignoring a pause and the interactive reserve, lowered by the provider's quota. */
  remaining: number;
  /** Epoch milliseconds (this process's clock) until which the key is paused after a 429, else null. */
  pausedUntil: number | null;
}

/** Connector, account and budgets for `snapshot`, needed when the limiter has not seen the connection yet. */
export interface SnapshotOptions {
  connector: string;
  accountKey?: string;
  budgets: readonly RateLimitBudget[];
}

export interface RateLimiter {
  /** Waits until every budget that applies to the request has room, then takes one unit of each. */
  acquire(options: AcquireOptions): Promise<AcquireResult>;
  /**
   * Reads a key of the Redis server that keeps the budgets and, only when it contains no
   * value, tries once to take one unit of every budget, in one round trip and one atomic
   * step. A response cache on the same server uses it to combine its lookup with the
   * request's grant. Present only on limiters whose budgets live in Redis. Resolves to
   * undefined, having read nothing, while requests of this process wait for a budget, so
   * that this one cannot pass them. When the budgets have no room it takes nothing, and
   * the caller then calls `acquire`.
   */
  acquireUnlessStored?(options: AcquireOptions, key: string): Promise<StoredOrGrant | undefined>;
  /**
   * Adapts the budgets of a request to the provider's quota headers and pauses them after
   * a 429. It resolves once a pause is stored. It does not wait for the store to move the
   * grant's sliding-window entries or to lower the budgets to the quota, but this limiter
   * applies them before its next acquire.
   */
  observe(options: ObserveOptions): Promise<ObserveResult>;
  /**
   * Reports every budget key of a connection, endpoint groups included. Without `options`
   * it uses the connector, account key and budgets of the last acquire or observe for
   * that connection in this process, and returns [] when there was none.
   */
  snapshot(connectionId: string, options?: SnapshotOptions): Promise<BudgetKeySnapshot[]>;
  /** Rejects the requests still waiting and stops the timers. A Redis client passed in stays open. */
  close(): Promise<void>;
}

/** Time source of the limiter. Tests pass a manual clock; Redis budgets use the server's time instead. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(timer: unknown): void;
}
