import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, readEvent, waitForSettled, type ConnectedEndpoint } from './support/deliveries.js';
import { fixtureManifest, writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';
import { shopifySignature } from './support/signers.js';

// The router reads deliveries from Node's request when it runs behind the Node server.
// These tests send raw HTTP over loopback to check what that reader does with the body
// size limit and with repeated headers.

const SECRET = 'node-intake-secret-3';
const MAX_BODY_BYTES = 4096;

const manifest = fixtureManifest({
  id: 'hook-node',
  webhooks: {
    signature: { scheme: 'shopify' },
    contentType: 'json',
    eventId: { in: 'header', path: 'x-shopify-webhook-id' },
    eventType: { in: 'header', path: 'x-shopify-topic' },
    routes: [{ eventType: 'orders/*', object: 'orders', action: 'upsert', idPath: 'id' }],
  },
  objects: [{ key: 'orders', mapping: { canonicalObject: 'order', fields: [{ target: 'orderNumber', source: 'name' }] } }],
});

interface RawReply {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
  reusedSocket: boolean;
}

/**
 * Sends a POST with `headers` in raw form (repeats allowed) and the body in `chunks`,
 * chunked and without Content-Length. Node adds no headers of its own to raw headers, so
 * Host and Transfer-Encoding are set here.
 */
function postChunked(url: string, agent: Agent, headers: string[], chunks: Buffer[]): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const rawHeaders = ['Host', target.host, 'Transfer-Encoding', 'chunked', ...headers];
    const request = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: 'POST', agent, headers: rawHeaders }, (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers, reusedSocket: request.reusedSocket }));
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

forEachDatabase((database) => {
  describe('webhook intake over Node HTTP', () => {
    let folder: ConnectorsFolder;
    let test: TestPlatform;
    let endpoint: ConnectedEndpoint;
    let agent: Agent;

    beforeAll(async () => {
      folder = await writeConnectorsFolder([manifest]);
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir, env: { LUMIO_WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
      endpoint = await connect(test, 'hook-node', { secrets: [SECRET] });
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
    });

    afterAll(async () => {
      agent?.destroy();
      await test?.close();
      await folder?.remove();
    });

    it('rejects a chunked body over the limit and keeps the connection', async () => {
      const chunks = Array.from({ length: 6 }, () => Buffer.alloc(1024, 'x'));
      const tooLarge = await postChunked(endpoint.webhookUrl, agent, ['content-type', 'application/json'], chunks);

      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body)).toMatchObject({ code: 'WEBHOOK_BODY_TOO_LARGE' });

      const body = Buffer.from(JSON.stringify({ id: 7, name: '#7' }));
      const headers = ['content-type', 'application/json', 'x-shopify-topic', 'orders/create', 'x-shopify-webhook-id', randomUUID(), 'x-shopify-hmac-sha256', shopifySignature(SECRET, body)];
      const accepted = await postChunked(endpoint.webhookUrl, agent, headers, [body.subarray(0, 5), body.subarray(5)]);
      expect(accepted.status, accepted.body).toBe(200);
      expect(accepted.reusedSocket).toBe(true);
    });

    it('accepts a chunked body of exactly the limit', async () => {
      const order = { id: 8, name: '#8', note: '' };
      order.note = 'n'.repeat(MAX_BODY_BYTES - Buffer.byteLength(JSON.stringify(order)));
      const body = Buffer.from(JSON.stringify(order));
      expect(body.length).toBe(MAX_BODY_BYTES);

      const headers = ['content-type', 'application/json', 'x-shopify-topic', 'orders/create', 'x-shopify-webhook-id', randomUUID(), 'x-shopify-hmac-sha256', shopifySignature(SECRET, body)];
      const reply = await postChunked(endpoint.webhookUrl, agent, headers, [body.subarray(0, 1000), body.subarray(1000)]);
      expect(reply.status, reply.body).toBe(200);
    });

    it('returns the request id it was sent', async () => {
      const body = Buffer.from(JSON.stringify({ id: 10, name: '#10' }));
      const requestId = `req-${randomUUID()}`;
      const headers = ['content-type', 'application/json', 'x-shopify-topic', 'orders/create', 'x-shopify-webhook-id', randomUUID(), 'x-shopify-hmac-sha256', shopifySignature(SECRET, body), 'X-Request-Id', requestId];
      const reply = await postChunked(endpoint.webhookUrl, agent, headers, [body]);

      expect(reply.status, reply.body).toBe(200);
      expect(reply.headers['x-request-id']).toBe(requestId);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(reply.body)));
      expect(JSON.parse(reply.body)).toMatchObject({ received: 1, duplicates: 0 });
    });

    it('creates a request id for a rejected delivery', async () => {
      const body = Buffer.from(JSON.stringify({ id: 11, name: '#11' }));
      const headers = ['content-type', 'application/json', 'x-shopify-topic', 'orders/create', 'x-shopify-webhook-id', randomUUID(), 'x-shopify-hmac-sha256', shopifySignature('wrong-secret', body)];
      const reply = await postChunked(endpoint.webhookUrl, agent, headers, [body]);

      expect(reply.status, reply.body).toBe(401);
      expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(reply.body)).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID', status: 401 });
    });

    it('stores repeated headers joined, sorted and without credentials', async () => {
      const body = Buffer.from(JSON.stringify({ id: 9, name: '#9' }));
      const headers = [
        'X-Shopify-Topic', 'orders/updated',
        'X-Trace', 'first',
        'Content-Type', 'application/json',
        'x-trace', 'second',
        'Authorization', 'Bearer not-stored',
        'X-Shopify-Webhook-Id', randomUUID(),
        'X-Shopify-Hmac-Sha256', shopifySignature(SECRET, body),
      ];
      const reply = await postChunked(endpoint.webhookUrl, agent, headers, [body]);
      expect(reply.status, reply.body).toBe(200);

      const [eventId] = JSON.parse(reply.body).eventIds as string[];
      expect((await waitForSettled(test, endpoint.connectionId, eventId!)).status).toBe('processed');
      const stored = (await readEvent(test, endpoint.connectionId, eventId!)).delivery.headers as Record<string, string>;

      expect(stored['x-trace']).toBe('first, second');
      expect(stored.authorization).toBeUndefined();
      // jsonb keeps its own key order, so the stored order shows only on SQLite.
      if (database.kind === 'sqlite') expect(Object.keys(stored)).toEqual([...Object.keys(stored)].sort());
      expect(Object.keys(stored)).toEqual(expect.arrayContaining(['content-type', 'host', 'transfer-encoding', 'x-shopify-topic']));
    });
  });
});
