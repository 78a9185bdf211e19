import { describe, expect, it } from 'vitest';
import { isCacheable, isStorable } from './cacheable.js';

describe('isCacheable', () => {
  it('accepts GET and HEAD', () => {
    expect(isCacheable({ method: 'GET' })).toBe(true);
    expect(isCacheable({ method: 'HEAD' })).toBe(true);
  });

  it('rejects methods that write', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      expect(isCacheable({ method }), method).toBe(false);
    }
  });
});

describe('isStorable', () => {
  it('accepts 2xx without cache-control', () => {
    for (const status of [200, 203, 204, 206, 299]) {
      expect(isStorable({ status, headers: {} }), String(status)).toBe(true);
    }
  });

  it('rejects non-2xx statuses', () => {
    for (const status of [100, 199, 301, 304, 400, 404, 429, 500, 503]) {
      expect(isStorable({ status, headers: {} }), String(status)).toBe(false);
    }
  });

  it('rejects no-store and private', () => {
    const forbidding = ['no-store', 'private', 'Private', 'max-age=60, no-store', 'private, max-age=60, s-maxage=60', 'private="set-cookie"', ' NO-STORE '];
    for (const cacheControl of forbidding) {
      expect(isStorable({ status: 200, headers: { 'cache-control': cacheControl } }), cacheControl).toBe(false);
    }
  });

  it('ignores freshness directives', () => {
    const allowed = ['public, max-age=60', 'no-cache', 'max-age=0', 'must-revalidate', 'x-private-extension'];
    for (const cacheControl of allowed) {
      expect(isStorable({ status: 200, headers: { 'cache-control': cacheControl } }), cacheControl).toBe(true);
    }
  });
});
