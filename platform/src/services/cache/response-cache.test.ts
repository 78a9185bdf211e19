import { describe, expect, it } from 'vitest';
import { isLumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { silentLogger } from '../../observability/index.js';
import { createInMemoryCacheMetrics } from './cache-metrics.js';
import type { CacheKey, ResponseCacheOptions } from './cache-types.js';
import { createResponseCache } from './response-cache.js';

/** Returns the LumioError code of a thrown value, or undefined for any other value. */
function readErrorCode(error: unknown): string | undefined {
  return isLumioError(error) ? error.code : undefined;
}

const CONTACT_KEY: CacheKey = {
  connectionId: 'conn-1',
  object: 'contacts',
  provider: 'hubspot',
  method: 'GET',
  url: 'https://api.example.test/contacts/1',
};

function createClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_700_000_000_000;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

function jsonResponse(body: unknown, options: { status?: number; headers?: Record<string, string> } = {}): HttpResponse {
  return {
    status: options.status ?? 200,
    headers: { 'content-type': 'application/json', ...options.headers },
    body,
    rawBody: JSON.stringify(body),
    durationMs: 12.5,
    url: 'https://api.example.test/contacts/1',
  };
}

/** A loader that counts its calls and returns a new body each time, so a reload shows. */
function countingLoader(headers: Record<string, string> = {}): { load: () => Promise<HttpResponse>; calls: () => number } {
  let calls = 0;
  return {
    load: async () => {
      calls += 1;
      return jsonResponse({ version: calls }, { headers });
    },
    calls: () => calls,
  };
}

function createTestCache(overrides: Partial<ResponseCacheOptions> = {}) {
  const clock = createClock();
  const metrics = createInMemoryCacheMetrics();
  const cache = createResponseCache({ keyPrefix: 'unit:', logger: silentLogger, metrics, now: clock.now, ...overrides });
  return { cache, clock, metrics };
}

async function captureRejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}

