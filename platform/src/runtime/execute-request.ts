import { applyAuth } from '../auth/index.js';
import { LumioError } from '../errors/index.js';
import { assertHostAllowed, describeUrl, type HttpRequest, type HttpResponse, type QueryValue } from '../http/index.js';
import { renderPath, renderTemplate, renderValue, type TemplateScope } from '../templates/index.js';
import type { ConnectorContext, RequestInfo, RequestVariables } from './connector-context.js';
import type { RequestTemplate } from './manifest-types.js';
import { ProviderRequestError } from './provider-request-error.js';
import { sendWithDebugLog } from './request-debug.js';

export interface ExecuteRequestOptions {
  signal?: AbortSignal;
  /** Operation name for the shared services and logs. Default "request". */
  operation?: string;
  /** Manifest object key the request belongs to. */
  object?: string;
  /** External id of the record a `get` reads. */
  recordId?: string;
  /** Skips the response cache, for a read that must see the provider's current data. */
  fresh?: boolean;
  /** Receives the cache layer that served a cached read. */
  onCacheLookup?: RequestInfo['onCacheLookup'];
}

/**
 * Renders a request template, lets the plugin's `buildRequest` hook change it when the
 * context has one, applies the connection's auth, sends it and returns the response. A
 * non-2xx status raises `ProviderRequestError`.
 */
export async function executeRequest(
  ctx: ConnectorContext,
  template: RequestTemplate,
  vars: RequestVariables = {},
  options: ExecuteRequestOptions = {},
): Promise<HttpResponse> {
  const info: RequestInfo = { operation: options.operation ?? 'request' };
  if (options.object !== undefined) info.object = options.object;
  if (options.recordId !== undefined) info.recordId = options.recordId;
  if (options.fresh === true) info.fresh = true;
  if (options.onCacheLookup !== undefined) info.onCacheLookup = options.onCacheLookup;
  if (template.endpointGroup !== undefined) info.endpointGroup = template.endpointGroup;

  const request = await prepareRequest(ctx, buildRequest(ctx, template, vars, options.signal), info);
  return dispatchRequest(ctx, request, info);
}

/**
 * Passes a built request through the plugin's `buildRequest` hook when the context has one.
 * The request keeps its abort signal, which cannot cross into the sandbox.
 */
export async function prepareRequest(ctx: ConnectorContext, request: HttpRequest, info: RequestInfo): Promise<HttpRequest> {
  if (!ctx.requestHooks?.prepare) return request;

  const prepared = await ctx.requestHooks.prepare(request, info);
  if (request.signal) prepared.signal = request.signal;
  return prepared;
}

/**
 * Renders a request template into an HTTP request without auth. Query values that
 * render to null are left out, so `{{ cursor }}` on a first page sends no cursor.
 */
export function buildRequest(
  ctx: ConnectorContext,
  template: RequestTemplate,
  vars: RequestVariables,
  signal?: AbortSignal,
): HttpRequest {
  const scope: TemplateScope = { ...vars, config: resolveConfig(ctx) };
  const url = joinUrl(resolveBaseUrl(ctx), renderPath(template.path, scope));

  const query: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(template.query ?? {})) {
    query[name] = toQueryValue(typeof value === 'string' ? renderTemplate(value, scope) : value);
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.headers ?? {})) {
    const rendered = toQueryValue(renderTemplate(value, scope));
    if (rendered !== null && rendered !== undefined) headers[name] = String(rendered);
  }

  const request: HttpRequest = { method: template.method, url, query, headers };
  if (template.body !== undefined) request.body = renderValue(template.body, scope);
  if (signal) request.signal = signal;
  return request;
}

/**
 * Sends a built request: checks its host against the connection's allowed hosts before
 * credentials are attached, then sends it through the context's shared services (rate
 * limits, retry, circuit breaker, cache), or once when the context has none. A non-2xx
 * status raises `ProviderRequestError`. Every executor request, including later pages,
 * goes through here.
 */
export async function dispatchRequest(ctx: ConnectorContext, request: HttpRequest, info: RequestInfo = { operation: 'request' }): Promise<HttpResponse> {
  if (!URL.canParse(request.url)) {
    throw new LumioError('URL_INVALID', `The request URL "${request.url}" is not a valid absolute URL; check the connector's baseUrl and paths.`, {
      status: 502,
      fault: 'connector',
    });
  }
  const url = new URL(request.url);
  assertHostAllowed(url, listAllowedHosts(ctx));

  // While debug logging is on for the connection, each send is logged with auth applied.
  // The debug log redacts headers, the URL and bodies before writing them.
  const debugLog = ctx.connectionId !== undefined && ctx.services?.debugLog ? await ctx.services.debugLog(ctx.connectionId) : null;

  // Auth is applied on every attempt, so a retry after a token refresh sends the new token.
  const send = async (): Promise<HttpResponse> => {
    const authorized = applyAuth(ctx.authMethod, ctx.credentials, request);
    const response = debugLog ? await sendWithDebugLog(ctx.http, authorized, debugLog, info.operation, Object.values(ctx.credentials)) : await ctx.http.send(authorized);
    if (response.status >= 200 && response.status < 300) return response;

    throw new ProviderRequestError({
      connector: ctx.manifest.name,
      method: request.method,
      target: describeUrl(url),
      response,
      secrets: Object.values(ctx.credentials),
    });
  };

  return ctx.services ? ctx.services.run(ctx, request, info, send) : send();
}

/** Returns the base URL: the context override, else the manifest's template rendered over config. */
export function resolveBaseUrl(ctx: ConnectorContext): string {
  if (ctx.baseUrl !== undefined) return ctx.baseUrl;

  const rendered = renderTemplate(ctx.manifest.connection.baseUrl, { config: resolveConfig(ctx) });
  if (typeof rendered !== 'string' || !URL.canParse(rendered)) {
    throw new LumioError(
      'URL_INVALID',
      `The baseUrl of "${ctx.manifest.id}" rendered to ${JSON.stringify(rendered)}, which is not an absolute URL; check the connection config.`,
      { status: 400, fault: 'caller', details: { connector: ctx.manifest.id } },
    );
  }
  return rendered;
}

/** Lists the hosts requests may reach: the base URL's host plus the rendered `connection.allowedHosts`. */
export function listAllowedHosts(ctx: ConnectorContext): string[] {
  const hosts = [new URL(resolveBaseUrl(ctx)).host];
  for (const entry of ctx.manifest.connection.allowedHosts ?? []) {
    hosts.push(String(renderTemplate(entry, { config: resolveConfig(ctx) })));
  }
  return hosts;
}

/** Returns the connection config with the manifest's `configSchema` defaults filled in. */
export function resolveConfig(ctx: ConnectorContext): Record<string, unknown> {
  const defaults = Object.entries(ctx.manifest.connection.configSchema.properties)
    .filter(([, field]) => field.default !== undefined)
    .map(([name, field]) => [name, field.default]);
  // Spreading defines own properties, so a "__proto__" key in stored config stays plain data.
  return { ...Object.fromEntries(defaults), ...ctx.config };
}

function joinUrl(baseUrl: string, path: string): string {
  if (path === '') return baseUrl;
  const base = baseUrl.replace(/\/+$/, '');
  return path.startsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

function toQueryValue(value: unknown): QueryValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
