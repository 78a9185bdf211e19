// Live reads of one provider record through GET /v1/integrations/{id}/objects/{object}/{id},
// with the cache's three layers: process memory (l1), Redis (l2, in the Redis suite) and the
// record store (l3). A shop simulator counts the reads it serves, so each test can tell a
// cached response from a provider request.
import { randomUUID } from 'node:crypto';

import type { ConnectorManifest } from '@lumio/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { createTemporaryDatabase, forEachDatabase, type TemporaryDatabase } from '../store/databases.js';
import { connect, send, waitForSettled, type ConnectedEndpoint, type Delivery } from '../webhooks/support/deliveries.js';
import { shopOrdersManifest, writeConnectorsFolder, type ConnectorsFolder } from '../webhooks/support/fixture-connectors.js';
import { startOrderSimulator, type OrderSimulator } from '../webhooks/support/order-simulator.js';
import { shopifySignature } from '../webhooks/support/signers.js';

const SECRET = 'shop-cache-secret-7';
const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL;

/** Returns a shop connector whose orders the cache serves for `ttlSeconds`, stored records included. */
function shopManifest(id: string, ttlSeconds: number): ConnectorManifest {
  const manifest = shopOrdersManifest(id);
  const orders = manifest.objects.orders as NonNullable<ConnectorManifest['objects'][string]>;
  orders.cacheTtlSeconds = ttlSeconds;
  orders.cacheFromRecordStore = true;
  // Refunds can only be listed, so single refunds cannot be read.
  (manifest.objects.refunds as NonNullable<ConnectorManifest['objects'][string]>).operations = { list: { method: 'GET', path: '/refunds.json', recordSelector: { path: 'refunds' } } };
  return manifest;
}

function orderDelivery(url: string, topic: string, payload: Record<string, unknown>): Delivery {
  const body = Buffer.from(JSON.stringify(payload));
  return {
    url,
    body,
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': shopifySignature(SECRET, body), 'x-shopify-webhook-id': randomUUID(), 'x-shopify-topic': topic },
  };
}

let nextOrderId = 7_300;
function newOrder(total = '89.90') {
  nextOrderId += 1;
  return { id: nextOrderId, name: `#${nextOrderId}`, currency: 'BRL', total_price: total };
}

interface Suite {
  test: TestPlatform;
  simulator: OrderSimulator;
  shop: ConnectedEndpoint;
  brief: ConnectedEndpoint;
}

