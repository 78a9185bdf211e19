import { createServer as createTcpServer, connect, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpClient, type HttpClient, type HttpRequest } from '../../platform/src/http/index.js';
import { silentLogger, type Logger } from '../../platform/src/observability/index.js';
import {
  createInMemoryCacheMetrics,
  createResponseCache,
  type InMemoryCacheMetrics,
  type ResponseCache,
} from '../../platform/src/services/cache/index.js';
import { startJsonApiServer, type JsonApiServer, type ServerReply } from '../runtime/support/json-api-server.js';
import {
  REDIS_SUITE_NAME,
  REDIS_URL,
  captureLogs,
  createKeyPrefix,
  deleteKeys,
  keyForRequest,
  listKeys,
  median,
  openRedis,
} from './cache-support.js';

/**
 * A TCP proxy on 127.0.0.1 in front of the test Redis. While paused it delays Redis's
 * replies and later sends them in order, so Redis looks hung without breaking the protocol.
 */
interface PausableProxy {
  port: number;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

async function startPausableProxy(target: URL): Promise<PausableProxy> {
  let paused = false;
  const delayedReplies: { socket: Socket; chunk: Buffer }[] = [];
  const sockets = new Set<Socket>();

  const server: TcpServer = createTcpServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (paused) delayedReplies.push({ socket: client, chunk });
      else client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const { socket, chunk } of delayedReplies.splice(0)) socket.write(chunk);
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Returns a loopback port with nothing listening: it was free a moment ago and is closed again. */
async function findClosedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!REDIS_URL)(REDIS_SUITE_NAME, () => {
  const redisUrl = REDIS_URL ?? '';
  const keyPrefix = createKeyPrefix();
  let server: JsonApiServer;
  let client: HttpClient;
  let admin: Redis;
  const clients: Redis[] = [];
  const caches: ResponseCache[] = [];

  function countRequests(path: string): number {
    return server.requests.filter((request) => request.path === path).length;
  }

  function sendWithAuth(request: HttpRequest) {
    return () => client.send({ ...request, headers: { ...request.headers, authorization: 'Bearer secret-token-77' } });
  }

  /** Opens a cache with its own Redis connection, as a separate process would. */
  async function openProcessCache(
    options: { metrics?: InMemoryCacheMetrics; logger?: Logger; generationRefreshMs?: number; connectionName?: string } = {},
  ): Promise<ResponseCache> {
    const redis = await openRedis(redisUrl, options.connectionName);
    clients.push(redis);
    const cache = createResponseCache({
      redis,
      keyPrefix,
      logger: options.logger ?? silentLogger,
      metrics: options.metrics,
      generationRefreshMs: options.generationRefreshMs,
    });
    caches.push(cache);
    await cache.ready();
    return cache;
  }

  /** Waits until Redis contains `count` entries of the connection, because the cache does not await its L2 writes. */
  async function waitForEntries(connectionId: string, count: number): Promise<string[]> {
    let keys: string[] = [];
    await vi.waitFor(
      async () => {
        keys = await listKeys(admin, `${keyPrefix}response:${connectionId}:`);
        expect(keys).toHaveLength(count);
      },
      { timeout: 1_000, interval: 5 },
    );
    return keys;
  }

  beforeAll(async () => {
    server = await startJsonApiServer((request, api): ServerReply => {
      const served = api.requests.filter((seen) => seen.path === request.path).length;
      return { body: { path: request.path, served } };
    });
    client = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test/1.0', logger: silentLogger });
    admin = await openRedis(redisUrl);
  });

  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.close();
    for (const redis of clients.splice(0)) redis.disconnect();
  });

  afterAll(async () => {
    await deleteKeys(admin, keyPrefix);
    const remaining = await listKeys(admin, keyPrefix);
    admin.disconnect();
    await client.close();
    await server.close();
    expect(remaining).toEqual([]);
  });

  it('shares entries between processes', async () => {
    const metricsA = createInMemoryCacheMetrics();
    const metricsB = createInMemoryCacheMetrics();
    const cacheA = await openProcessCache({ metrics: metricsA });
    const cacheB = await openProcessCache({ metrics: metricsB });
    const request: HttpRequest = { method: 'GET', url: `${server.url}/shared/1`, query: { limit: 5 } };
    const key = keyForRequest(request, 'conn-1', 'contacts');

    const fromA = await cacheA.getOrLoad(key, undefined, sendWithAuth(request));
    const fromB = await cacheB.getOrLoad(key, undefined, sendWithAuth(request));
    const againB = await cacheB.getOrLoad(key, undefined, sendWithAuth(request));

    expect(fromA.layer).toBe('miss');
    expect(fromB.layer).toBe('l2');
    expect(againB.layer).toBe('l1');
    expect(countRequests('/shared/1')).toBe(1);
    expect(fromB.response.body).toEqual(fromA.response.body);
    expect(fromB.response.rawBody).toBe(fromA.response.rawBody);
    expect(fromB.response.headers).toEqual(fromA.response.headers);
    expect(fromB.response.url).toBe(fromA.response.url);
    expect(metricsA.count('miss', 'l2', 'test-api')).toBe(1);
    expect(metricsB.count('hit', 'l2', 'test-api')).toBe(1);
    expect(metricsB.count('miss', 'l1', 'test-api')).toBe(1);
    expect(metricsB.count('hit', 'l1', 'test-api')).toBe(1);
  });

  it('stores JSON with the entry ttl', async () => {
    const cache = await openProcessCache();
    const request: HttpRequest = { method: 'GET', url: `${server.url}/stored/1` };

    await cache.getOrLoad(keyForRequest(request, 'conn-ttl', 'contacts'), 60_000, sendWithAuth(request));
    const keys = await waitForEntries('conn-ttl', 1);
    const stored = JSON.parse((await admin.get(keys[0] ?? '')) ?? 'null') as Record<string, unknown>;
    const ttl = await admin.pttl(keys[0] ?? '');

    expect(keys).toHaveLength(1);
    expect(stored).toMatchObject({ status: 200, body: { path: '/stored/1', served: 1 }, url: `${server.url}/stored/1` });
    expect(typeof stored.rawBody).toBe('string');
    expect(stored.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('sends the entry with the next command', async () => {
    const redis = await openRedis(redisUrl);
    clients.push(redis);
    const cache = createResponseCache({ redis, keyPrefix, logger: silentLogger });
    caches.push(cache);
    await cache.ready();
    const warm: HttpRequest = { method: 'GET', url: `${server.url}/merged/warm` };
    const request: HttpRequest = { method: 'GET', url: `${server.url}/merged/1` };
    // The first lookup reads the generations, so the second one sends only its own GET.
    await cache.getOrLoad(keyForRequest(warm, 'conn-merged', 'contacts'), undefined, sendWithAuth(warm));
    await waitForEntries('conn-merged', 1);

    const result = await cache.getOrLoad(keyForRequest(request, 'conn-merged', 'contacts'), undefined, sendWithAuth(request));
    const corkedAfterLookup = redis.stream.writableCorked;
    const nextCommand = redis.get(`${keyPrefix}merged:absent`);
    const bufferedBytes = redis.stream.writableLength;
    const corkedAfterCommand = redis.stream.writableCorked;
    const absent = await nextCommand;

    expect(result.layer).toBe('miss');
    expect(corkedAfterLookup).toBe(1);
    expect(bufferedBytes).toBeGreaterThan(0);
    expect(corkedAfterCommand).toBe(1);
    expect(absent).toBeNull();
    expect(redis.stream.writableCorked).toBe(0);
    const keys = await waitForEntries('conn-merged', 2);
    const urls = await Promise.all(keys.map(async (name) => (JSON.parse((await admin.get(name)) ?? '{}') as { url?: string }).url));
    expect(urls.sort()).toEqual([`${server.url}/merged/1`, `${server.url}/merged/warm`]);
  });

  it('keeps credentials out of keys', async () => {
    const cache = await openProcessCache();
    const request: HttpRequest = { method: 'GET', url: `${server.url}/credentials/1` };

    await cache.getOrLoad(keyForRequest(request, 'conn-secret'), undefined, sendWithAuth(request));
    await waitForEntries('conn-secret', 1);
    const keys = await listKeys(admin, keyPrefix);

    expect(keys.some((name) => name.includes('conn-secret'))).toBe(true);
    expect(keys.some((name) => name.includes('secret-token-77'))).toBe(false);
  });

  it('spreads invalidation to other processes', async () => {
    const cacheA = await openProcessCache();
    const cacheB = await openProcessCache();
    const contacts: HttpRequest = { method: 'GET', url: `${server.url}/spread/contacts` };
    const deals: HttpRequest = { method: 'GET', url: `${server.url}/spread/deals` };
    const contactsKey = keyForRequest(contacts, 'conn-spread', 'contacts');
    const dealsKey = keyForRequest(deals, 'conn-spread', 'deals');
    for (const cache of [cacheA, cacheB]) {
      await cache.getOrLoad(contactsKey, undefined, sendWithAuth(contacts));
      await cache.getOrLoad(dealsKey, undefined, sendWithAuth(deals));
    }
    expect((await cacheB.getOrLoad(contactsKey, undefined, sendWithAuth(contacts))).layer).toBe('l1');

    const started = performance.now();
    await cacheA.invalidate({ connectionId: 'conn-spread', object: 'contacts' });
    await vi.waitFor(
      async () => {
        expect((await cacheB.getOrLoad(contactsKey, undefined, sendWithAuth(contacts))).layer).not.toBe('l1');
      },
      { timeout: 1_000, interval: 2 },
    );
    const elapsedMs = performance.now() - started;
    process.stdout.write(`response cache B reloaded ${elapsedMs.toFixed(2)} ms after cache A invalidated, including the HTTP reload\n`);
    // Two entries of the first generation, and B's reload of contacts under the raised one.
    await waitForEntries('conn-spread', 3);

    expect(countRequests('/spread/contacts')).toBe(2);
    expect((await cacheA.getOrLoad(contactsKey, undefined, sendWithAuth(contacts))).layer).toBe('l2');
    expect((await cacheB.getOrLoad(dealsKey, undefined, sendWithAuth(deals))).layer).toBe('l1');
    expect(countRequests('/spread/deals')).toBe(1);

    await cacheB.invalidate({ connectionId: 'conn-spread' });
    await vi.waitFor(
      async () => {
        expect((await cacheA.getOrLoad(dealsKey, undefined, sendWithAuth(deals))).layer).toBe('miss');
      },
      { timeout: 1_000, interval: 2 },
    );
    expect(countRequests('/spread/deals')).toBe(2);
  });

  it('zero refresh sees invalidation immediately', async () => {
    const cacheA = await openProcessCache();
    const cacheB = await openProcessCache({ generationRefreshMs: 0 });
    const request: HttpRequest = { method: 'GET', url: `${server.url}/strict/1` };
    const key = keyForRequest(request, 'conn-strict', 'contacts');
    await cacheB.getOrLoad(key, undefined, sendWithAuth(request));
    const before = await cacheB.getOrLoad(key, undefined, sendWithAuth(request));

    await cacheA.invalidate({ connectionId: 'conn-strict', object: 'contacts' });
    const after = await cacheB.getOrLoad(key, undefined, sendWithAuth(request));

    expect(before.layer).toBe('l1');
    expect(after.layer).toBe('miss');
    expect(after.response.body).toEqual({ path: '/strict/1', served: 2 });
  });

  it('recovers after subscriber disconnect', async () => {
    const connectionName = `${keyPrefix.replaceAll(':', '-')}b`;
    const cacheA = await openProcessCache();
    const cacheB = await openProcessCache({ connectionName });
    const request: HttpRequest = { method: 'GET', url: `${server.url}/reconnect/1` };
    const key = keyForRequest(request, 'conn-reconnect', 'contacts');
    await cacheB.getOrLoad(key, undefined, sendWithAuth(request));

    // The duplicate subscriber connection inherits the client name and is the one in pub/sub mode.
    const clientList = String(await admin.client('LIST'));
    const subscriberLine = clientList.split('\n').find((line) => line.includes(`name=${connectionName} `) && / sub=[1-9]/.test(line));
    const subscriberId = /(?:^|\s)id=(\d+)/.exec(subscriberLine ?? '')?.[1];
    expect(subscriberId).toBeDefined();
    await admin.client('KILL', 'ID', subscriberId ?? '');
    await cacheA.invalidate({ connectionId: 'conn-reconnect' });

    await vi.waitFor(
      async () => {
        expect((await cacheB.getOrLoad(key, undefined, sendWithAuth(request))).layer).toBe('miss');
      },
      { timeout: 1_000, interval: 5 },
    );
    expect(countRequests('/reconnect/1')).toBe(2);

    // Once the subscriber is back, messages reach it again.
    await vi.waitFor(
      async () => {
        const list = String(await admin.client('LIST'));
        expect(list.split('\n').some((line) => line.includes(`name=${connectionName} `) && / sub=[1-9]/.test(line))).toBe(true);
      },
      { timeout: 2_000, interval: 20 },
    );
    await cacheB.ready();
    await cacheB.getOrLoad(key, undefined, sendWithAuth(request));
    await cacheA.invalidate({ connectionId: 'conn-reconnect' });
    await vi.waitFor(
      async () => {
        expect((await cacheB.getOrLoad(key, undefined, sendWithAuth(request))).layer).toBe('miss');
      },
      { timeout: 1_000, interval: 5 },
    );
    expect(countRequests('/reconnect/1')).toBe(3);
  });

  it('new process reads raised generations', async () => {
    const cacheA = await openProcessCache();
    const request: HttpRequest = { method: 'GET', url: `${server.url}/late/1` };
    const key = keyForRequest(request, 'conn-late', 'contacts');
    await cacheA.getOrLoad(key, undefined, sendWithAuth(request));
    await cacheA.invalidate({ connectionId: 'conn-late' });

    const cacheB = await openProcessCache();
    const result = await cacheB.getOrLoad(key, undefined, sendWithAuth(request));

    expect(result.layer).toBe('miss');
    expect(result.response.body).toEqual({ path: '/late/1', served: 2 });
  });

  it('L1 hit with Redis stays local', async () => {
    const cache = await openProcessCache();
    const request: HttpRequest = { method: 'GET', url: `${server.url}/bench/1`, query: { properties: 'email,phone' } };
    const key = keyForRequest(request, 'conn-bench', 'contacts');
    const load = sendWithAuth(request);
    await cache.getOrLoad(key, undefined, load);

    const samples: number[] = [];
    let layersOtherThanL1 = 0;
    for (let index = 0; index < 10_000; index += 1) {
      const started = performance.now();
      const result = await cache.getOrLoad(key, undefined, load);
      samples.push((performance.now() - started) * 1000);
      if (result.layer !== 'l1') layersOtherThanL1 += 1;
    }
    const medianMicroseconds = median(samples);
    process.stdout.write(`response cache L1 hit (Redis configured): median ${medianMicroseconds.toFixed(1)} µs over ${samples.length} hits\n`);

    expect(layersOtherThanL1).toBe(0);
    expect(countRequests('/bench/1')).toBe(1);
    // The target is under 50 µs; the bound is loose so a loaded machine does not fail the run.
    expect(medianMicroseconds).toBeLessThan(500);
  });

  it('loads when Redis is unreachable', async () => {
    const port = await findClosedPort();
    const unreachable = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    clients.push(unreachable);
    unreachable.on('error', () => undefined);
    const logs = captureLogs();
    const cache = createResponseCache({ redis: unreachable, keyPrefix, logger: logs.logger, l2TimeoutMs: 100 });
    caches.push(cache);
    const request: HttpRequest = { method: 'GET', url: `${server.url}/unreachable/1` };
    const key = keyForRequest(request, 'conn-down', 'contacts');

    const started = performance.now();
    const results = [];
    for (let attempt = 0; attempt < 5; attempt += 1) results.push(await cache.getOrLoad(key, undefined, sendWithAuth(request)));
    await cache.invalidate({ connectionId: 'conn-down' });
    const elapsedMs = performance.now() - started;

    expect(results.map((result) => result.layer)).toEqual(['miss', 'miss', 'miss', 'miss', 'miss']);
    expect(countRequests('/unreachable/1')).toBe(5);
    expect(elapsedMs).toBeLessThan(2_000);
    const warnings = logs.lines.filter((line) => line.level === 40);
    const readWarnings = warnings.filter((line) => String(line.msg).includes('requests go to the provider') || String(line.msg).includes('subscriber'));
    const invalidationWarnings = warnings.filter((line) => String(line.msg).includes('could not invalidate'));
    expect(readWarnings).toHaveLength(1);
    expect(invalidationWarnings).toHaveLength(1);
    expect(invalidationWarnings[0]).toMatchObject({ connectionId: 'conn-down' });
  });

  it('loads when Redis hangs', async () => {
    const proxy = await startPausableProxy(new URL(redisUrl));
    try {
      const redis = await openRedis(`redis://127.0.0.1:${proxy.port}`);
      clients.push(redis);
      const logs = captureLogs();
      const cache = createResponseCache({ redis, keyPrefix, logger: logs.logger, l2TimeoutMs: 50 });
      caches.push(cache);
      await cache.ready();
      const warm: HttpRequest = { method: 'GET', url: `${server.url}/hung/warm` };
      const known: HttpRequest = { method: 'GET', url: `${server.url}/hung/known` };
      const unknown: HttpRequest = { method: 'GET', url: `${server.url}/hung/unknown` };
      // Reading once makes the cache trust conn-hung's generations, so the next lookup goes straight to the L2 GET.
      await cache.getOrLoad(keyForRequest(warm, 'conn-hung', 'contacts'), undefined, sendWithAuth(warm));
      // The cache does not await its L2 write, so the test waits for it before Redis hangs.
      // Replies come in order, so once the PING sent after the SET returns, so has the SET.
      await waitForEntries('conn-hung', 1);
      await redis.ping();

      proxy.pause();
      const started = performance.now();
      const afterGet = await cache.getOrLoad(keyForRequest(known, 'conn-hung', 'contacts'), undefined, sendWithAuth(known));
      const afterMget = await cache.getOrLoad(keyForRequest(unknown, 'conn-hung-other', 'contacts'), undefined, sendWithAuth(unknown));
      const elapsedMs = performance.now() - started;
      // A failed invalidation drops the connection's two L1 entries (warm and known), so warm is loaded again.
      await cache.invalidate({ connectionId: 'conn-hung' });
      const afterInvalidation = await cache.getOrLoad(keyForRequest(warm, 'conn-hung', 'contacts'), undefined, sendWithAuth(warm));
      proxy.resume();

      expect(afterGet.layer).toBe('miss');
      expect(afterGet.response.body).toEqual({ path: '/hung/known', served: 1 });
      expect(afterMget.layer).toBe('miss');
      expect(afterMget.response.body).toEqual({ path: '/hung/unknown', served: 1 });
      expect(elapsedMs).toBeLessThan(1_000);
      expect(afterInvalidation.layer).toBe('miss');
      expect(afterInvalidation.response.body).toEqual({ path: '/hung/warm', served: 2 });
      const warnings = logs.lines.filter((line) => line.level === 40);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatchObject({ err: { code: 'CACHE_L2_TIMEOUT', details: { command: 'GET' } } });
      expect(warnings[1]).toMatchObject({ connectionId: 'conn-hung', removedFromL1: 2, err: { code: 'CACHE_L2_TIMEOUT', details: { command: 'EVAL' } } });
    } finally {
      await proxy.close();
    }
  });
});
