import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApiTestPlatform, type ApiTestPlatform } from './support/api-platform.js';

const PORTUGUESE = { 'accept-language': 'pt-BR' };

describe('request validation', () => {
  let platform: ApiTestPlatform;
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => platform.test.call(method, path, body, headers);

  beforeAll(async () => {
    platform = await startApiTestPlatform();
    // No request reaches this address: the tests below stop before the provider is called.
    const connect = await call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: 'unused' }, config: { baseUrl: 'http://127.0.0.1:9' }, test: false });
    expect(connect.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('rejects wrong types with pointers in English', async () => {
    const { status, body, headers } = await call('POST', '/v1/integrations/hubspot/sync', { type: 5, mode: true });

    expect(status).toBe(400);
    expect(headers.get('content-type')).toBe('application/problem+json');
    expect(headers.get('content-language')).toBe('en');
    expect(body).toMatchObject({ status: 400, code: 'REQUEST_INVALID', field: '/type' });
    expect(body.errors).toEqual([
      { field: '/type', code: 'FIELD_TYPE_INVALID', message: '/type must be a string.' },
      { field: '/mode', code: 'FIELD_TYPE_INVALID', message: '/mode must be a string.' },
    ]);
    expect(body.detail).toBe('The request body does not match this operation\'s schema: /type must be a string. 1 more problem is listed in "errors".');
  });

  it('rejects wrong types in Portuguese', async () => {
    const { status, body, headers } = await call('POST', '/v1/integrations/hubspot/sync', { type: 5, mode: true }, PORTUGUESE);

    expect(status).toBe(400);
    expect(headers.get('content-language')).toBe('pt-BR');
    expect(body.code).toBe('REQUEST_INVALID');
    expect(body.field).toBe('/type');
    expect(body.errors.map((error: any) => error.message)).toEqual(['/type deve ser um texto.', '/mode deve ser um texto.']);
    expect(body.detail).toBe('O corpo da requisição não segue o esquema desta operação: /type deve ser um texto. Há mais 1 problema em "errors".');
  });

  it('checks the full schema of newer endpoints', async () => {
    const before = await call('GET', '/v1/api-keys');
    const { status, body } = await call('POST', '/v1/api-keys', { name: '', scopes: ['integrations.read', 'integrations.everything'], owner: 'ops' });
    const after = await call('GET', '/v1/api-keys');

    expect(status).toBe(400);
    expect(body.code).toBe('REQUEST_INVALID');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: '/owner', code: 'FIELD_UNKNOWN' }),
        expect.objectContaining({ field: '/name', code: 'FIELD_OUT_OF_RANGE' }),
        expect.objectContaining({ field: '/scopes/1', code: 'FIELD_VALUE_NOT_ALLOWED' }),
      ]),
    );
    expect(body.errors).toHaveLength(3);
    expect(body.field).toBe(body.errors[0].field);
    expect(after.body.apiKeys).toHaveLength(before.body.apiKeys.length);
  });

  it('names a missing field by its pointer', async () => {
    const english = await fetch(`${platform.test.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com' }) });
    const portuguese = await fetch(`${platform.test.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...PORTUGUESE }, body: JSON.stringify({ email: 'admin@example.com' }) });
    const englishBody = (await english.json()) as any;
    const portugueseBody = (await portuguese.json()) as any;

    expect(english.status).toBe(400);
    expect(englishBody.errors).toEqual([{ field: '/password', code: 'FIELD_REQUIRED', message: '/password is required.' }]);
    expect(portugueseBody.errors).toEqual([{ field: '/password', code: 'FIELD_REQUIRED', message: '/password é obrigatório.' }]);
  });

  it('passes a well-formed request', async () => {
    const { status, body } = await call('POST', '/v1/api-keys', { name: 'CI', scopes: ['integrations.read'] });

    expect(status).toBe(201);
    expect(body.apiKey).toMatchObject({ name: 'CI', scopes: ['integrations.read'] });
    expect(typeof body.key).toBe('string');
  });

  it('leaves handler checks to older endpoints', async () => {
    const { status, body, headers } = await call('POST', '/v1/integrations/hubspot/sync/preview', { typ: 'contacts' });
    const portuguese = await call('POST', '/v1/integrations/hubspot/sync/preview', { typ: 'contacts' }, PORTUGUESE);

    expect(status).toBe(400);
    expect(body.code).toBe('FIELD_UNKNOWN');
    expect(body.detail).toContain('did you mean type?');
    expect(headers.get('content-language')).toBe('en');
    expect(portuguese.body.code).toBe('FIELD_UNKNOWN');
    expect(portuguese.body.detail).toBe('typ não é um campo desta requisição; a referência em /v1/docs lista os campos aceitos.');
    expect(portuguese.headers.get('content-language')).toBe('pt-BR');
  });

  it('rejects a body that is not JSON', async () => {
    const response = await fetch(`${platform.test.url}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${platform.test.apiKey}`, 'content-type': 'text/plain', ...PORTUGUESE }, body: 'name=CI' });
    const body = (await response.json()) as any;

    expect(response.status).toBe(415);
    expect(body.code).toBe('CONTENT_TYPE_UNSUPPORTED');
    expect(body.detail).toBe('Envie o corpo como JSON, com o cabeçalho "Content-Type: application/json".');
  });

  it('rejects malformed JSON', async () => {
    const response = await fetch(`${platform.test.url}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${platform.test.apiKey}`, 'content-type': 'application/json' }, body: '{"name": ' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as any).code).toBe('BODY_INVALID_JSON');
  });

  it('rejects a body over 1 MiB', async () => {
    const response = await fetch(`${platform.test.url}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.test.apiKey}`, 'content-type': 'application/json', ...PORTUGUESE },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024), scopes: [] }),
    });
    const body = (await response.json()) as any;

    expect(response.status).toBe(413);
    expect(body.code).toBe('BODY_TOO_LARGE');
    expect(body.detail).toBe('O corpo da requisição passa de 1048576 bytes.');
  });

  it('leaves provider deliveries alone', async () => {
    const response = await fetch(`${platform.test.url}/webhooks/hubspot/not-a-token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not json' });
    const body = (await response.json()) as any;

    expect(body.code).not.toBe('CONTENT_TYPE_UNSUPPORTED');
    expect(body.code).toMatch(/^WEBHOOK_/);
  });
});

describe('problem language', () => {
  let platform: ApiTestPlatform;

  beforeAll(async () => {
    platform = await startApiTestPlatform();
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
  });

  const notFound = async (acceptLanguage?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${platform.test.apiKey}` };
    if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
    const response = await fetch(`${platform.test.url}/v1/nothing-here`, { headers });
    return { language: response.headers.get('content-language'), body: (await response.json()) as any };
  };

  it.each([
    [undefined, 'en'],
    ['pt-BR', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['en-US', 'en'],
    ['de, fr', 'en'],
    ['en;q=0.5, pt-BR;q=0.9', 'pt-BR'],
    ['pt-BR;q=0.2, en', 'en'],
    ['pt-BR;q=0, *', 'en'],
    ['fr, *;q=0.1', 'en'],
    ['es, pt;q=0.8, en;q=0.7', 'pt-BR'],
  ])('Accept-Language %s answers %s', async (header, expected) => {
    const { language, body } = await notFound(header);

    expect(language).toBe(expected);
    expect(body.code).toBe('ROUTE_NOT_FOUND');
    expect(body.detail).toBe(expected === 'pt-BR' ? 'Nenhuma rota corresponde a GET /v1/nothing-here; a referência em /v1/docs lista as rotas.' : 'No route matches GET /v1/nothing-here.');
  });

  it('translates a missing API key', async () => {
    const response = await fetch(`${platform.test.url}/v1/api-keys/key_missing`, { method: 'DELETE', headers: { authorization: `Bearer ${platform.test.apiKey}`, ...PORTUGUESE } });
    const body = (await response.json()) as any;

    expect(response.status).toBe(404);
    expect(body.code).toBe('API_KEY_NOT_FOUND');
    expect(body.detail).toContain('GET /v1/api-keys');
    expect(body.detail).toContain('não tem essa chave de API');
    expect(response.headers.get('content-language')).toBe('pt-BR');
  });

  it('translates authentication problems', async () => {
    const response = await fetch(`${platform.test.url}/v1/integrations`, { headers: PORTUGUESE });
    const body = (await response.json()) as any;

    expect(response.status).toBe(401);
    expect(body.code).toBe('AUTHENTICATION_REQUIRED');
    expect(body.detail).toBe('Envie uma chave de API no cabeçalho "Authorization: Bearer <chave>", ou entre pelo studio.');
    expect(response.headers.get('content-language')).toBe('pt-BR');
  });
});
