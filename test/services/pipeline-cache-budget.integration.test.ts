// Cached reads through the whole pipeline, from two service instances that stand for two
// processes (each has its own Redis connections). A miss takes exactly one unit of the
// rate-limit budget, also when the cache read and the grant share one Redis round trip. A
// read served from the cache takes none.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ConnectorManifest } from '@lumio/plugin-sdk';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createHttpClient, type HttpClient, type HttpRequest } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { ConnectorContext, RequestInfo } from '../../platform/src/runtime/index.js';
import type { CacheLayer } from '../../platform/src/services/cache/index.js';
import { startSharedServices, type ConnectionObserver, type SharedServices } from '../../platform/src/services/pipeline/index.js';
import { buildHubSpotContext, createRunId, deriveTestAccountKey, loadHubSpotManifest } from './support/pipeline-hubspot.js';
import { deleteRunKeys, openRedis, REDIS_URL } from './support/pipeline-redis.js';

const TOKEN = 'pipeline-cache-token';
const GET_CONTACT: RequestInfo = { operation: 'get', object: 'contacts' };
const LIST_CONTACTS: RequestInfo = { operation: 'list', object: 'contacts' };

/** Returns the HubSpot manifest with one account budget of 50 per 10 s and a cache lifetime for contacts. */
function buildManifest(): ConnectorManifest {
  const manifest = loadHubSpotManifest();
  manifest.rateLimits = { ...manifest.rateLimits, budgets: [{ name: 'burst', scope: 'account', algorithm: 'slidingWindow', limit: 50, intervalMs: 10_000 }] };
  manifest.objects.contacts!.cacheTtlSeconds = 300;
  return manifest;
}

/** Records the cache layer of every lookup. */
function recordLayers(layers: CacheLayer[]): ConnectionObserver {
  return {
    sent: () => undefined,
    cacheLookup: (_connectionId, layer) => {
      layers.push(layer);
    },
    debugLog: async () => null,
  };
}

const kinds = [
  { name: 'in process', redisUrl: undefined },
  { name: 'with Redis', redisUrl: REDIS_URL },
];

describe('cached reads through the pipeline', () => {
  const runId = createRunId();
  const requestPaths: string[] = [];
  const opened: SharedServices[] = [];
  let server: Server;
  let serverUrl: string;
  let http: HttpClient;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requestPaths.push(request.url ?? '');
      const body = JSON.stringify({ id: request.url?.split('/').at(-1), properties: { email: 'ada@example.com' } });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
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

  /** Starts the services of one process, which record the cache layer of each lookup. */
  async function startProcess(redisUrl: string | undefined, layers: CacheLayer[]): Promise<SharedServices> {
    const services = await startSharedServices({ redisUrl, logger: silentLogger, observer: recordLayers(layers) });
    opened.push(services);
    await services.cache.ready();
    return services;
  }

  function contextFor(services: SharedServices, manifest: ConnectorManifest, connectionId: string): ConnectorContext {
    return buildHubSpotContext({
      manifest,
      baseUrl: serverUrl,
      token: TOKEN,
      http,
      logger: silentLogger,
      connectionId,
      accountKey: deriveTestAccountKey(TOKEN, `${connectionId}-${runId}`),
      services: services.pipeline,
    });
  }

  function send(ctx: ConnectorContext, path: string, info: RequestInfo) {
    const request: HttpRequest = { method: 'GET', url: `${serverUrl}${path}`, headers: { authorization: `Bearer ${TOKEN}` } };
    return ctx.services!.run(ctx, request, info, () => http.send(request));
  }

  async function budgetUsed(services: SharedServices, connectionId: string): Promise<number | undefined> {
    const [burst] = await services.limiter.snapshot(connectionId);
    return burst?.used;
  }

  for (const kind of kinds) {
    it.skipIf(kind.name === 'with Redis' && !REDIS_URL)(`miss takes one grant ${kind.name}`, async () => {
      const manifest = buildManifest();
      const connectionId = `conn_${kind.redisUrl ? 'redis' : 'memory'}_${runId}`;
      const layersA: CacheLayer[] = [];
      const layersB: CacheLayer[] = [];
      const processA = await startProcess(kind.redisUrl, layersA);
      const processB = await startProcess(kind.redisUrl, layersB);
      const contextA = contextFor(processA, manifest, connectionId);
      const contextB = contextFor(processB, manifest, connectionId);
      const path = `/crm/v3/objects/contacts/${kind.redisUrl ? 'redis' : 'memory'}-1`;
      const sentBefore = requestPaths.length;

      const first = await send(contextA, path, GET_CONTACT);
      const usedAfterMiss = await budgetUsed(processA, connectionId);
      const again = await send(contextA, path, GET_CONTACT);
      const fromB = await send(contextB, path, GET_CONTACT);
      const usedAfterHits = await budgetUsed(processA, connectionId);
      await send(contextA, '/crm/v3/objects/contacts', LIST_CONTACTS);
      const usedAfterList = await budgetUsed(processA, connectionId);

      expect(first.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(fromB.body).toEqual(first.body);
      expect(layersA).toEqual(['miss', 'l1']);
      // Only Redis shares entries between processes. In process, B loads its own copy.
      expect(layersB).toEqual([kind.redisUrl ? 'l2' : 'miss']);
      expect(requestPaths.length - sentBefore).toBe(kind.redisUrl ? 2 : 3);
      expect(usedAfterMiss).toBe(1);
      // In process, B's miss spends B's own budget, which A's snapshot does not show.
      expect(usedAfterHits).toBe(1);
      expect(usedAfterList).toBe(2);
    });
  }
});
