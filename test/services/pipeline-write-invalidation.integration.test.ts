// Writes through the pipeline drop the connection's cached reads: a write-back update, an
// action, a plugin's own POST, and a write the provider rejected. Searches sent as POST keep them. With
// Redis, a write in one service instance (standing for one process) retires the copy that
// another instance cached.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ConnectorManifest } from '@lumio/plugin-sdk';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createHttpClient, type HttpClient, type HttpMethod, type HttpRequest } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { ConnectorContext, RequestInfo } from '../../platform/src/runtime/index.js';
import type { CacheLayer } from '../../platform/src/services/cache/index.js';
import { startSharedServices, type SharedServices } from '../../platform/src/services/pipeline/index.js';
import { buildHubSpotContext, createRunId, deriveTestAccountKey, loadHubSpotManifest } from './support/pipeline-hubspot.js';
import { deleteRunKeys, openRedis, REDIS_URL } from './support/pipeline-redis.js';

const TOKEN = 'pipeline-write-token';
const GET_CONTACT: RequestInfo = { operation: 'get', object: 'contacts' };

function buildManifest(): ConnectorManifest {
  const manifest = loadHubSpotManifest();
  manifest.objects.contacts!.cacheTtlSeconds = 300;
  return manifest;
}

describe('writes invalidate cached reads', () => {
  const runId = createRunId();
  const opened: SharedServices[] = [];
  let server: Server;
  let serverUrl: string;
  let http: HttpClient;
  /** Version of every contact; each write raises it, so a read shows whether it is current. */
  let version = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.method !== 'GET') version += 1;
      const failing = request.url?.includes('/failing') === true;
      response.writeHead(failing ? 400 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(failing ? { message: 'internal error' } : { version }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    http = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test/1.0', logger: silentLogger });
  });

  afterEach(async () => {
    for (const services of opened.splice(0)) await services.close();
  });

  afterAll(async () => {
    await http.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (REDIS_URL) {
      const redis: Redis = await openRedis(REDIS_URL);
      await deleteRunKeys(redis, runId);
      await redis.quit();
    }
  });

  async function startProcess(redisUrl: string | undefined, layers: CacheLayer[]): Promise<ConnectorContext> {
    const services = await startSharedServices({
      redisUrl,
      logger: silentLogger,
      observer: { sent: () => undefined, cacheLookup: (_connectionId, layer) => void layers.push(layer), debugLog: async () => null },
    });
    opened.push(services);
    await services.cache.ready();
    const connectionId = `conn_write_${redisUrl ? 'redis' : 'memory'}_${runId}`;
    return buildHubSpotContext({
      manifest: buildManifest(),
      baseUrl: serverUrl,
      token: TOKEN,
      http,
      logger: silentLogger,
      connectionId,
      accountKey: deriveTestAccountKey(TOKEN, connectionId),
      services: services.pipeline,
    });
  }

  function send(ctx: ConnectorContext, method: HttpMethod, path: string, info: RequestInfo) {
    const request: HttpRequest = { method, url: `${serverUrl}${path}`, headers: { authorization: `Bearer ${TOKEN}` }, ...(method === 'GET' ? {} : { body: {} }) };
    // The runtime's send raises for a non-2xx status, so the pipeline gets a failed request.
    return ctx.services!.run(ctx, request, info, async () => {
      const response = await http.send(request);
      if (response.status >= 400) throw new Error(`HTTP ${response.status}`);
      return response;
    });
  }

  const readContact = (ctx: ConnectorContext) => send(ctx, 'GET', '/crm/v3/objects/contacts/1', GET_CONTACT);

  it('keeps cached reads after a search', async () => {
    const layers: CacheLayer[] = [];
    const ctx = await startProcess(undefined, layers);
    await readContact(ctx);

    await send(ctx, 'POST', '/crm/v3/objects/contacts/search', { operation: 'search', object: 'contacts' });
    // The fixture server counts every non-GET as a write; a search changes nothing at a real provider.
    await readContact(ctx);

    expect(layers).toEqual(['miss', 'l1']);
  });

  const writes: Array<{ name: string; method: HttpMethod; path: string; info: RequestInfo }> = [
    { name: 'a write-back update', method: 'PATCH', path: '/crm/v3/objects/contacts/1', info: { operation: 'update', object: 'contacts' } },
    { name: 'an action without object', method: 'POST', path: '/crm/v3/objects/notes', info: { operation: 'action:logNote' } },
    { name: "a plugin's own POST", method: 'POST', path: '/crm/v3/objects/contacts/merge', info: { operation: 'plugin' } },
  ];

  for (const write of writes) {
    it(`drops cached reads after ${write.name}`, async () => {
      const layers: CacheLayer[] = [];
      const ctx = await startProcess(undefined, layers);
      const before = await readContact(ctx);

      await send(ctx, write.method, write.path, write.info);
      const after = await readContact(ctx);

      expect(layers).toEqual(['miss', 'miss']);
      expect((after.body as { version: number }).version).toBeGreaterThan((before.body as { version: number }).version);
    });
  }

  it('drops cached reads after a rejected write', async () => {
    const layers: CacheLayer[] = [];
    const ctx = await startProcess(undefined, layers);
    await readContact(ctx);

    await expect(send(ctx, 'PATCH', '/crm/v3/objects/contacts/failing', { operation: 'update', object: 'contacts' })).rejects.toThrow();
    await readContact(ctx);

    expect(layers).toEqual(['miss', 'miss']);
  });

  it.skipIf(!REDIS_URL)('drops another process copy with Redis', async () => {
    const layersA: CacheLayer[] = [];
    const layersB: CacheLayer[] = [];
    const processA = await startProcess(REDIS_URL, layersA);
    const processB = await startProcess(REDIS_URL, layersB);
    await readContact(processA);
    await readContact(processB);

    await send(processA, 'PATCH', '/crm/v3/objects/contacts/1', { operation: 'update', object: 'contacts' });
    // B learns of the invalidation through a Redis message, which takes a moment to arrive.
    let after = await readContact(processB);
    for (let attempt = 0; attempt < 50 && layersB.at(-1) !== 'miss'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await readContact(processB);
    }

    expect(layersA).toEqual(['miss']);
    expect(layersB[0]).toBe('l2');
    expect(layersB.at(-1)).toBe('miss');
    expect((after.body as { version: number }).version).toBe(version);
  });
});
