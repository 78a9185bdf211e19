import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import {
  ProviderRequestError,
  estimateTotal,
  executeRequest,
  listAllowedHosts,
  testConnection,
  type ConnectorContext,
} from '../../platform/src/runtime/index.js';
import type { AuthMethod } from '../../platform/src/runtime/manifest-types.js';
import { buildContext, buildManifest, buildObject, captureRejection } from './support/connector-fixture.js';
import { startJsonApiServer, type JsonApiServer, type ReceivedRequest, type ServerReply } from './support/json-api-server.js';

const API_KEY = 'key-4f1c9a7e2b';
const TOKEN = 'token-8d2e6b1f3c';
const PASSWORD = 'pässwörd-91';

function expectedBasic(): string {
  return `Basic ${Buffer.from(`joão:${PASSWORD}`, 'utf8').toString('base64')}`;
}

/** Accepts a request only when it carries the credentials the path names. */
function authorized(request: ReceivedRequest): boolean {
  switch (request.path) {
    case '/auth/api-key-header':
      return request.headers['x-api-key'] === API_KEY;
    case '/auth/api-key-prefix':
      return request.headers.authorization === `Token ${API_KEY}`;
    case '/auth/api-key-query':
      return request.query.get('api_key') === API_KEY;
    case '/auth/basic':
      return request.headers.authorization === expectedBasic();
    case '/auth/bearer':
    case '/auth/oauth':
      return request.headers.authorization === `Bearer ${TOKEN}`;
    default:
      return false;
  }
}

function route(request: ReceivedRequest): ServerReply {
  if (request.path.startsWith('/auth/')) {
    return authorized(request) ? { body: { ok: true } } : { status: 401, body: { message: 'Authentication credentials not found' } };
  }
  switch (request.path) {
    case '/rate-limited':
      return { status: 429, headers: { 'retry-after': '10' }, body: { status: 'error', message: 'You have reached your secondly limit.', correlationId: 'c0ffee-42' } };
    case '/forbidden':
      return { status: 403, body: { errors: [{ message: 'Missing scope crm.objects.contacts.read' }] } };
    case '/echo-secret':
      return { status: 400, body: { error: { message: `Invalid key ${API_KEY} for this portal` } } };
    case '/server-error':
      return { status: 502, headers: { 'x-request-id': 'req-77' }, body: 'upstream timed out' };
    case '/html-error':
      return { status: 500, body: '<html><body>Internal error</body></html>' };
    case '/count':
      return { body: { meta: { total: '1234' } } };
    case '/bad-count':
      return { body: { meta: {} } };
    case '/contacts/a%2Fb':
      return { body: { id: 'a/b', query: Object.fromEntries(request.query) } };
    default:
      return { status: 404, body: { message: `no route ${request.path}` } };
  }
}

