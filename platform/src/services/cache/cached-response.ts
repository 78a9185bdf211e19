import type { HttpResponse } from '../../http/index.js';

/** Version of the L2 JSON form; an entry with another version is treated as a miss. */
const L2_FORMAT_VERSION = 1;

/** A stored response and when it stops being fresh. */
export interface CachedResponse {
  response: HttpResponse;
  /** Epoch milliseconds when the entry expires in L2, so an L1 copy taken from L2 never outlives it. */
  expiresAt: number;
}

/**
 * Creates a stored entry from a loaded response. The copy is deeply frozen because every
 * later hit returns the same object, and a caller that changed it would change the
 * response all other callers of the connection see.
 */
export function createCachedResponse(response: HttpResponse, expiresAt: number): CachedResponse {
  const copy: HttpResponse = {
    status: response.status,
    headers: { ...response.headers },
    body: response.body,
    rawBody: response.rawBody,
    durationMs: response.durationMs,
    url: response.url,
  };
  if (response.requestId !== undefined) copy.requestId = response.requestId;
  return { response: deepFreeze(copy), expiresAt };
}

/** Serializes an entry as the JSON stored in Redis. */
export function serializeCachedResponse(entry: CachedResponse): string {
  const { response } = entry;
  return JSON.stringify({
    v: L2_FORMAT_VERSION,
    expiresAt: entry.expiresAt,
    status: response.status,
    headers: response.headers,
    body: response.body,
    rawBody: response.rawBody,
    url: response.url,
    durationMs: response.durationMs,
    requestId: response.requestId,
  });
}

/** Parses JSON read from Redis; returns undefined when it is not an entry of the current form. */
export function parseCachedResponse(text: string): CachedResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.v !== L2_FORMAT_VERSION) return undefined;

  const { expiresAt, status, headers, body, rawBody, url, durationMs, requestId } = value;
  if (typeof expiresAt !== 'number' || typeof status !== 'number' || typeof rawBody !== 'string' || typeof url !== 'string') {
    return undefined;
  }
  if (!isStringRecord(headers)) return undefined;

  const response: HttpResponse = {
    status,
    headers,
    body,
    rawBody,
    durationMs: typeof durationMs === 'number' ? durationMs : 0,
    url,
  };
  if (typeof requestId === 'string') response.requestId = requestId;
  return { response: deepFreeze(response), expiresAt };
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;

  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((entry) => typeof entry === 'string');
}
