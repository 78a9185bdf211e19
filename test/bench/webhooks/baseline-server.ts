/**
 * Baseline of the webhook intake benchmark: a bare node:http server that reads the raw body,
 * checks its base64 HMAC-SHA256 in `X-Shopify-Hmac-Sha256` against one secret, and responds
 * with 200 without parsing or storing anything. It prints `{"url": …}` once it listens.
 *
 *   node --import tsx test/bench/webhooks/baseline-server.ts <secret>
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SIGNATURE_HEADER } from '../../webhooks/crash/fixture-connector.js';

/** Largest body read, in bytes: the platform's default LUMIO_WEBHOOK_MAX_BODY_BYTES. */
const MAX_BODY_BYTES = 1024 * 1024;

const secret = process.argv[2];
if (!secret) {
  console.error('Usage: baseline-server.ts <secret>');
  process.exit(2);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  let total = 0;
  request.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    if (total > MAX_BODY_BYTES) return reply(response, 413);

    const header = request.headers[SIGNATURE_HEADER];
    const received = typeof header === 'string' ? Buffer.from(header, 'base64') : Buffer.alloc(0);
    const expected = createHmac('sha256', secret!).update(Buffer.concat(chunks, total)).digest();
    // timingSafeEqual throws on buffers of different lengths, so the length is checked first.
    const valid = received.length === expected.length && timingSafeEqual(received, expected);
    reply(response, valid ? 200 : 401);
  });
}

function reply(response: ServerResponse, status: number): void {
  const body = status === 200 ? '{"received":1}' : '{"error":"rejected"}';
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const server = createServer(handle);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
