import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compressResponses, selectEncoding } from '../../platform/src/api/compression.js';
import { startApiTestPlatform, type ApiTestPlatform } from './support/api-platform.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they came over the wire, before any decoding. */
  body: Buffer;
}

/** Sends a GET with node:http, which, unlike fetch, leaves a compressed body as it is. */
function getRaw(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'GET', headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('response compression', () => {
  let platform: ApiTestPlatform;
  let plain: Buffer;

  beforeAll(async () => {
    platform = await startApiTestPlatform();
    plain = (await getRaw(`${platform.test.url}/v1/openapi.json`, { 'accept-encoding': 'identity' })).body;
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('sends large answers uncompressed on identity', async () => {
    const response = await getRaw(`${platform.test.url}/v1/openapi.json`, { 'accept-encoding': 'identity' });

    expect(plain.byteLength).toBeGreaterThan(1024);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toContain('Accept-Encoding');
    expect(JSON.parse(response.body.toString('utf8')).openapi).toMatch(/^3\.1/);
  });

  it('gzips large answers', async () => {
    const response = await getRaw(`${platform.test.url}/v1/openapi.json`, { 'accept-encoding': 'gzip' });

    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(Number(response.headers['content-length'])).toBe(response.body.byteLength);
    expect(response.body.byteLength).toBeLessThan(plain.byteLength / 4);
    expect(gunzipSync(response.body).equals(plain)).toBe(true);
  });

  it('sends Brotli when preferred', async () => {
    const response = await getRaw(`${platform.test.url}/v1/openapi.json`, { 'accept-encoding': 'gzip;q=0.5, br' });

    expect(response.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(response.body).equals(plain)).toBe(true);
  });

  it('compresses authenticated answers', async () => {
    const response = await getRaw(`${platform.test.url}/v1/integrations`, { authorization: `Bearer ${platform.test.apiKey}`, 'accept-encoding': 'gzip' });
    const decoded = response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.body) : response.body;
    const listed = JSON.parse(decoded.toString('utf8'));

    expect(Array.isArray(listed.integrations)).toBe(true);
    // Compressed exactly when the response is larger than 1 KiB.
    expect(response.headers['content-encoding']).toBe(decoded.byteLength > 1024 ? 'gzip' : undefined);
  });

  it('leaves small answers alone', async () => {
    const response = await getRaw(`${platform.test.url}/health/live`, { 'accept-encoding': 'gzip, br' });

    expect(response.body.byteLength).toBeLessThanOrEqual(1024);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(response.body.toString('utf8')).status).toBe('healthy');
  });

  it('marks small JSON answers with Vary', async () => {
    const response = await getRaw(`${platform.test.url}/health/live`, {});

    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toContain('Accept-Encoding');
    expect(JSON.parse(response.body.toString('utf8')).status).toBe('healthy');
  });

  it('leaves provider webhook answers alone', async () => {
    const response = await getRaw(`${platform.test.url}/webhooks/hubspot/not-a-token`, { 'accept-encoding': 'gzip, br' });

    expect(response.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(response.body.toString('utf8')).code).toMatch(/^WEBHOOK_/);
  });
});

describe('compression middleware', () => {
  const large = 'x'.repeat(2048);
  const app = new Hono();
  app.use('*', compressResponses({ skip: (path) => path.startsWith('/webhooks/') }));
  app.get('/large', (c) => c.text(large));
  app.get('/small', (c) => c.text('x'.repeat(1024)));
  app.get('/webhooks/large', (c) => c.text(large));
  app.get('/events', (c) => c.body(large, 200, { 'content-type': 'text/event-stream' }));
  app.get('/image', (c) => c.body(large, 200, { 'content-type': 'image/png' }));
  app.get('/no-transform', (c) => c.text(large, 200, { 'cache-control': 'no-transform' }));
  app.get('/cookies', (c) => {
    c.header('set-cookie', 'first=1; Path=/', { append: true });
    c.header('set-cookie', 'second=2; Path=/', { append: true });
    return c.text(c.req.query('size') === 'large' ? large : 'small');
  });

  app.get('/vary-origin', (c) => c.text(large, 200, { vary: 'Origin' }));
  // A response from fetch has headers that cannot change, so the middleware has to copy it.
  app.get('/fetched', () => fetch(upstreamUrl));

  let upstream: Server;
  let upstreamUrl = '';

  beforeAll(async () => {
    upstream = createServer((_incoming, outgoing) => {
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ padding: large }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  });

  const get = (path: string, acceptEncoding = 'gzip') => app.request(path, { headers: { 'accept-encoding': acceptEncoding } });
  const getWithout = (path: string) => app.request(path);

  it('compresses above 1 KiB only', async () => {
    const above = await get('/large');
    const at = await get('/small');

    expect(above.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await above.arrayBuffer())).toString('utf8')).toBe(large);
    expect(at.headers.get('content-encoding')).toBeNull();
    expect(await at.text()).toBe('x'.repeat(1024));
  });

  it.each(['/large', '/small'])('adds Vary to %s without Accept-Encoding', async (path) => {
    const response = await getWithout(path);

    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(await response.text()).toBe(path === '/large' ? large : 'x'.repeat(1024));
  });

  it('adds Vary to a small response it leaves uncompressed', async () => {
    const response = await get('/small');

    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
  });

  it('leaves Vary off types it never compresses', async () => {
    const response = await getWithout('/image');

    expect(response.headers.get('vary')).toBeNull();
  });

  it.each([
    ['gzip', 'gzip'],
    ['', null],
  ])('appends to an existing Vary with Accept-Encoding %j', async (acceptEncoding, expected) => {
    const response = acceptEncoding ? await get('/vary-origin', acceptEncoding) : await getWithout('/vary-origin');

    expect(response.headers.get('vary')).toBe('Origin, Accept-Encoding');
    expect(response.headers.get('content-encoding')).toBe(expected);
  });

  it.each([
    ['gzip', 'gzip'],
    ['', null],
  ])('copies a fetched response with Accept-Encoding %j', async (acceptEncoding, expected) => {
    const response = acceptEncoding ? await get('/fetched', acceptEncoding) : await getWithout('/fetched');
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = expected === 'gzip' ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');

    expect(response.status).toBe(200);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('content-encoding')).toBe(expected);
    expect(JSON.parse(text)).toEqual({ padding: large });
  });

  it.each(['/webhooks/large', '/events', '/image', '/no-transform'])('leaves %s uncompressed', async (path) => {
    const response = await get(path);

    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.text()).toBe(large);
  });

  it.each(['large', 'small'])('keeps every Set-Cookie of a %s response', async (size) => {
    const response = await get(`/cookies?size=${size}`);

    expect(response.headers.getSetCookie()).toEqual(['first=1; Path=/', 'second=2; Path=/']);
    expect(response.headers.get('content-encoding')).toBe(size === 'large' ? 'gzip' : null);
  });

  it.each([
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['br;q=0.4, gzip;q=0.8', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['identity', undefined],
    ['gzip;q=0, br;q=0', undefined],
    ['deflate', undefined],
    ['', undefined],
  ])('Accept-Encoding %j selects %s', (header, expected) => {
    expect(selectEncoding(header)).toBe(expected);
  });
});
