import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiApp, type ApiServices } from '../../platform/src/api/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/databases.js';
import { connect, type ConnectedEndpoint } from './support/deliveries.js';
import { fixtureManifest, writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';
import { shopifySignature } from './support/signers.js';

// The platform's server hands provider deliveries to the intake before the Hono router
// receives them. These tests send the same raw requests to the platform and to a server
// that runs only the Hono app, as the platform did before. The same intake is behind
// both, so each request must get the same status, headers and body from each.

const SECRET = 'routing-secret-5';
const MAX_BODY_BYTES = 2048;
const CONNECTOR = 'hook-route';

const manifest = fixtureManifest({
  id: CONNECTOR,
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
  headers: IncomingHttpHeaders;
  body: string;
}

interface RawRequest {
  method: string;
  /** The request target exactly as sent, with no normalization by a URL parser. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Sends one request on a new connection, with the target and headers as given. */
function sendRaw(port: number, request: RawRequest): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers, agent: false, setHost: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Headers whose values differ between two otherwise equal replies. */
const VARYING_HEADERS = new Set(['date', 'connection', 'keep-alive']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Returns the parts of a reply both servers must agree on. New event ids and request ids differ by design. */
function comparable(reply: RawReply) {
  const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !VARYING_HEADERS.has(name)));
  if (UUID.test(String(headers['x-request-id']))) headers['x-request-id'] = 'a new UUID';
  const json = /json/.test(String(reply.headers['content-type'])) && reply.body !== '' ? JSON.parse(reply.body) : null;
  if (json && Array.isArray(json.eventIds)) {
    json.eventIds = json.eventIds.length;
    delete headers['content-length'];
  }
  if (json && typeof json.requestId === 'string') json.requestId = 'set';
  return { status: reply.status, headers, body: json ?? reply.body };
}

describe('webhook routing before the Hono router', () => {
  let database: TemporaryDatabase;
  let folder: ConnectorsFolder;
  let test: TestPlatform;
  let endpoint: ConnectedEndpoint;
  let token: string;
  let platformPort: number;
  let honoServer: Server;
  let honoPort: number;

  beforeAll(async () => {
    database = await createTemporaryDatabase('sqlite');
    folder = await writeConnectorsFolder([manifest]);
    test = await startTestPlatform({ store: database.options, connectorsDir: folder.dir, env: { LUMIO_WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
    endpoint = await connect(test, CONNECTOR, { secrets: [SECRET] });
    token = new URL(endpoint.webhookUrl).pathname.split('/')[3] as string;
    platformPort = Number(new URL(test.url).port);

    // The API app alone, on @hono/node-server, as the platform served every request before.
    // Webhook routing uses only the store, registry, intake and logger, so the services
    // left out here are never called by these requests.
    const { platform } = test;
    const services = {
      store: platform.store,
      registry: platform.registry,
      sync: platform.sync,
      shared: platform.services,
      webhooks: platform.webhooks,
      events: platform.events,
      plugins: platform.plugins,
      metrics: platform.metrics,
      jobs: platform.jobs,
      logger: silentLogger,
    } as unknown as ApiServices;
    const app = createApiApp(services);
    honoServer = await new Promise<Server>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server as Server));
    });
    honoPort = (honoServer.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => honoServer?.close(() => resolve()));
    await test?.close();
    await folder?.remove();
    await database?.dispose();
  });

  /** Builds a signed delivery with a new event id, so each server stores its own event. */
  function signedDelivery(extraHeaders: Record<string, string> = {}): { headers: Record<string, string>; body: Buffer } {
    const body = Buffer.from(JSON.stringify({ id: 41, name: '#41' }));
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-hmac-sha256': shopifySignature(SECRET, body),
        ...extraHeaders,
      },
    };
  }

  /** Sends `build()` to both servers, each with its own Host header, and returns both replies. */
  async function sendToBoth(build: (port: number) => RawRequest): Promise<{ platform: RawReply; hono: RawReply }> {
    const platform = await sendRaw(platformPort, build(platformPort));
    const hono = await sendRaw(honoPort, build(honoPort));
    return { platform, hono };
  }

  interface Case {
    name: string;
    method: string;
    path: () => string;
    /** Status the Hono route returned when this test was written, a check that the case hits the path it names. */
    status: number;
    headers?: Record<string, string>;
    body?: 'signed' | 'unsigned' | 'too large' | 'none';
  }

  const cases: Case[] = [
    { name: 'signed delivery', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 200, body: 'signed' },
    { name: 'query string', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}?shop=a%20b&x=1&x=2`, status: 200, body: 'signed' },
    { name: 'query with backslash', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}?a=\\b`, status: 200, body: 'signed' },
    { name: 'encoded connector id', method: 'POST', path: () => `/webhooks/%68ook-route/${token}`, status: 200, body: 'signed' },
    { name: 'encoded token', method: 'POST', path: () => `/webhooks/${CONNECTOR}/%${token.charCodeAt(0).toString(16)}${token.slice(1)}`, status: 200, body: 'signed' },
    { name: 'dot segments', method: 'POST', path: () => `/webhooks/x/../${CONNECTOR}/./${token}`, status: 200, body: 'signed' },
    { name: 'encoded dot segment', method: 'POST', path: () => `/webhooks/%2e%2e/${CONNECTOR}/${token}`, status: 404, body: 'signed' },
    { name: 'trailing slash', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}/`, status: 404, body: 'signed' },
    { name: 'double slash before connector', method: 'POST', path: () => `/webhooks//${CONNECTOR}/${token}`, status: 404, body: 'signed' },
    { name: 'double slash before token', method: 'POST', path: () => `/webhooks/${CONNECTOR}//${token}`, status: 404, body: 'signed' },
    { name: 'extra segment', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}/extra`, status: 404, body: 'signed' },
    { name: 'backslash in path', method: 'POST', path: () => `/webhooks/${CONNECTOR}\\${token}`, status: 400, body: 'signed' },
    { name: 'bare prefix', method: 'POST', path: () => '/webhooks', status: 404, body: 'signed' },
    { name: 'prefix with slash', method: 'POST', path: () => '/webhooks/', status: 404, body: 'signed' },
    { name: 'unknown connector', method: 'POST', path: () => `/webhooks/no-such-connector/${token}`, status: 404, body: 'signed' },
    { name: 'unknown token', method: 'POST', path: () => `/webhooks/${CONNECTOR}/not-a-token_1.2~3`, status: 404, body: 'signed' },
    { name: 'connector-wide URL without lookup', method: 'POST', path: () => `/webhooks/${CONNECTOR}`, status: 404, body: 'signed' },
    { name: 'bad signature', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 401, body: 'unsigned' },
    { name: 'body over the limit', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 413, body: 'too large' },
    { name: 'wrong content type', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 415, body: 'signed', headers: { 'content-type': 'text/plain' } },
    { name: 'no request id', method: 'POST', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 401, body: 'unsigned', headers: { 'x-request-id': '' } },
    { name: 'GET without handshake', method: 'GET', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 405, body: 'none' },
    { name: 'GET on connector-wide URL', method: 'GET', path: () => `/webhooks/${CONNECTOR}`, status: 404, body: 'none' },
    // The intake checks for a declared handshake before it looks up the token.
    { name: 'GET unknown token', method: 'GET', path: () => `/webhooks/${CONNECTOR}/nope`, status: 405, body: 'none' },
    { name: 'HEAD', method: 'HEAD', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 405, body: 'none' },
    { name: 'OPTIONS', method: 'OPTIONS', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 404, body: 'none' },
    { name: 'PUT', method: 'PUT', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 404, body: 'signed' },
    { name: 'DELETE', method: 'DELETE', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 404, body: 'none' },
    { name: 'PATCH', method: 'PATCH', path: () => `/webhooks/${CONNECTOR}/${token}`, status: 404, body: 'signed' },
  ];

  it.each(cases)('$name matches the Hono route', async (testCase) => {
    const { platform, hono } = await sendToBoth((port) => {
      const request: RawRequest = { method: testCase.method, path: testCase.path(), headers: { host: `127.0.0.1:${port}`, 'x-request-id': 'routing-test-id' } };
      if (testCase.body === 'signed') Object.assign(request, signedDelivery());
      if (testCase.body === 'unsigned') Object.assign(request, signedDelivery({ 'x-shopify-hmac-sha256': shopifySignature('wrong-secret', Buffer.from('{}')) }));
      if (testCase.body === 'too large') request.body = Buffer.alloc(MAX_BODY_BYTES + 1, 'x');
      request.headers = { ...request.headers, host: `127.0.0.1:${port}`, 'x-request-id': 'routing-test-id', ...testCase.headers };
      if (request.headers['x-request-id'] === '') delete request.headers['x-request-id'];
      return request;
    });

    expect(hono.status, hono.body).toBe(testCase.status);
    expect(platform.status, platform.body).toBe(hono.status);
    expect(comparable(platform).headers).toEqual(comparable(hono).headers);
    expect(comparable(platform).body).toEqual(comparable(hono).body);
  });

  it('creates a request id on both paths', async () => {
    const { platform, hono } = await sendToBoth((port) => ({ method: 'POST', path: `/webhooks/${CONNECTOR}/${token}`, ...signedDelivery({ host: `127.0.0.1:${port}` }) }));

    expect(platform.status, platform.body).toBe(200);
    expect(platform.headers['x-request-id']).toMatch(UUID);
    expect(hono.headers['x-request-id']).toMatch(UUID);
    expect(platform.headers['x-request-id']).not.toBe(hono.headers['x-request-id']);
  });

  it.each([
    { name: 'host rewritten as IPv4', host: '1.2.3' },
    { name: 'port out of range', host: 'example.test:99999' },
    { name: 'host with user info', host: 'user@example.test' },
    { name: 'host in upper case', host: 'EXAMPLE.test:8080' },
  ])('Host header $name matches the Hono route', async ({ host }) => {
    const build = () => ({ method: 'POST', path: `/webhooks/${CONNECTOR}/${token}`, ...signedDelivery({ host, 'x-request-id': 'routing-host-id' }) });
    const platform = await sendRaw(platformPort, build());
    const hono = await sendRaw(honoPort, build());

    expect(platform.status, platform.body).toBe(hono.status);
    expect(comparable(platform).headers).toEqual(comparable(hono).headers);
    expect(comparable(platform).body).toEqual(comparable(hono).body);
  });
});