function defineReadTests(start: () => Promise<{ test: TestPlatform; simulator: OrderSimulator; folder: ConnectorsFolder }>): void {
  const suite = {} as Suite;
  let folder: ConnectorsFolder;

  const read = (connector: string, object: string, id: number | string, query = '') => suite.test.call('GET', `/v1/integrations/${connector}/objects/${object}/${id}${query}`);

  /** Stores an order the way a provider's creation event does, and waits until the worker stored the record. */
  const storeByWebhook = async (endpoint: ConnectedEndpoint, connector: string, order: Record<string, unknown>) => {
    const reply = await send(orderDelivery(endpoint.webhookUrl, 'orders/create', order));
    expect(reply.status, reply.text).toBe(200);
    const settled = await waitForSettled(suite.test, connector, String(reply.body.eventIds[0]));
    expect(settled.status).toBe('processed');
  };

  beforeAll(async () => {
    const started = await start();
    folder = started.folder;
    suite.test = started.test;
    suite.simulator = started.simulator;
    suite.shop = await connect(suite.test, 'cached-shop', { secrets: [SECRET], config: { baseUrl: suite.simulator.url } });
    suite.brief = await connect(suite.test, 'brief-shop', { secrets: [SECRET], config: { baseUrl: suite.simulator.url } });
  });

  afterAll(async () => {
    await suite.test?.close();
    await suite.simulator?.close();
    await folder?.remove();
  });

  it('answers from the stored record', async () => {
    const order = newOrder();
    // The provider has moved on since the event; the stored copy is what the cache serves.
    suite.simulator.put({ ...order, total_price: '10.00' });
    await storeByWebhook(suite.shop, 'cached-shop', order);

    const first = await read('cached-shop', 'orders', order.id);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.cache).toBe('l3');
    expect(first.body.record).toEqual(order);
    expect(first.body.canonicalObject).toBe('order');
    expect(first.body.data).toMatchObject({ orderNumber: order.name, total: 89.9 });
    expect(suite.simulator.reads(order.id)).toBe(0);

    const second = await read('cached-shop', 'orders', order.id);
    expect(second.body.cache).toBe('l1');
    expect(second.body.record).toEqual(order);
    expect(suite.simulator.reads(order.id)).toBe(0);
  });

  it('skips every lookup with fresh=true', async () => {
    const order = newOrder();
    suite.simulator.put({ ...order, total_price: '12.00' });
    await storeByWebhook(suite.shop, 'cached-shop', order);

    const reply = await read('cached-shop', 'orders', order.id, '?fresh=true');

    expect(reply.status).toBe(200);
    expect(reply.body.cache).toBe('bypass');
    expect(reply.body.record.total_price).toBe('12.00');
    expect(reply.body.data.total).toBe(12);
    expect(suite.simulator.reads(order.id)).toBe(1);

    // The fresh response replaced the cached copy, so later reads return it too.
    const after = await read('cached-shop', 'orders', order.id);
    expect(after.body.cache).toBe('l1');
    expect(after.body.record.total_price).toBe('12.00');
    expect(suite.simulator.reads(order.id)).toBe(1);
  });

  it('drops cached copies on a webhook event', async () => {
    const order = newOrder();
    suite.simulator.put({ ...order, total_price: '15.00' });
    await storeByWebhook(suite.shop, 'cached-shop', order);
    expect((await read('cached-shop', 'orders', order.id)).body.cache).toBe('l3');
    expect((await read('cached-shop', 'orders', order.id)).body.cache).toBe('l1');

    // The update event reports a change to the order, so its fetch must reach the provider.
    const reply = await send(orderDelivery(suite.shop.webhookUrl, 'orders/updated', { id: order.id }));
    expect(reply.status).toBe(200);
    expect((await waitForSettled(suite.test, 'cached-shop', String(reply.body.eventIds[0]))).status).toBe('processed');
    expect(suite.simulator.reads(order.id)).toBe(1);

    // The fetch stored the new version in the cache, which now serves it.
    const after = await read('cached-shop', 'orders', order.id);
    expect(after.body.record.total_price).toBe('15.00');
    expect(after.body.cache).toBe('l1');
    expect(suite.simulator.reads(order.id)).toBe(1);
  });

  it('reads the provider for a record never stored', async () => {
    const order = newOrder('20.00');
    suite.simulator.put(order);

    const first = await read('cached-shop', 'orders', order.id);
    expect(first.body.cache).toBe('miss');
    expect(first.body.record).toEqual(order);
    expect(suite.simulator.reads(order.id)).toBe(1);

    const second = await read('cached-shop', 'orders', order.id);
    expect(second.body.cache).toBe('l1');
    expect(suite.simulator.reads(order.id)).toBe(1);
  });

  it('ignores a stored record past its lifetime', async () => {
    const order = newOrder();
    suite.simulator.put({ ...order, total_price: '30.00' });
    await storeByWebhook(suite.brief, 'brief-shop', order);

    // brief-shop caches orders for one second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const reply = await read('brief-shop', 'orders', order.id);

    expect(reply.body.cache).toBe('miss');
    expect(reply.body.record.total_price).toBe('30.00');
    expect(suite.simulator.reads(order.id)).toBe(1);
  });

  it('returns 404 for a record the provider lacks', async () => {
    const missesBefore = (await suite.test.call('GET', '/v1/integrations/cached-shop/metrics')).body.cache.misses;
    const reply = await read('cached-shop', 'orders', 999_999);

    expect(reply.status).toBe(404);
    // A lookup whose provider request failed still counts as a miss of the connection.
    expect((await suite.test.call('GET', '/v1/integrations/cached-shop/metrics')).body.cache.misses).toBe(missesBefore + 1);
    expect(reply.body.code).toBe('RECORD_NOT_FOUND');
    expect(reply.body.detail).toContain('999999');
    expect(suite.simulator.reads(999_999)).toBe(1);
  });

  it('rejects unknown objects and unreadable ones', async () => {
    const unknown = await read('cached-shop', 'invoices', 1);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('OBJECT_NOT_FOUND');

    const unreadable = await read('cached-shop', 'refunds', 1);
    expect(unreadable.status).toBe(409);
    expect(unreadable.body.code).toBe('OBJECT_NOT_READABLE');
    expect(unreadable.body.detail).toContain('GET /v1/records');
  });

  it('rejects a bad fresh value', async () => {
    const bad = await read('cached-shop', 'orders', 1, '?fresh=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('FIELD_INVALID');

    const extra = await read('cached-shop', 'orders', 1, '?refresh=true');
    expect(extra.status).toBe(400);
  });

  it('counts l3 hits in the metrics', async () => {
    const reply = await fetch(`${suite.test.url}/metrics`, { headers: { authorization: `Bearer ${suite.test.apiKey}` } });
    expect(reply.status).toBe(200);
    const text = await reply.text();

    const counter = (name: string, provider: string) => {
      const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`) && entry.includes(`provider="${provider}"`) && entry.includes('layer="l3"'));
      return Number(line?.split(' ').at(-1));
    };

    // Stored records served two reads above, and the expired one missed.
    expect(counter('integration_cache_hits_total', 'cached-shop')).toBe(2);
    expect(counter('integration_cache_misses_total', 'brief-shop')).toBe(1);
  });
}

async function startShop(store: Parameters<typeof startTestPlatform>[0]['store'], env: Record<string, string> = {}) {
  const folder = await writeConnectorsFolder([shopManifest('cached-shop', 300), shopManifest('brief-shop', 1)]);
  const simulator = await startOrderSimulator();
  const test = await startTestPlatform({ store, connectorsDir: folder.dir, env });
  return { test, simulator, folder };
}

forEachDatabase((database) => {
  describe('provider record reads', () => {
    defineReadTests(() => startShop(database.storeOptions()));
  });
});

// The same reads with Redis as L2, on SQLite. The generations that retire cached copies then
// live in Redis, and the record store still serves reads as L3.
describe.skipIf(!REDIS_URL)(REDIS_URL ? 'provider record reads with Redis' : 'provider record reads with Redis (skipped: set LUMIO_TEST_REDIS_URL to run)', () => {
  let database: TemporaryDatabase | undefined;

  afterAll(async () => {
    await database?.dispose();
  });

  defineReadTests(async () => {
    database = await createTemporaryDatabase('sqlite');
    return startShop(database.options, { REDIS_URL: REDIS_URL as string });
  });
});

// The bundled HubSpot connector caches contact reads for 60 s, stored records included. A
// sync that stores a newer version retires the copies in memory, so reads return the stored
// one, and a change the platform has not seen yet is served from cache until it expires.
describe('provider record reads after syncs', () => {
  const token = 'reads-sync-token';
  let simulator: HubSpotSimulator;
  let database: TemporaryDatabase;
  let test: TestPlatform;
  /** Ids of two synced contacts, one per test. */
  let ids: string[] = [];

  const read = (id: string, query = '') => test.call('GET', `/v1/integrations/hubspot/objects/contacts/${id}${query}`);
  const rename = async (id: string, firstname: string) => {
    const reply = await fetch(`${simulator.url}/crm/v3/objects/contacts/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { firstname } }),
    });
    expect(reply.status).toBe(200);
  };
  const sync = async (mode: 'full' | 'incremental') => {
    const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const { final } = await watchRun(test, 'hubspot');
    expect(final.lastRun.status).toBe('succeeded');
    return final.lastRun;
  };

  beforeAll(async () => {
    simulator = createHubSpotSimulator({ tokens: [token], seed: { seed: 11, contacts: { count: 30, archivedCount: 0 } }, rateLimit: false });
    await simulator.start();
    database = await createTemporaryDatabase('sqlite');
    test = await startTestPlatform({ store: database.options });
    const connected = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: token }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    await sync('full');
    const records = await test.call('GET', '/v1/records?object=contact&integration=hubspot&limit=2');
    ids = (records.body.records as Array<{ externalId: string }>).map((record) => record.externalId);
    expect(ids).toHaveLength(2);
  }, 60_000);

  afterAll(async () => {
    await test?.close();
    await database?.dispose();
    await simulator?.close();
  });

  it('serves the version a sync stored', async () => {
    const first = await read(ids[0]!);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.cache).toBe('l3');
    const cached = await read(ids[0]!);
    expect(cached.body.cache).toBe('l1');

    await rename(ids[0]!, 'Renomeada');
    // The platform has not seen the change, so the cached copy still serves reads.
    expect((await read(ids[0]!)).body.record.properties.firstname).toBe(cached.body.record.properties.firstname);

    const run = await sync('incremental');
    expect(run.counts.updated).toBeGreaterThanOrEqual(1);
    const after = await read(ids[0]!);

    expect(after.body.cache).toBe('l3');
    expect(after.body.record.properties.firstname).toBe('Renomeada');
    expect(after.body.data.firstName).toBe('Renomeada');
  });

  it('replaces the cached copy with a fresh read', async () => {
    expect((await read(ids[1]!)).body.cache).toBe('l3');
    await rename(ids[1]!, 'Atualizada');

    const fresh = await read(ids[1]!, '?fresh=true');
    const plain = await read(ids[1]!);

    expect(fresh.body.cache).toBe('bypass');
    expect(fresh.body.record.properties.firstname).toBe('Atualizada');
    expect(plain.body.cache).toBe('l1');
    expect(plain.body.record.properties.firstname).toBe('Atualizada');
  });
});
