import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { captureRejection } from './support/connector-fixture.js';
import { startJsonApiServer, type JsonApiServer, type ServerReply } from './support/json-api-server.js';

describe('http client', () => {
  let server: JsonApiServer;
  let client: HttpClient;

  beforeAll(async () => {
    server = await startJsonApiServer((request): ServerReply => {
      if (request.path === '/text') return { body: 'plain words' };
      if (request.path === '/problem') return { status: 422, headers: { 'content-type': 'application/problem+json' }, body: { title: 'bad' } };
      return { headers: { 'x-request-id': 'rid-1', 'set-cookie': 'a=1' }, body: { echo: request.body ?? null } };
    });
    client = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test/1.0', logger: silentLogger, timeoutMs: 300 });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('sends JSON and parses JSON', async () => {
    const response = await client.send({
      method: 'POST',
      url: `${server.url}/echo?keep=1&drop=2`,
      query: { added: 'yes', drop: null, keep: 'replaced' },
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: { name: 'Ana', tags: ['a'] },
    });
    const received = server.requests.at(-1);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ echo: { name: 'Ana', tags: ['a'] } });
    expect(response.rawBody).toBe(JSON.stringify({ echo: { name: 'Ana', tags: ['a'] } }));
    expect(response.requestId).toBe('rid-1');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.durationMs).toBeGreaterThan(0);
    expect(Object.fromEntries(received?.query ?? [])).toEqual({ keep: 'replaced', added: 'yes' });
    expect(received?.headers['user-agent']).toBe('lumio-test/1.0');
    expect(received?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('returns text bodies as text', async () => {
    const response = await client.send({ method: 'GET', url: `${server.url}/text` });
    expect(response.body).toBe('plain words');
  });

  it('parses +json content types', async () => {
    const response = await client.send({ method: 'GET', url: `${server.url}/problem` });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ title: 'bad' });
  });

  it('times out slow responses', async () => {
    const slow = createServer((_request, response) => {
      setTimeout(() => response.end('late'), 2000).unref();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as AddressInfo;
    try {
      const error = await captureRejection(() => client.send({ method: 'GET', url: `http://127.0.0.1:${port}/slow?apiKey=secret-value` }));
      expect(error.code).toBe('PROVIDER_TIMEOUT');
      expect(error.message).toContain('300 ms');
      expect(error.message).not.toContain('secret-value');
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('reports caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await captureRejection(() => client.send({ method: 'GET', url: `${server.url}/echo`, signal: controller.signal }));
    expect(error.code).toBe('REQUEST_ABORTED');
  });

  it('reports refused connections', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await captureRejection(() => client.send({ method: 'GET', url: `http://127.0.0.1:${port}/` }));
    expect(error.code).toBe('PROVIDER_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('rejects non-HTTP URLs', async () => {
    expect((await captureRejection(() => client.send({ method: 'GET', url: 'file:///etc/passwd' }))).code).toBe('URL_INVALID');
    expect((await captureRejection(() => client.send({ method: 'GET', url: 'not a url' }))).code).toBe('URL_INVALID');
  });
});
