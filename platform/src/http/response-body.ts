import type { IncomingHttpHeaders } from 'node:http';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

// Header names providers use for the id of a request, most specific first.
const REQUEST_ID_HEADERS = [
  'x-hubspot-correlation-id',
  'x-shopify-request-id',
  'x-github-request-id',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-request-id',
  'request-id',
  'x-correlation-id',
  'x-trace-id',
];

/** Flattens undici's response headers into a record of lower-case names to single strings. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Parses the body when the content type is JSON. A body that claims JSON but does
 * not parse is returned as text, so the caller can still report what the provider sent.
 */
export function parseBody(rawBody: string, contentType: string | undefined): unknown {
  if (!contentType || !JSON_CONTENT_TYPE.test(contentType)) return rawBody;
  if (rawBody.trim() === '') return null;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}

export function findRequestId(headers: Record<string, string>): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    if (value) return value;
  }
  return undefined;
}
