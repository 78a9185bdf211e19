import type { HttpRequest, HttpResponse } from '../../http/index.js';

/** Methods whose reads are safe and idempotent (RFC 9110, section 9.2), so a stored response may serve a repeated request. */
const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

/** `Cache-Control` directives that forbid storing a response in this shared cache. */
const FORBIDDING_DIRECTIVES = new Set(['no-store', 'private']);

/** Returns true for GET and HEAD requests, the only ones the cache serves or stores. */
export function isCacheable(request: Pick<HttpRequest, 'method'>): boolean {
  return CACHEABLE_METHODS.has(request.method);
}

/**
 * Returns true when a response may be stored: its status is 2xx and its `Cache-Control`
 * has neither `no-store` nor `private`. A field-qualified `private="..."` also forbids
 * storing the whole response, which is stricter than RFC 9111 requires. Freshness directives
 * (`max-age`, `no-cache`, `Expires`) are ignored because the connector's `cacheTtlSeconds`
 * sets how long an entry lives.
 */
export function isStorable(response: Pick<HttpResponse, 'status' | 'headers'>): boolean {
  if (response.status < 200 || response.status >= 300) return false;

  const cacheControl = response.headers['cache-control'];
  if (cacheControl === undefined) return true;

  for (const directive of cacheControl.split(',')) {
    const name = directive.split('=', 1)[0]?.trim().toLowerCase() ?? '';
    if (FORBIDDING_DIRECTIVES.has(name)) return false;
  }
  return true;
}
