import { describe, expect, it } from 'vitest';

import { AuthoringError } from './authoring-error.js';
import type { RecordedExchange } from './recording-format.js';
import { ReplayHttpClient } from './replay-http-client.js';

function exchange(url: string, status: number, body: RecordedExchange['response']['body'], headers: Record<string, string> = { 'content-type': 'application/json' }): RecordedExchange {
  return { request: { method: 'GET', url, headers: {} }, response: { status, headers, body } };
}

describe('ReplayHttpClient', () => {
  it('answers matching requests in recorded order', async () => {
    const client = new ReplayHttpClient([
      exchange('https://api.test/v1/tasks?page=1', 429, { json: { error: 'slow down' } }, { 'content-type': 'application/json', 'retry-after': '1' }),
      exchange('https://api.test/v1/tasks?page=1', 200, { json: { data: [1, 2] } }),
    ]);

    const first = await client.send({ method: 'GET', url: 'https://api.test/v1/tasks', query: { page: 1, cursor: null } });
    const second = await client.send({ method: 'GET', url: 'https://api.test/v1/tasks', query: { page: 1 } });

    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ data: [1, 2] });
    expect(second.rawBody).toBe('{"data":[1,2]}');
    expect(second.url).toBe('https://api.test/v1/tasks?page=1');
    expect(client.sent).toBe(2);
    expect(client.listUnused()).toEqual([]);
  });

  it('parses text bodies as the platform does', async () => {
    const client = new ReplayHttpClient([
      exchange('https://api.test/a', 200, { text: '{"ok":true}' }),
      exchange('https://api.test/b', 204, { text: '' }),
      exchange('https://api.test/c', 200, { text: '<html></html>' }, { 'content-type': 'text/html' }),
    ]);

    expect((await client.send({ method: 'GET', url: 'https://api.test/a' })).body).toEqual({ ok: true });
    expect((await client.send({ method: 'GET', url: 'https://api.test/b' })).body).toBeNull();
    expect((await client.send({ method: 'GET', url: 'https://api.test/c' })).body).toBe('<html></html>');
  });

  it('rejects a request with no recording', async () => {
    const client = new ReplayHttpClient([exchange('https://api.test/v1/tasks?page=1', 200, { json: {} })]);

    const error = await client.send({ method: 'GET', url: 'https://api.test/v1/tasks?page=2' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuthoringError);
    expect((error as AuthoringError).code).toBe('REPLAY_REQUEST_NOT_RECORDED');
    expect((error as Error).message).toContain('The replay sent GET https://api.test/v1/tasks?page=2, which the recording does not contain');
    expect((error as Error).message).toContain('the next unused recorded request is GET https://api.test/v1/tasks?page=1');
    expect(client.unrecorded).toEqual(['GET https://api.test/v1/tasks?page=2']);
  });

  it('uses each recording once', async () => {
    const client = new ReplayHttpClient([exchange('https://api.test/v1/me', 200, { json: {} })]);
    await client.send({ method: 'GET', url: 'https://api.test/v1/me' });

    await expect(client.send({ method: 'GET', url: 'https://api.test/v1/me' })).rejects.toThrow('every recorded request was already used');
  });

  it('lists unused recordings', async () => {
    const client = new ReplayHttpClient([exchange('https://api.test/1', 200, { json: 1 }), exchange('https://api.test/2', 200, { json: 2 })]);
    await client.send({ method: 'GET', url: 'https://api.test/1' });

    expect(client.listUnused().map((unused) => unused.request.url)).toEqual(['https://api.test/2']);
  });
});
