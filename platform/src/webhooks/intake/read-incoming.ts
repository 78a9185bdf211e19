import type { IncomingMessage } from 'node:http';

import { LumioError } from '../../errors/index.js';

// Reads a delivery straight from Node's IncomingMessage. Building a web Request and
// reading its body through a web stream costs more per delivery than verifying it.

/**
 * Returns the request headers as the web `Headers` class lists them: names in lowercase
 * and in sorted order, repeated headers joined with ", " (only the last Set-Cookie kept),
 * and HTTP/2 pseudo-headers left out.
 */
export function incomingHeaders(incoming: IncomingMessage): Record<string, string> {
  const values = new Map<string, string>();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = (raw[index] as string).toLowerCase();
    if (name.startsWith(':')) continue;

    const value = raw[index + 1] as string;
    const previous = values.get(name);
    values.set(name, previous === undefined || name === 'set-cookie' ? value : `${previous}, ${value}`);
  }

  const headers: Record<string, string> = {};
  for (const name of [...values.keys()].sort()) headers[name] = values.get(name) as string;
  return headers;
}

/**
 * Reads the request body as raw bytes. A Content-Length above `maxBytes` is rejected
 * before any byte is read, and a body without one is rejected as soon as it passes
 * `maxBytes`. Bytes after that are read and dropped, so the 413 still reaches the client
 * and the connection stays usable.
 */
export function readIncomingBody(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(bodyTooLarge(maxBytes));

  // The listeners stay attached after the promise settles and ignore later events, because
  // the request and its listeners are dropped after the response. Keeping the data
  // listener also drains a rejected body, and the error listener keeps a late socket
  // error from being unhandled.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;

    incoming.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      settled = true;
      reject(bodyTooLarge(maxBytes));
    });
    incoming.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, total));
    });
    incoming.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    incoming.on('close', () => {
      if (settled) return;
      settled = true;
      reject(new LumioError('WEBHOOK_BODY_INCOMPLETE', 'The connection closed before the delivery body ended.', { status: 400, fault: 'caller' }));
    });
  });
}

/** Creates the error for a body above LUMIO_WEBHOOK_MAX_BODY_BYTES, the same from every reader. */
export function bodyTooLarge(maxBytes: number): LumioError {
  return new LumioError('WEBHOOK_BODY_TOO_LARGE', `The delivery body is larger than ${maxBytes} bytes, the limit set by LUMIO_WEBHOOK_MAX_BODY_BYTES.`, {
    status: 413,
    fault: 'caller',
    details: { maxBytes },
  });
}
