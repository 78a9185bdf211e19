import type { HttpClient, HttpRequest, HttpResponse } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import type { AuthMethod, ConnectorManifest } from './manifest-types.js';
import type { RequestDebugLog } from './request-debug.js';

/** Everything the executor needs to run one connection's operations. */
export interface ConnectorContext {
  manifest: ConnectorManifest;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  authMethod: AuthMethod;
  http: HttpClient;
  logger: Logger;
  /** Replaces the manifest's rendered baseUrl when set, e.g. to point at a simulator. */
  baseUrl?: string;
  /** Lumio connection id: keys rate budgets, circuit breakers and cache entries. */
  connectionId?: string;
  /** Identity of the provider account the requests count against, for "account" rate-limit budgets. */
  accountKey?: string;
  /** Shared request services (rate limits, retry, circuit breaker, cache); without them each request is sent once. */
  services?: RequestServices;
  /** Interactive requests (an API client's call) go before bulk ones (sync pages) in the rate limiter. Default bulk. */
  priority?: 'interactive' | 'bulk';
  /** Retries left for the whole job this context serves, shared by all its requests. */
  retryBudget?: { tryTake(): boolean; readonly remaining: number; readonly max: number; readonly used: number };
  /** Called for each failed attempt that the shared services retry, e.g. to keep a sync run's log. */
  onRetry?: (retry: RetryNotice) => void;
  /** The plugin's `buildRequest` and `paginate` hooks, when the connector's plugin defines them. */
  requestHooks?: RequestHooks;
}

/**
 * Plugin code the runtime calls on declared requests. Both run before the connection's
 * auth is applied, so the plugin never sees credentials.
 */
export interface RequestHooks {
  /** Changes or signs a request built from a manifest template. */
  prepare?(request: HttpRequest, info: RequestInfo): Promise<HttpRequest>;
  /** Returns the request of the page after `response`, or null after the last page; it replaces the manifest's pagination. */
  nextPage?(response: HttpResponse, request: HttpRequest, info: RequestInfo): Promise<HttpRequest | null>;
}

/** A failed provider request attempt that will be sent again. It carries no headers or bodies. */
export interface RetryNotice {
  /** Operation name, e.g. "list" or "search". */
  operation: string;
  /** Number of the failed attempt, 1 for the first. */
  attempt: number;
  /** Provider HTTP status, absent when no response arrived. */
  status?: number;
  /** Lumio, Node.js or undici error code of a raised error, e.g. PROVIDER_UNREACHABLE or ECONNRESET. */
  errorCode?: string;
  /** The provider's request or correlation id, when the response carried one. */
  requestId?: string;
  /** Wait before the next attempt, in milliseconds. */
  waitMs?: number;
}

/** Description of a request for the shared services: its operation, object and rate-limit group. */
export interface RequestInfo {
  /** Operation name, e.g. "list", "search", "get", "count", "test". */
  operation: string;
  /** Manifest object key, when the request reads or writes one object. */
  object?: string;
  /** The request template's `endpointGroup`, for rate-limit budgets and circuit breakers. */
  endpointGroup?: string;
  /** External id of the record a `get` reads, so the cache can look for the copy in the record store. */
  recordId?: string;
  /** Skips every cache lookup, for a read that must see the provider's current data; its response replaces the cached copy. */
  fresh?: boolean;
  /** Receives the cache layer that served a cached read: `l1`, `l2`, `l3` or `miss`. */
  onCacheLookup?: (layer: 'l1' | 'l2' | 'l3' | 'miss') => void;
}

/**
 * Runs one provider request through the shared services. `send` sends it once (with auth
 * applied) and raises `ProviderRequestError` for a non-2xx status; the services may call it
 * several times.
 */
export interface RequestServices {
  run(ctx: ConnectorContext, request: HttpRequest, info: RequestInfo, send: () => Promise<HttpResponse>): Promise<HttpResponse>;
  /**
   * Returns the connection's debug log while debug logging is on for it, else null. It is
   * called for every request, so implementations return it from memory most of the time.
   */
  debugLog?(connectionId: string): Promise<RequestDebugLog | null>;
  /**
   * Drops cached reads of one object of a connection, or of all its objects, after the data
   * changed without a request through these services, such as on a webhook event. Requests
   * that write through `run` invalidate on their own.
   */
  invalidate?(manifest: ConnectorManifest, connectionId: string, object: string | undefined, options?: InvalidateOptions): Promise<void>;
}

export interface InvalidateOptions {
  /**
   * The record store already contains the new version (a sync just stored it), so only the
   * copies in process memory and Redis go, and stored records keep serving reads.
   */
  recordStoreCurrent?: boolean;
}

/** Template variables a request may use besides `config`, which comes from the context. */
export interface RequestVariables {
  id?: string | number;
  cursor?: string | number | null;
  pageSize?: number;
  incremental?: { since: string | number; tieBreaker: string };
  params?: Record<string, unknown>;
  [name: string]: unknown;
}
