import { isIP } from 'node:net';
import { Agent, request as undiciRequest } from 'undici';
import { LumioError, isLumioError } from '../errors/index.js';
import { createGuardedLookup, destinationNotAllowed } from './guarded-lookup.js';
import { classifyAddress } from './private-address.js';
import { findRequestId, flattenHeaders, parseBody } from './response-body.js';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from './http-types.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 10_000;

/**
 * Creates the outbound HTTP client connectors use: one undici keep-alive Agent shared by
 * every request. Unless `allowPrivateNetwork` is set, the Agent's DNS hook rejects any
 * host that resolves to a non-public address before a socket opens, and IP literals are
 * checked before dispatch (the hook does not run for them).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = new Agent({
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connect: options.allowPrivateNetwork ? {} : { lookup: createGuardedLookup() },
  });

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(request);
    if (!options.allowPrivateNetwork) rejectPrivateLiteral(url);

    const { body, contentType } = encodeBody(request.body);
    const headers = buildHeaders(request.headers, options.userAgent, contentType);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const started = performance.now();

    let status: number;
    let rawHeaders: Record<string, string>;
    let rawBody: string;
    try {
      const response = await undiciRequest(url, { dispatcher: agent, method: request.method, headers, body, signal });
      status = response.statusCode;
      rawHeaders = flattenHeaders(response.headers);
      rawBody = await response.body.text();
    } catch (error) {
      throw translateError(error, url, request.signal, timeout, timeoutMs);
    }

    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const requestId = findRequestId(rawHeaders);
    options.logger.debug(
      { method: request.method, url: describeUrl(url), status, durationMs, requestId },
      'provider request completed',
    );
    return {
      status,
      headers: rawHeaders,
      body: parseBody(rawBody, rawHeaders['content-type']),
      rawBody,
      durationMs,
      ...(requestId === undefined ? {} : { requestId }),
      url: url.href,
    };
  }

  return { send, close: () => agent.close() };
}

/** Returns origin and path without the query, which may carry an API key, for logs and messages. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function buildUrl(request: HttpRequest): URL {
  if (!URL.canParse(request.url)) {
    throw new LumioError('URL_INVALID', `The request URL "${request.url}" is not a valid absolute URL; check the connector's baseUrl.`, {
      status: 502,
      fault: 'connector',
    });
  }

  const url = new URL(request.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LumioError('URL_INVALID', `The request URL scheme "${url.protocol}" is not supported; use http or https.`, {
      status: 502,
      fault: 'connector',
      details: { url: describeUrl(url) },
    });
  }
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value === null || value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, String(value));
  }
  return url;
}

function rejectPrivateLiteral(url: URL): void {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) === 0) return;

  const range = classifyAddress(host);
  if (range !== undefined) throw destinationNotAllowed(host, host, range);
}

function encodeBody(body: unknown): { body: string | Uint8Array | undefined; contentType: string | undefined } {
  if (body === undefined) return { body: undefined, contentType: undefined };
  if (typeof body === 'string' || body instanceof Uint8Array) return { body, contentType: undefined };
  if (body instanceof URLSearchParams) return { body: body.toString(), contentType: 'application/x-www-form-urlencoded' };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

function buildHeaders(
  requestHeaders: Record<string, string> | undefined,
  userAgent: string,
  contentType: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  // Lower-casing merges a manifest's "Accept" or "Content-Type" with the defaults instead of sending both.
  for (const [name, value] of Object.entries(requestHeaders ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

function translateError(
  error: unknown,
  url: URL,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
  timeoutMs: number,
): LumioError {
  const lumioError = findLumioError(error);
  if (lumioError) return lumioError;

  const target = describeUrl(url);
  if (callerSignal?.aborted) {
    return new LumioError('REQUEST_ABORTED', `The request to ${target} was cancelled by the caller.`, {
      status: 400,
      fault: 'caller',
      cause: error,
      details: { url: target },
    });
  }
  if (timeout.aborted) {
    return new LumioError(
      'PROVIDER_TIMEOUT',
      `The request to ${target} timed out after ${timeoutMs} ms; retry later or raise the client timeout.`,
      { status: 504, fault: 'provider', cause: error, details: { url: target, timeoutMs } },
    );
  }

  const errorCode = readErrorCode(error);
  return new LumioError(
    'PROVIDER_UNREACHABLE',
    `The request to ${target} failed before a response arrived (${errorCode ?? 'network error'}); check that the provider is reachable.`,
    { status: 502, fault: 'provider', cause: error, details: { url: target, errorCode } },
  );
}

/** undici may wrap an error raised by the connect hook, so the cause chain is searched. */
function findLumioError(error: unknown): LumioError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (isLumioError(current)) return current;
    current = current.cause;
  }
  return undefined;
}

function readErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
