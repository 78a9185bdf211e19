import type { Context } from 'hono';

/** Bodies larger than this are not parsed for their field names, in bytes. */
const MAX_PARSED_BODY_BYTES = 1024 * 1024;
/** Responses larger than this are not read for the id of a created object, in bytes. */
const MAX_PARSED_RESPONSE_BYTES = 256 * 1024;
const MAX_FIELD_NAMES = 50;
const MAX_FIELD_NAME_LENGTH = 100;

/**
 * Reads the request body as a JSON object, or returns null for another body. Hono keeps
 * the body the handler read, so reading it again here costs no second read.
 */
export async function readJsonBody(c: Context): Promise<Record<string, unknown> | null> {
  // A body that no handler read yet is read only when its declared length is within the limit, so a
  // chunked upload of unknown size is never buffered here.
  const cache = c.req.bodyCache;
  const alreadyRead = cache.text !== undefined || cache.json !== undefined || cache.arrayBuffer !== undefined;
  const length = c.req.header('content-length');
  if (!alreadyRead && (length === undefined || Number(length) > MAX_PARSED_BODY_BYTES)) return null;

  try {
    const text = await c.req.text();
    if (text.trim() === '' || Buffer.byteLength(text) > MAX_PARSED_BODY_BYTES) return null;
    const body: unknown = JSON.parse(text);
    return isPlainObject(body) ? body : null;
  } catch {
    // A body that is not JSON, or one the handler consumed without Hono's cache, has nothing to read.
    return null;
  }
}

/**
 * Lists the field names of a JSON object body, with the names inside nested objects one
 * level down (`credentials.accessToken`), never a value.
 */
export function fieldNames(body: Record<string, unknown> | null): string[] {
  if (body === null) return [];

  const names: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    names.push(name);
    if (isPlainObject(value)) {
      for (const inner of Object.keys(value)) names.push(`${name}.${inner}`);
    }
  }
  return names.slice(0, MAX_FIELD_NAMES).map((name) => name.slice(0, MAX_FIELD_NAME_LENGTH));
}

/** Reads a successful JSON response as an object without consuming it, or returns null. */
export async function readJsonResponse(response: Response): Promise<Record<string, unknown> | null> {
  const type = response.headers.get('content-type') ?? '';
  const length = Number(response.headers.get('content-length') ?? 0);
  if (!response.ok || !type.includes('json') || length > MAX_PARSED_RESPONSE_BYTES || response.body === null) return null;

  try {
    const text = await response.clone().text();
    if (text.length > MAX_PARSED_RESPONSE_BYTES) return null;
    const body: unknown = JSON.parse(text);
    return isPlainObject(body) ? body : null;
  } catch {
    return null;
  }
}

/**
 * Returns the id of the object a response describes: its `connectionId` or `id`, or the
 * `id` of a wrapped `apiKey`, `user` or `subscription`. Returns null otherwise.
 */
export function responseObjectId(body: Record<string, unknown> | null): string | null {
  if (body === null) return null;
  for (const candidate of [body.connectionId, body.id, idOf(body.apiKey), idOf(body.user), idOf(body.subscription)]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return null;
}

function idOf(value: unknown): unknown {
  return isPlainObject(value) ? value.id : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
