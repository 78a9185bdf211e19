import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request bodies larger than this are rejected before they are fully read, in bytes. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Raised by `readRequestBody` when a body exceeds its byte limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The request body exceeds ${limitBytes} bytes; send a smaller body.`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the whole request body as UTF-8 text, or rejects with `BodyTooLargeError` past `limitBytes`. */
export async function readRequestBody(request: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;

  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(buffer);
  }

  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Sends a JSON response. A string body is sent as is, so callers can pass JSON they
 * assembled from cached fragments. Any other value is serialized.
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json;charset=utf-8',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const bytes = Buffer.from(text, 'utf8');

  response.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(bytes.length),
  });
  response.end(bytes);
}

/** Sends a response with no body, such as a 204. */
export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...headers, 'Content-Length': '0' });
  response.end();
}

/** Query parameters as a record, where a repeated name maps to an array of its values in order. */
export type QueryRecord = Record<string, string | string[]>;

export function queryToRecord(params: URLSearchParams): QueryRecord {
  const record: QueryRecord = {};

  for (const [name, value] of params) {
    const existing = record[name];
    if (existing === undefined) {
      record[name] = value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      record[name] = [existing, value];
    }
  }

  return record;
}