describe('createResponseCache', () => {
  it('serves repeat reads from L1', async () => {
    const { cache } = createTestCache();
    const loader = countingLoader();

    const first = await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    const second = await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);

    expect(first.layer).toBe('miss');
    expect(second.layer).toBe('l1');
    expect(second.response.body).toEqual({ version: 1 });
    expect(second.response.status).toBe(200);
    expect(loader.calls()).toBe(1);
  });

  it('coalesces 20 concurrent misses', async () => {
    const { cache } = createTestCache();
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const load = async (): Promise<HttpResponse> => {
      calls += 1;
      await gate;
      return jsonResponse({ version: calls });
    };

    const pending = Array.from({ length: 20 }, () => cache.getOrLoad(CONTACT_KEY, undefined, load));
    release();
    const results = await Promise.all(pending);

    expect(calls).toBe(1);
    expect(results).toHaveLength(20);
    for (const result of results) {
      expect(result.layer).toBe('miss');
      expect(result.response.body).toEqual({ version: 1 });
    }
  });

  it('shares a load failure without caching', async () => {
    const { cache } = createTestCache();
    let calls = 0;
    const failing = async (): Promise<HttpResponse> => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('provider down');
    };

    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => cache.getOrLoad(CONTACT_KEY, undefined, failing)));
    const retry = await cache.getOrLoad(CONTACT_KEY, undefined, async () => jsonResponse({ recovered: true }));

    expect(calls).toBe(1);
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(retry.layer).toBe('miss');
    expect(retry.response.body).toEqual({ recovered: true });
  });

  it('never caches non-GET requests', async () => {
    const { cache, metrics } = createTestCache();

    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const loader = countingLoader();
      const key: CacheKey = { ...CONTACT_KEY, method };
      const concurrent = await Promise.all([cache.getOrLoad(key, undefined, loader.load), cache.getOrLoad(key, undefined, loader.load)]);
      const later = await cache.getOrLoad(key, undefined, loader.load);

      expect(loader.calls(), method).toBe(3);
      expect(concurrent.map((result) => result.layer)).toEqual(['miss', 'miss']);
      expect(later.layer).toBe('miss');
    }
    expect(metrics.count('miss', 'l1')).toBe(0);
  });

  it('caches HEAD separately from GET', async () => {
    const { cache } = createTestCache();
    const loader = countingLoader();

    await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    const head = await cache.getOrLoad({ ...CONTACT_KEY, method: 'HEAD' }, undefined, loader.load);
    const headAgain = await cache.getOrLoad({ ...CONTACT_KEY, method: 'HEAD' }, undefined, loader.load);

    expect(head.layer).toBe('miss');
    expect(headAgain.layer).toBe('l1');
    expect(loader.calls()).toBe(2);
  });

  it('does not store no-store responses', async () => {
    const { cache } = createTestCache();

    for (const cacheControl of ['no-store', 'private, max-age=60']) {
      const loader = countingLoader({ 'cache-control': cacheControl });
      const key: CacheKey = { ...CONTACT_KEY, url: `https://api.example.test/${encodeURIComponent(cacheControl)}` };
      await cache.getOrLoad(key, undefined, loader.load);
      const second = await cache.getOrLoad(key, undefined, loader.load);

      expect(second.layer, cacheControl).toBe('miss');
      expect(loader.calls(), cacheControl).toBe(2);
    }
  });

  it('does not store non-2xx responses', async () => {
    const { cache } = createTestCache();
    let calls = 0;
    const notFound = async (): Promise<HttpResponse> => {
      calls += 1;
      return jsonResponse({ message: 'not found' }, { status: 404 });
    };

    const first = await cache.getOrLoad(CONTACT_KEY, undefined, notFound);
    const second = await cache.getOrLoad(CONTACT_KEY, undefined, notFound);

    expect(first.response.status).toBe(404);
    expect(second.layer).toBe('miss');
    expect(calls).toBe(2);
  });

  it('bypasses the cache for zero ttl', async () => {
    const { cache, metrics } = createTestCache();
    const loader = countingLoader();

    await cache.getOrLoad(CONTACT_KEY, 0, loader.load);
    const second = await cache.getOrLoad(CONTACT_KEY, 0, loader.load);

    expect(second.layer).toBe('miss');
    expect(loader.calls()).toBe(2);
    expect(metrics.count('miss', 'l1')).toBe(0);
  });

  it('applies per-object ttl', async () => {
    const { cache, clock } = createTestCache();
    const loader = countingLoader();

    await cache.getOrLoad(CONTACT_KEY, 2_000, loader.load);
    clock.advance(1_999);
    const fresh = await cache.getOrLoad(CONTACT_KEY, 2_000, loader.load);
    clock.advance(1);
    const expired = await cache.getOrLoad(CONTACT_KEY, 2_000, loader.load);

    expect(fresh.layer).toBe('l1');
    expect(expired.layer).toBe('miss');
    expect(expired.response.body).toEqual({ version: 2 });
  });

  it('expires after the default L1 ttl', async () => {
    const { cache, clock } = createTestCache();
    const loader = countingLoader();

    await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    clock.advance(15 * 60_000 - 1);
    const fresh = await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    clock.advance(1);
    const expired = await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);

    expect(fresh.layer).toBe('l1');
    expect(expired.layer).toBe('miss');
    expect(loader.calls()).toBe(2);
  });

  it('evicts beyond l1MaxItems', async () => {
    const { cache } = createTestCache({ l1MaxItems: 2 });
    const loader = countingLoader();
    const keys = [1, 2, 3].map((id): CacheKey => ({ ...CONTACT_KEY, url: `https://api.example.test/contacts/${id}` }));

    for (const key of keys) await cache.getOrLoad(key, undefined, loader.load);
    const oldest = await cache.getOrLoad(keys[0]!, undefined, loader.load);
    const newest = await cache.getOrLoad(keys[2]!, undefined, loader.load);

    expect(oldest.layer).toBe('miss');
    expect(newest.layer).toBe('l1');
  });

  it('isolates connections', async () => {
    const { cache } = createTestCache();

    await cache.getOrLoad(CONTACT_KEY, undefined, async () => jsonResponse({ owner: 'conn-1' }));
    const other = await cache.getOrLoad({ ...CONTACT_KEY, connectionId: 'conn-2' }, undefined, async () => jsonResponse({ owner: 'conn-2' }));
    const own = await cache.getOrLoad(CONTACT_KEY, undefined, async () => jsonResponse({ owner: 'reloaded' }));

    expect(other.layer).toBe('miss');
    expect(other.response.body).toEqual({ owner: 'conn-2' });
    expect(own.layer).toBe('l1');
    expect(own.response.body).toEqual({ owner: 'conn-1' });
  });

  it('invalidates a whole connection', async () => {
    const { cache } = createTestCache();
    const loader = countingLoader();
    const dealKey: CacheKey = { ...CONTACT_KEY, object: 'deals', url: 'https://api.example.test/deals/1' };
    const plainKey: CacheKey = { ...CONTACT_KEY, object: undefined, url: 'https://api.example.test/me' };
    const otherConnection: CacheKey = { ...CONTACT_KEY, connectionId: 'conn-2' };
    for (const key of [CONTACT_KEY, dealKey, plainKey, otherConnection]) await cache.getOrLoad(key, undefined, loader.load);

    await cache.invalidate({ connectionId: 'conn-1' });

    expect((await cache.getOrLoad(CONTACT_KEY, undefined, loader.load)).layer).toBe('miss');
    expect((await cache.getOrLoad(dealKey, undefined, loader.load)).layer).toBe('miss');
    expect((await cache.getOrLoad(plainKey, undefined, loader.load)).layer).toBe('miss');
    expect((await cache.getOrLoad(otherConnection, undefined, loader.load)).layer).toBe('l1');
    expect(loader.calls()).toBe(7);
  });

  it('invalidates one object', async () => {
    const { cache } = createTestCache();
    const loader = countingLoader();
    const dealKey: CacheKey = { ...CONTACT_KEY, object: 'deals', url: 'https://api.example.test/deals/1' };
    const plainKey: CacheKey = { ...CONTACT_KEY, object: undefined, url: 'https://api.example.test/me' };
    for (const key of [CONTACT_KEY, dealKey, plainKey]) await cache.getOrLoad(key, undefined, loader.load);

    await cache.invalidate({ connectionId: 'conn-1', object: 'contacts' });

    const contact = await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    expect(contact.layer).toBe('miss');
    expect(contact.response.body).toEqual({ version: 4 });
    expect((await cache.getOrLoad(dealKey, undefined, loader.load)).layer).toBe('l1');
    expect((await cache.getOrLoad(plainKey, undefined, loader.load)).layer).toBe('l1');
  });

  it('counts hits and misses', async () => {
    const { cache, metrics } = createTestCache();
    const loader = countingLoader();

    await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    await cache.getOrLoad({ ...CONTACT_KEY, provider: 'shopify' }, undefined, loader.load);

    expect(metrics.count('hit', 'l1', 'hubspot')).toBe(2);
    expect(metrics.count('miss', 'l1', 'hubspot')).toBe(1);
    expect(metrics.count('hit', 'l1', 'shopify')).toBe(1);
    expect(metrics.count('hit', 'l1')).toBe(3);
    expect(metrics.count('miss', 'l2')).toBe(0);
  });

  it('returns frozen cached responses', async () => {
    const { cache } = createTestCache();
    await cache.getOrLoad(CONTACT_KEY, undefined, async () => jsonResponse({ nested: { name: 'Ana' } }));

    const hit = await cache.getOrLoad(CONTACT_KEY, undefined, async () => jsonResponse({}));
    const body = hit.response.body as { nested: { name: string } };

    expect(() => {
      body.nested.name = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(hit.response.headers)).toBe(true);
  });

  it('rejects invalid ttl', async () => {
    const { cache } = createTestCache();
    const loader = countingLoader();

    for (const ttlMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await captureRejection(() => cache.getOrLoad(CONTACT_KEY, ttlMs, loader.load));
      expect(readErrorCode(error), String(ttlMs)).toBe('CACHE_TTL_INVALID');
    }
    expect(loader.calls()).toBe(0);
  });

  it('rejects invalid options', () => {
    const cases: Partial<ResponseCacheOptions>[] = [
      { keyPrefix: '' },
      { l1MaxItems: -1 },
      { l1MaxItems: 1.5 },
      { l1TtlMs: 0 },
      { l2TimeoutMs: Number.NaN },
      { generationRefreshMs: -1 },
      { l1TtlMs: 60_000, l2TtlMs: 30_000 },
    ];

    for (const overrides of cases) {
      let error: unknown;
      try {
        createResponseCache({ keyPrefix: 'unit:', logger: silentLogger, ...overrides });
      } catch (caught) {
        error = caught;
      }
      expect(readErrorCode(error), JSON.stringify(overrides)).toBe('CACHE_OPTIONS_INVALID');
    }
  });

  it('rejects invalidation without connection', async () => {
    const { cache } = createTestCache();

    const error = await captureRejection(() => cache.invalidate({ connectionId: '' }));

    expect(readErrorCode(error)).toBe('CACHE_KEY_INVALID');
  });

  it('loads without caching after close', async () => {
    const { cache } = createTestCache();
    const loader = countingLoader();
    await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);

    await cache.close();
    const first = await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);
    const second = await cache.getOrLoad(CONTACT_KEY, undefined, loader.load);

    expect(first.layer).toBe('miss');
    expect(second.layer).toBe('miss');
    expect(loader.calls()).toBe(3);
  });
});
