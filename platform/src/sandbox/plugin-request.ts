import type { PluginHttpMethod, PluginHttpRequest } from '@lumio/plugin-sdk';

import type { HttpRequest } from '../http/index.js';
import { resolveBaseUrl, type ConnectorContext } from '../runtime/index.js';

const METHODS: readonly PluginHttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Checks that a value is a request a plugin may ask for, and returns a copy with only the
 * known fields. Returns a sentence naming the first problem instead when it is not.
 */
export function readPluginRequest(value: unknown): { request: PluginHttpRequest } | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'the request must be an object' };
  const input = value as Record<string, unknown>;

  if (!METHODS.includes(input.method as PluginHttpMethod)) return { problem: `method must be one of ${METHODS.join(', ')}` };
  const hasPath = input.path !== undefined;
  const hasUrl = input.url !== undefined;
  if (hasPath === hasUrl) return { problem: 'give exactly one of path and url' };
  if (hasPath && (typeof input.path !== 'string' || !input.path.startsWith('/'))) return { problem: 'path must be a string starting with "/"' };
  if (hasUrl && (typeof input.url !== 'string' || !URL.canParse(input.url))) return { problem: 'url must be an absolute URL' };

  const request: PluginHttpRequest = { method: input.method as PluginHttpMethod };
  if (hasPath) request.path = input.path as string;
  if (hasUrl) request.url = input.url as string;

  if (input.query !== undefined) {
    const query = readRecord(input.query, (item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
    if (!query) return { problem: 'query must be an object of strings, numbers, booleans or null' };
    request.query = query as PluginHttpRequest['query'];
  }
  if (input.headers !== undefined) {
    const headers = readRecord(input.headers, (item) => typeof item === 'string');
    if (!headers || !Object.keys(headers).every((name) => HEADER_NAME.test(name))) return { problem: 'headers must be an object of valid header names to strings' };
    request.headers = headers as Record<string, string>;
  }
  if (input.body !== undefined) request.body = input.body as PluginHttpRequest['body'];
  return { request };
}

function readRecord(value: unknown, accepts: (item: unknown) => boolean): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (!entries.every(([, item]) => accepts(item))) return undefined;
  return Object.fromEntries(entries);
}

/**
 * Turns a plugin's request into the host's form: a `path` is appended to the connection's
 * base URL, and an omitted query or headers become empty.
 */
export function toHttpRequest(context: ConnectorContext, request: PluginHttpRequest, signal?: AbortSignal): HttpRequest {
  const url = request.path === undefined ? (request.url as string) : `${resolveBaseUrl(context).replace(/\/+$/, '')}${request.path}`;
  const httpRequest: HttpRequest = { method: request.method, url, query: request.query ?? {}, headers: request.headers ?? {} };
  if (request.body !== undefined) httpRequest.body = request.body;
  if (signal) httpRequest.signal = signal;
  return httpRequest;
}

/**
 * Turns a host request into the plain JSON a plugin receives: an absolute URL, the query
 * and headers, and a JSON body. Bodies that are not JSON (bytes, forms) are left out,
 * because only JSON crosses into the isolate.
 */
export function toPluginRequest(request: HttpRequest): PluginHttpRequest {
  const query: NonNullable<PluginHttpRequest['query']> = {};
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') query[name] = value;
  }

  const plain: PluginHttpRequest = { method: request.method as PluginHttpMethod, url: request.url, query, headers: { ...(request.headers ?? {}) } };
  if (isJsonBody(request.body)) plain.body = request.body as PluginHttpRequest['body'];
  return plain;
}

function isJsonBody(body: unknown): boolean {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams) return false;
  return true;
}
