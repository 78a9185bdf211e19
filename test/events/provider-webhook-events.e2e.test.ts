import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateSigningSecret } from '../../platform/src/events/index.js';
import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, send, type ConnectedEndpoint } from '../webhooks/support/deliveries.js';
import { fixtureManifest, writeConnectorsFolder, type ConnectorsFolder } from '../webhooks/support/fixture-connectors.js';
import { shopifySignature } from '../webhooks/support/signers.js';
import { startReceiver, waitUntil, type ReceivedRequest, type Receiver } from './support/receiver.js';
import { verifyStandardWebhook } from './support/verify-standard-webhook.js';

const SHOP_SECRET = 'events-shop-secret';

/** A shop whose orders are stored from the payload, and whose refunds have no mapping, so their events go dead. */
const shopManifest = fixtureManifest({
  id: 'events-shop',
  webhooks: {
    signature: { scheme: 'shopify' },
    contentType: 'json',
    eventId: { in: 'header', path: 'X-Shopify-Webhook-Id' },
    eventType: { in: 'header', path: 'X-Shopify-Topic' },
    routes: [
      { eventType: 'orders/create', object: 'orders', action: 'upsert', idPath: 'id' },
      { eventType: 'refunds/create', object: 'refunds', action: 'upsert', idPath: 'order_id' },
    ],
  },
  objects: [
    { key: 'orders', mapping: { canonicalObject: 'order', fields: [{ target: 'orderNumber', source: 'name' }] } },
    { key: 'refunds' },
  ],
});

async function deliver(endpoint: ConnectedEndpoint, topic: string, payload: Record<string, unknown>): Promise<void> {
  const body = Buffer.from(JSON.stringify(payload));
  const reply = await send({
    url: endpoint.webhookUrl,
    body,
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': shopifySignature(SHOP_SECRET, body), 'x-shopify-webhook-id': randomUUID(), 'x-shopify-topic': topic },
  });
  expect(reply.status, reply.text).toBe(200);
}

forEachDatabase((database) => {
  describe('events from provider webhooks', () => {
    let folder: ConnectorsFolder;
    let receiver: Receiver;
    let test: TestPlatform;
    let shop: ConnectedEndpoint;
    const secret = generateSigningSecret();

    /** Waits for a request of this type, checks its signature independently, and returns its payload. */
    async function received(type: string) {
      const find = () => receiver.requests.find((request) => JSON.parse(request.body).type === type);
      const request = (await waitUntil(async () => find(), (found) => found !== undefined, 15_000)) as ReceivedRequest;
      return verifyStandardWebhook(secret, request.headers, request.body).payload;
    }

    beforeAll(async () => {
      folder = await writeConnectorsFolder([shopManifest]);
      receiver = await startReceiver();
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir });
      shop = await connect(test, 'events-shop', { secrets: [SHOP_SECRET] });

      const created = await test.call('POST', '/v1/webhooks', { url: receiver.url, events: ['webhook.received', 'record.*', 'error.critical'], secret });
      expect(created.status).toBe(201);
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await receiver?.close();
      await folder?.remove();
    });

    it('a stored order sends webhook.received and record.created', async () => {
      await deliver(shop, 'orders/create', { id: 7001, name: '#7001' });

      const receivedEvent = await received('webhook.received');
      const created = await received('record.created');

      expect(receivedEvent.data).toMatchObject({ connectionId: shop.connectionId, connector: 'events-shop', eventType: 'orders/create' });
      expect(created.data).toEqual({ connectionId: shop.connectionId, object: 'orders', externalId: '7001' });
    });

    it('a dead webhook event sends error.critical', async () => {
      await deliver(shop, 'refunds/create', { id: 9001, order_id: 7001 });

      const critical = await received('error.critical');

      expect(critical.data).toMatchObject({ connectionId: shop.connectionId, source: 'webhook', connector: 'events-shop', webhookEventType: 'refunds/create', error: { code: 'MAPPING_MISSING' } });
      expect(String(critical.data.webhookEventId)).toMatch(/^whe_/);
    });
  });
});
