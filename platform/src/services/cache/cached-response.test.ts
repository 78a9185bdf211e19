import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../http/index.js';
import { createCachedResponse, parseCachedResponse, serializeCachedResponse } from './cached-response.js';

const RESPONSE: HttpResponse = {
  status: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': 'rid-7' },
  body: { results: [{ id: '1', tags: ['a'] }] },
  rawBody: '{"results":[{"id":"1","tags":["a"]}]}',
  durationMs: 31.4,
  requestId: 'rid-7',
  url: 'https://api.example.test/contacts?limit=1',
};

describe('cached response', () => {
  it('round-trips through JSON', () => {
    const entry = createCachedResponse(RESPONSE, 1_700_000_060_000);

    const parsed = parseCachedResponse(serializeCachedResponse(entry));

    expect(parsed?.expiresAt).toBe(1_700_000_060_000);
    expect(parsed?.response).toEqual(RESPONSE);
  });

  it('stores the agreed fields', () => {
    const stored = JSON.parse(serializeCachedResponse(createCachedResponse(RESPONSE, 5))) as Record<string, unknown>;

    expect(stored).toMatchObject({
      v: 1,
      expiresAt: 5,
      status: 200,
      headers: RESPONSE.headers,
      body: RESPONSE.body,
      rawBody: RESPONSE.rawBody,
      url: RESPONSE.url,
    });
  });

  it('freezes the stored copy deeply', () => {
    const entry = createCachedResponse(RESPONSE, 5);
    const body = entry.response.body as { results: { tags: string[] }[] };

    expect(Object.isFrozen(entry.response)).toBe(true);
    expect(Object.isFrozen(body.results[0]?.tags)).toBe(true);
  });

  it('rejects unreadable entries', () => {
    const valid = JSON.parse(serializeCachedResponse(createCachedResponse(RESPONSE, 5))) as Record<string, unknown>;
    const broken = [
      'not json',
      'null',
      '[]',
      JSON.stringify({ ...valid, v: 2 }),
      JSON.stringify({ ...valid, status: '200' }),
      JSON.stringify({ ...valid, headers: { a: 1 } }),
      JSON.stringify({ ...valid, rawBody: undefined }),
      JSON.stringify({ ...valid, expiresAt: undefined }),
    ];

    for (const text of broken) {
      expect(parseCachedResponse(text), text).toBeUndefined();
    }
  });
});
