import { suggestClosest } from '@lumio/plugin-sdk';
import type { Context } from 'hono';

import { LumioError } from '../errors/index.js';

/** Largest JSON request body the API reads, in bytes. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Reads a JSON object body; an empty body reads as `{}`. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  return parseJsonObject(await c.req.text(), c.req.header('content-type')) ?? {};
}

/**
 * Parses a request body that must be a JSON object: 413 over the size limit, 415 without a
 * JSON content type, 400 for invalid JSON or another JSON value. Returns undefined for an
 * empty body, which each caller reads its own way.
 */
export function parseJsonObject(text: string, contentType: string | undefined): Record<string, unknown> | undefined {
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw bodyTooLarge();
  if (text.trim() === '') return undefined;

  if (!(contentType ?? '').toLowerCase().includes('json')) {
    throw new LumioError('CONTENT_TYPE_UNSUPPORTED', 'Send the body as JSON with "Content-Type: application/json".', { status: 415, fault: 'caller' });
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LumioError('BODY_INVALID_JSON', `The request body is not valid JSON: ${(error as Error).message}`, { status: 400, fault: 'caller' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LumioError('BODY_INVALID', 'The request body must be a JSON object.', { status: 400, fault: 'caller' });
  }
  return value as Record<string, unknown>;
}

/** Raises 413 for a body over `MAX_JSON_BODY_BYTES`. */
export function bodyTooLarge(): LumioError {
  return new LumioError('BODY_TOO_LARGE', `The request body is larger than ${MAX_JSON_BODY_BYTES} bytes.`, { status: 413, fault: 'caller', details: { maxBytes: MAX_JSON_BODY_BYTES } });
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new LumioError('FIELD_INVALID', `${field} must be a non-empty string.`, { status: 400, fault: 'caller', details: { field } });
  }
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new LumioError('FIELD_INVALID', `${field} must be true or false.`, { status: 400, fault: 'caller', details: { field } });
  }
  return value;
}

/** Rejects a misspelt field or query parameter, which would otherwise be ignored, with the closest known name. */
export function checkNames(names: string[], known: string[], where: 'body' | 'query'): void {
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;

  const hints = unknown.map((name) => {
    const suggestion = suggestClosest(name, known);
    return suggestion ? `${name} (did you mean ${suggestion}?)` : name;
  });
  const label = where === 'query' ? 'query parameter' : 'body field';
  throw new LumioError(where === 'query' ? 'QUERY_PARAMETER_UNKNOWN' : 'FIELD_UNKNOWN', `Unknown ${label} ${hints.join(', ')}; this endpoint accepts ${known.join(', ')}.`, {
    status: 400,
    fault: 'caller',
    details: { field: unknown[0] },
  });
}
