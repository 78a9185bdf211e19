import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLumioError } from '../../errors/index.js';
import { cacheKey } from './cache-key.js';
import type { CacheKey } from './cache-types.js';

/** Returns the LumioError code of a thrown value, or undefined for any other value. */
function readErrorCode(error: unknown): string | undefined {
  return isLumioError(error) ? error.code : undefined;
}

const BASE: CacheKey = {
  connectionId: 'conn-1',
  object: 'contacts',
  method: 'GET',
  url: 'https://api.example.test/crm/v3/objects/contacts/42',
  query: { properties: 'email', archived: false },
};

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('cacheKey', () => {
  it('starts with the connection id', () => {
    expect(cacheKey(BASE).startsWith('conn-1:')).toBe(true);
    expect(cacheKey({ ...BASE, connectionId: 'a:b/c' }).startsWith('a%3Ab%2Fc:')).toBe(true);
  });

  it('matches an independent SHA-256', () => {
    const canonical = JSON.stringify([
      'lumio-response-cache-1',
      'contacts',
      'GET',
      'https://api.example.test/crm/v3/objects/contacts/42?archived=false&properties=email',
      [['accept', 'application/json']],
    ]);
    const expected = createHash('sha256').update(canonical, 'utf8').digest('hex');

    expect(cacheKey({ ...BASE, varyHeaders: { Accept: 'application/json' } })).toBe(`conn-1:${expected}`);
  });

  it('isolates connections', () => {
    const first = cacheKey(BASE);
    const second = cacheKey({ ...BASE, connectionId: 'conn-2' });

    expect(first).not.toBe(second);
    expect(first.split(':')[1]).toBe(second.split(':')[1]);
  });

  it('ignores header order and case', () => {
    const first = cacheKey({ ...BASE, varyHeaders: { Accept: 'application/json', 'X-Api-Version': '2024-10' } });
    const second = cacheKey({ ...BASE, varyHeaders: { 'x-api-version': '2024-10', accept: 'application/json' } });

    expect(first).toBe(second);
  });

  it('ignores credential headers', () => {
    const plain = cacheKey({ ...BASE, varyHeaders: { Accept: 'application/json' } });
    const withAuthorization = cacheKey({
      ...BASE,
      varyHeaders: { Accept: 'application/json', Authorization: 'Bearer secret-token-1' },
    });
    const withOtherCredentials = cacheKey({
      ...BASE,
      varyHeaders: { authorization: 'Bearer secret-token-2', cookie: 'session=abc', 'Proxy-Authorization': 'Basic eA==', Accept: 'application/json' },
    });

    expect(withAuthorization).toBe(plain);
    expect(withOtherCredentials).toBe(plain);
    expect(withAuthorization).not.toContain('secret-token');
  });

  it('ignores query parameter order', () => {
    const inUrl = cacheKey({ ...BASE, url: `${BASE.url}?b=2&a=1`, query: {} });
    const reordered = cacheKey({ ...BASE, url: `${BASE.url}?a=1&b=2`, query: {} });
    const fromQuery = cacheKey({ ...BASE, url: BASE.url, query: { b: 2, a: '1' } });

    expect(inUrl).toBe(reordered);
    expect(inUrl).toBe(fromQuery);
  });

  it('applies query like the client', () => {
    const replaced = cacheKey({ ...BASE, url: `${BASE.url}?limit=5&drop=1`, query: { limit: 10, drop: null } });
    const sent = cacheKey({ ...BASE, url: `${BASE.url}?limit=10`, query: {} });

    expect(replaced).toBe(sent);
  });

  it('ignores the URL fragment', () => {
    expect(cacheKey({ ...BASE, url: `${BASE.url}#section` })).toBe(cacheKey(BASE));
  });

  it('distinguishes request parts', () => {
    const base = cacheKey(BASE);
    const variants: CacheKey[] = [
      { ...BASE, method: 'HEAD' },
      { ...BASE, object: 'deals' },
      { ...BASE, object: undefined },
      { ...BASE, url: 'https://api.example.test/crm/v3/objects/contacts/43' },
      { ...BASE, query: { properties: 'email,phone', archived: false } },
      { ...BASE, varyHeaders: { Accept: 'text/csv' } },
    ];

    for (const variant of variants) {
      expect(cacheKey(variant), JSON.stringify(variant)).not.toBe(base);
    }
  });

  it('ignores the provider label', () => {
    expect(cacheKey({ ...BASE, provider: 'hubspot' })).toBe(cacheKey(BASE));
  });

  it('rejects a missing connection id', () => {
    const error = captureError(() => cacheKey({ ...BASE, connectionId: '' }));

    expect(readErrorCode(error)).toBe('CACHE_KEY_INVALID');
  });

  it('rejects a relative URL', () => {
    const error = captureError(() => cacheKey({ ...BASE, url: '/contacts/42' }));

    expect(readErrorCode(error)).toBe('URL_INVALID');
  });
});