describe('requests and auth', () => {
  let server: JsonApiServer;
  const clients: HttpClient[] = [];

  beforeAll(async () => {
    server = await startJsonApiServer(route);
  });

  afterEach(() => {
    server.requests.length = 0;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  function contextFor(auth: AuthMethod, credentials: Record<string, string>, testPath = '/me'): ReturnType<typeof buildContext> {
    const manifest = buildManifest(server.url, { contacts: buildObject({}) }, [auth]);
    manifest.connection.test = { request: { method: 'GET', path: testPath } };
    const built = buildContext(manifest, { credentials, authMethod: auth });
    clients.push(built.http);
    return built;
  }

  const AUTH_CASES: { name: string; path: string; auth: AuthMethod; credentials: Record<string, string> }[] = [
    { name: 'API key header', path: '/auth/api-key-header', auth: { type: 'apiKey', in: 'header', name: 'X-Api-Key' }, credentials: { apiKey: API_KEY } },
    {
      name: 'API key with prefix',
      path: '/auth/api-key-prefix',
      auth: { type: 'apiKey', in: 'header', name: 'Authorization', prefix: 'Token ', credentialField: 'token' },
      credentials: { token: API_KEY },
    },
    { name: 'API key query', path: '/auth/api-key-query', auth: { type: 'apiKey', in: 'query', name: 'api_key' }, credentials: { apiKey: API_KEY } },
    { name: 'basic', path: '/auth/basic', auth: { type: 'basic' }, credentials: { username: 'joão', password: PASSWORD } },
    { name: 'bearer', path: '/auth/bearer', auth: { type: 'bearer' }, credentials: { accessToken: TOKEN } },
    {
      name: 'OAuth 2.0 token',
      path: '/auth/oauth',
      auth: {
        type: 'oauth2AuthorizationCode',
        authorizationUrl: 'https://auth.invalid/authorize',
        tokenUrl: 'https://auth.invalid/token',
        scopes: ['contacts'],
        pkce: true,
        refresh: {},
      },
      credentials: { accessToken: TOKEN, refreshToken: 'refresh-unused' },
    },
  ];

  it.each(AUTH_CASES)('authenticates with $name', async ({ path, auth, credentials }) => {
    const { ctx, logs } = contextFor(auth, credentials, path);
    const result = await testConnection(ctx);
    expect(result).toEqual({ ok: true, status: 200, message: 'Connected to Test API.' });
    expect(server.requests).toHaveLength(1);
    for (const secret of Object.values(credentials)) expect(logs()).not.toContain(secret);
  });

  it.each(AUTH_CASES)('fails $name with wrong secrets', async ({ path, auth, credentials }) => {
    const wrong = Object.fromEntries(Object.entries(credentials).map(([field, value]) => [field, `${value}-wrong`]));
    const { ctx } = contextFor(auth, wrong, path);
    const result = await testConnection(ctx);
    expect(result.ok).toBe(false);
    expect(result.status).toBe(401);
    expect(result.message).toContain('Authentication credentials not found');
    for (const secret of Object.values(wrong)) expect(result.message).not.toContain(secret);
  });

  function apiKeyContext(): ConnectorContext {
    return contextFor({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, { apiKey: API_KEY }).ctx;
  }

  it('raises rate limited errors', async () => {
    const error = await captureRejection(() => executeRequest(apiKeyContext(), { method: 'GET', path: '/rate-limited' }));
    expect(error).toBeInstanceOf(ProviderRequestError);
    const providerError = error as ProviderRequestError;
    expect(providerError.code).toBe('PROVIDER_RATE_LIMITED');
    expect(providerError.providerStatus).toBe(429);
    expect(providerError.providerMessage).toBe('You have reached your secondly limit.');
    expect(providerError.requestId).toBe('c0ffee-42');
    expect(providerError.message).toContain('c0ffee-42');
    expect(providerError.response.headers['retry-after']).toBe('10');
    expect(JSON.stringify(providerError)).not.toContain(API_KEY);
    expect(JSON.stringify(providerError.details)).not.toContain('x-api-key');
  });

  it('raises auth failures', async () => {
    const error = await captureRejection(() => executeRequest(apiKeyContext(), { method: 'GET', path: '/forbidden' }));
    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.message).toContain('Missing scope crm.objects.contacts.read');
  });

  it('scrubs echoed secrets', async () => {
    const error = await captureRejection(() => executeRequest(apiKeyContext(), { method: 'GET', path: '/echo-secret' }));
    expect(error.code).toBe('PROVIDER_REQUEST_FAILED');
    expect(error.message).toContain('Invalid key [redacted] for this portal');
    expect(error.message).not.toContain(API_KEY);
  });

  it('reports text and HTML errors', async () => {
    const text = (await captureRejection(() => executeRequest(apiKeyContext(), { method: 'GET', path: '/server-error' }))) as ProviderRequestError;
    expect(text.providerMessage).toBe('upstream timed out');
    expect(text.requestId).toBe('req-77');
    expect(text.fault).toBe('provider');

    const html = (await captureRejection(() => executeRequest(apiKeyContext(), { method: 'GET', path: '/html-error' }))) as ProviderRequestError;
    expect(html.providerMessage).toBeUndefined();
    expect(html.message).toContain('HTTP 500');
  });

  it('renders path and query', async () => {
    const response = await executeRequest(
      apiKeyContext(),
      { method: 'GET', path: '/contacts/{{ id }}', query: { properties: 'email,{{ params.extra }}', archived: false, after: '{{ cursor }}' } },
      { id: 'a/b', cursor: null, params: { extra: 'phone' } },
    );
    expect(response.body).toEqual({ id: 'a/b', query: { properties: 'email,phone', archived: 'false' } });
  });

  it('fills config defaults', async () => {
    const manifest = buildManifest(`${server.url}/{{ config.prefix }}`, { contacts: buildObject({}) });
    manifest.connection.configSchema.properties = {
      prefix: { type: 'string', description: 'Path prefix.', default: 'contacts' },
      extra: { type: 'string', description: 'Extra property.', default: 'fax' },
    };
    const { ctx, http } = buildContext(manifest, { credentials: { apiKey: API_KEY }, config: { extra: 'phone' } });
    clients.push(http);
    const response = await executeRequest(ctx, { method: 'GET', path: '/{{ id }}', query: { properties: '{{ config.extra }}' } }, { id: 'a/b' });
    expect(response.body).toEqual({ id: 'a/b', query: { properties: 'phone' } });
  });

  it('estimates totals from count', async () => {
    const manifest = buildManifest(server.url, {
      contacts: buildObject({ count: { method: 'GET', path: '/count', totalPath: 'meta.total' } }),
      deals: buildObject({ count: { method: 'GET', path: '/bad-count', totalPath: 'meta.total' } }),
      notes: buildObject({}),
    });
    const { ctx, http } = buildContext(manifest, { credentials: { apiKey: API_KEY } });
    clients.push(http);
    expect(await estimateTotal(ctx, 'contacts')).toBe(1234);
    expect(await estimateTotal(ctx, 'notes')).toBeUndefined();
    expect((await captureRejection(() => estimateTotal(ctx, 'deals'))).code).toBe('TOTAL_INVALID');
  });
});

describe('outbound guard', () => {
  let server: JsonApiServer;
  let guarded: HttpClient;

  beforeAll(async () => {
    server = await startJsonApiServer(() => ({ body: { ok: true } }));
    guarded = createHttpClient({ allowPrivateNetwork: false, userAgent: 'lumio-test', logger: silentLogger });
  });

  afterAll(async () => {
    await guarded.close();
    await server.close();
  });

  it.each(['localhost', '127.0.0.1', '[::1]'])('rejects %s before connecting', async (host) => {
    const baseUrl = `http://${host}:${server.port}`;
    const manifest = buildManifest(baseUrl, { contacts: buildObject({}) });
    const { ctx } = buildContext(manifest, { http: guarded });

    const result = await testConnection(ctx);
    const error = await captureRejection(() => executeRequest(ctx, { method: 'GET', path: '/me' }));

    expect(error.code).toBe('DESTINATION_NOT_ALLOWED');
    expect(error.message).toContain(host.replace(/[[\]]/g, ''));
    expect(result.ok).toBe(false);
    expect(result.status).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('allows loopback when permitted', async () => {
    const open = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test', logger: silentLogger });
    const manifest = buildManifest(`http://localhost:${server.port}`, { contacts: buildObject({}) });
    const { ctx } = buildContext(manifest, { http: open });
    const response = await executeRequest(ctx, { method: 'GET', path: '/me' });
    await open.close();
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(1);
  });

  it('lists base and allowed hosts', () => {
    const manifest = buildManifest('https://{{ config.shop }}.shop.example.test/api', { contacts: buildObject({}) });
    manifest.connection.allowedHosts = ['files.{{ config.region }}.example.test'];
    const { ctx } = buildContext(manifest, { http: guarded, config: { shop: 'acme', region: 'eu' } });
    expect(listAllowedHosts(ctx)).toEqual(['acme.shop.example.test', 'files.eu.example.test']);

    const simulated = buildContext(manifest, { http: guarded, config: { shop: 'acme', region: 'eu' }, baseUrl: `http://127.0.0.1:${server.port}` });
    expect(listAllowedHosts(simulated.ctx)).toEqual([`127.0.0.1:${server.port}`, 'files.eu.example.test']);
  });
});
