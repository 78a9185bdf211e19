import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, countEvents, findRecord, listEvents, readEvent, send, waitFor, waitForSettled, type ConnectedEndpoint, type Delivery } from './support/deliveries.js';
import { fixtureManifest, shopOrdersManifest, writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';
import { startOrderSimulator, type OrderSimulator } from './support/order-simulator.js';
import { hubSignature256, shopifySignature } from './support/signers.js';

const WHATSAPP_SECRET = 'whatsapp-app-secret-61';
const SHOP_SECRET = 'shop-client-secret-19';

/** WhatsApp Cloud API statuses: one delivery per change, whose statuses may arrive out of order. */
const whatsappManifest = fixtureManifest({
  id: 'hook-whatsapp',
  webhooks: {
    signature: { scheme: 'meta' },
    contentType: 'json',
    events: { path: 'entry.0.changes.0.value.statuses' },
    eventType: { in: 'body', path: 'status' },
    routes: [{ eventType: '*', object: 'messages', action: 'upsert', idPath: 'id', statusOrder: { path: 'status', values: ['sent', 'delivered', 'read'] } }],
  },
  objects: [
    {
      key: 'messages',
      mapping: {
        canonicalObject: 'message',
        fields: [
          { target: 'channel', constant: 'whatsapp' },
          { target: 'direction', constant: 'outbound' },
          { target: 'status', source: 'status' },
          { target: 'to', source: 'recipient_id' },
        ],
      },
    },
  ],
});

const ordersManifest = shopOrdersManifest('hook-orders');

function whatsappDelivery(url: string, statuses: Array<{ id: string; status: string }>): Delivery {
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '5511900000000', phone_number_id: '1090' },
    statuses: statuses.map((entry, index) => ({ ...entry, timestamp: String(1_770_000_000 + index), recipient_id: '5511988887777' })),
  };
  const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA-1', changes: [{ field: 'messages', value }] }] }));
  return { url, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature256(WHATSAPP_SECRET, body) } };
}

function orderDelivery(url: string, topic: string, payload: Record<string, unknown>): Delivery {
  const body = Buffer.from(JSON.stringify(payload));
  return {
    url,
    body,
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': shopifySignature(SHOP_SECRET, body), 'x-shopify-webhook-id': randomUUID(), 'x-shopify-topic': topic },
  };
}

let nextOrderId = 4_100;
function newOrder() {
  nextOrderId += 1;
  return { id: nextOrderId, name: `#${nextOrderId}`, currency: 'BRL', total_price: '89.90' };
}

forEachDatabase((database) => {
  describe('webhook processing', () => {
    let folder: ConnectorsFolder;
    let simulator: OrderSimulator;
    let test: TestPlatform;
    let whatsapp: ConnectedEndpoint;
    let orders: ConnectedEndpoint;

    /** Sends a delivery that must be stored, and returns its event ids. */
    const deliver = async (delivery: Delivery): Promise<string[]> => {
      const reply = await send(delivery);
      expect(reply.status, reply.text).toBe(200);
      return reply.body.eventIds;
    };

    beforeAll(async () => {
      folder = await writeConnectorsFolder([whatsappManifest, ordersManifest]);
      simulator = await startOrderSimulator();
      test = await startTestPlatform({
        store: database.storeOptions(),
        connectorsDir: folder.dir,
        env: { LUMIO_WEBHOOK_RATE_PER_SECOND: '5', LUMIO_WEBHOOK_MAX_ATTEMPTS: '2' },
      });

      whatsapp = await connect(test, 'hook-whatsapp', { secrets: [WHATSAPP_SECRET] });
      orders = await connect(test, 'hook-orders', { secrets: [SHOP_SECRET], config: { baseUrl: simulator.url } });
    });

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
      await folder?.remove();
    });

    describe('status order', () => {
      it('keeps "read" when "delivered" arrives after it', async () => {
        const wamid = `wamid.${randomUUID()}`;
        const outcomes: string[] = [];
        for (const status of ['sent', 'read', 'delivered']) {
          const [eventId] = await deliver(whatsappDelivery(whatsapp.webhookUrl, [{ id: wamid, status }]));
          outcomes.push((await waitForSettled(test, 'hook-whatsapp', String(eventId))).status);
        }

        expect(outcomes).toEqual(['processed', 'processed', 'ignored']);
        const record = await findRecord(test, 'hook-whatsapp', 'message', wamid);
        expect(record.data.status).toBe('read');
        expect(record.data.channel).toBe('whatsapp');
      });

      it('orders statuses within one delivery', async () => {
        const wamid = `wamid.${randomUUID()}`;
        const eventIds = await deliver(whatsappDelivery(whatsapp.webhookUrl, [{ id: wamid, status: 'read' }, { id: wamid, status: 'delivered' }, { id: wamid, status: 'sent' }]));
        expect(eventIds).toHaveLength(3);

        const settled = await Promise.all(eventIds.map((id) => waitForSettled(test, 'hook-whatsapp', id)));
        expect(settled.map((event) => event.status)).toEqual(['processed', 'ignored', 'ignored']);
        expect(settled[1].result.skipped).toContain('"read"');
        expect((await findRecord(test, 'hook-whatsapp', 'message', wamid)).data.status).toBe('read');
      });
    });

    describe('dead letters', () => {
      it('moves an unmapped event to dead', async () => {
        const order = newOrder();
        const [eventId] = await deliver(orderDelivery(orders.webhookUrl, 'refunds/create', { id: 9_001, order_id: order.id, amount: '10.00' }));

        const dead = await waitForSettled(test, 'hook-orders', String(eventId));
        expect(dead.status).toBe('dead');
        expect(dead.attempts).toBe(1);
        expect(dead.error.code).toBe('MAPPING_MISSING');
        expect((await listEvents(test, 'hook-orders', 'dead')).map((event) => event.id)).toContain(eventId);
      });

      it('moves an event without id to dead', async () => {
        const [eventId] = await deliver(orderDelivery(orders.webhookUrl, 'orders/create', { name: '#no-id', currency: 'BRL', total_price: '1.00' }));

        const dead = await waitForSettled(test, 'hook-orders', String(eventId));
        expect(dead.status).toBe('dead');
        expect(dead.attempts).toBe(1);
        expect(dead.error.code).toBe('WEBHOOK_EVENT_INVALID');
        expect((await listEvents(test, 'hook-orders', 'dead')).map((event) => event.id)).toContain(eventId);
      });

      it('rejects replaying processed events', async () => {
        const reply = await test.call('POST', '/v1/integrations/hook-orders/webhooks/replay', { status: 'processed' });
        expect(reply.status).toBe(400);
        expect(reply.body.code).toBe('FIELD_INVALID');
      });
    });

    describe('retries', () => {
      it('ends processed after a transient 503', async () => {
        const order = newOrder();
        simulator.put(order);
        simulator.failNext(order.id, 1);

        const [eventId] = await deliver(orderDelivery(orders.webhookUrl, 'orders/updated', { id: order.id }));
        const settled = await waitForSettled(test, 'hook-orders', String(eventId), 15_000);

        expect(settled.status).toBe('processed');
        expect(settled.attempts).toBe(2);
        expect(simulator.reads(order.id)).toBe(2);
        expect((await findRecord(test, 'hook-orders', 'order', String(order.id))).data).toMatchObject({ orderNumber: order.name, total: 89.9 });
      });

      it('replays dead events in bulk', async () => {
        const order = newOrder();
        simulator.put(order);
        simulator.failNext(order.id, 2);

        const [eventId] = await deliver(orderDelivery(orders.webhookUrl, 'orders/updated', { id: order.id }));
        const dead = await waitForSettled(test, 'hook-orders', String(eventId), 15_000);
        expect(dead.status).toBe('dead');
        expect(dead.attempts).toBe(2);
        expect(dead.error.message).toContain('503');
        expect(await findRecord(test, 'hook-orders', 'order', String(order.id))).toBeUndefined();

        // The simulator has used up its failures, so the provider is healthy again. The bulk
        // replay also re-runs the other dead events of this connection.
        const deadBefore = await listEvents(test, 'hook-orders', 'dead');
        expect(deadBefore.map((event) => event.id)).toContain(eventId);
        const replay = await test.call('POST', '/v1/integrations/hook-orders/webhooks/replay', { status: 'dead' });
        expect(replay.status).toBe(200);
        expect(replay.body.replayed).toBe(deadBefore.length);

        const processed = await waitFor(() => readEvent(test, 'hook-orders', String(eventId)), (event) => event.status === 'processed', 15_000);
        expect(processed.status).toBe('processed');
        expect(processed.attempts).toBe(1);
        expect(simulator.reads(order.id)).toBe(3);
        expect((await findRecord(test, 'hook-orders', 'order', String(order.id))).data.orderNumber).toBe(order.name);
        expect((await listEvents(test, 'hook-orders', 'dead')).map((event) => event.id)).not.toContain(eventId);
      });

      it('replays one dead event by id', async () => {
        const order = newOrder();
        simulator.put(order);
        simulator.failNext(order.id, 3);

        const [eventId] = await deliver(orderDelivery(orders.webhookUrl, 'orders/updated', { id: order.id }));
        expect((await waitForSettled(test, 'hook-orders', String(eventId), 15_000)).status).toBe('dead');
        expect(simulator.reads(order.id)).toBe(2);

        // The replay starts the attempt count again: one more 503, then a retry that succeeds.
        const replay = await test.call('POST', '/v1/integrations/hook-orders/webhooks/replay', { eventIds: [eventId] });
        expect(replay.status).toBe(200);
        expect(replay.body.replayed).toBe(1);

        const processed = await waitFor(() => readEvent(test, 'hook-orders', String(eventId)), (event) => event.status === 'processed', 15_000);
        expect(processed.status).toBe('processed');
        expect(processed.attempts).toBe(2);
        expect(simulator.reads(order.id)).toBe(4);
      });

      it('marks a record deleted after a deletion event', async () => {
        const order = newOrder();
        const [created] = await deliver(orderDelivery(orders.webhookUrl, 'orders/create', order));
        expect((await waitForSettled(test, 'hook-orders', String(created))).status).toBe('processed');

        const [deleted] = await deliver(orderDelivery(orders.webhookUrl, 'orders/delete', { id: order.id }));
        expect((await waitForSettled(test, 'hook-orders', String(deleted))).status).toBe('processed');
        expect((await findRecord(test, 'hook-orders', 'order', String(order.id))).deleted).toBe(true);
      });
    });

    describe('IP allowlist', () => {
      it('rejects other sources with 403 until loopback is allowed', async () => {
        const endpoint = await connect(test, 'hook-orders', { name: 'allowlist', secrets: [SHOP_SECRET], allowedIps: ['10.0.0.0/8'] });

        const forbidden = await send(orderDelivery(endpoint.webhookUrl, 'orders/create', newOrder()));
        expect(forbidden.status).toBe(403);
        expect(forbidden.body.code).toBe('WEBHOOK_SOURCE_FORBIDDEN');
        expect(await countEvents(test, endpoint.connectionId)).toBe(0);

        const update = await test.call('PUT', `/v1/integrations/${endpoint.connectionId}/webhooks/secrets`, { allowedIps: ['127.0.0.1'] });
        expect(update.status).toBe(200);
        expect(update.body.allowedIps).toEqual(['127.0.0.1']);

        const accepted = await send(orderDelivery(endpoint.webhookUrl, 'orders/create', newOrder()));
        expect(accepted.status, accepted.text).toBe(200);
        expect(await countEvents(test, endpoint.connectionId)).toBe(1);
      });
    });

    describe('endpoint rate limit', () => {
      it('returns 429 and keeps accepted events', async () => {
        const endpoint = await connect(test, 'hook-orders', { name: 'rate-limited', secrets: [SHOP_SECRET] });
        const sent = Array.from({ length: 30 }, () => newOrder());

        const replies = await Promise.all(sent.map((order) => send(orderDelivery(endpoint.webhookUrl, 'orders/create', order))));
        const accepted = sent.filter((_, index) => replies[index]?.status === 200);
        const limited = replies.filter((reply) => reply.status === 429);

        expect(accepted.length + limited.length).toBe(30);
        expect(accepted.length).toBeGreaterThan(0);
        expect(limited.length).toBeGreaterThan(0);
        for (const reply of limited) {
          expect(reply.body.code).toBe('WEBHOOK_RATE_LIMITED');
          expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        }

        const acceptedEventIds = replies.filter((reply) => reply.status === 200).flatMap((reply) => reply.body.eventIds as string[]);
        const stored = await listEvents(test, endpoint.connectionId);
        expect(stored.map((event) => event.id).sort()).toEqual([...acceptedEventIds].sort());

        const settled = await Promise.all(acceptedEventIds.map((id) => waitForSettled(test, endpoint.connectionId, id)));
        expect(settled.every((event) => event.status === 'processed')).toBe(true);
        for (const order of accepted) {
          expect((await findRecord(test, endpoint.connectionId, 'order', String(order.id)))?.data.orderNumber).toBe(order.name);
        }
      });
    });

    describe('disconnect', () => {
      it('returns 410 after a disconnect', async () => {
        const endpoint = await connect(test, 'hook-orders', { name: 'disconnected', secrets: [SHOP_SECRET] });
        expect((await send(orderDelivery(endpoint.webhookUrl, 'orders/create', newOrder()))).status).toBe(200);

        const disconnect = await test.call('POST', `/v1/integrations/${endpoint.connectionId}/disconnect`);
        expect(disconnect.status).toBe(200);

        const afterDisconnect = await send(orderDelivery(endpoint.webhookUrl, 'orders/create', newOrder()));
        expect(afterDisconnect.status).toBe(410);
        expect(afterDisconnect.body.code).toBe('WEBHOOK_CONNECTION_DISCONNECTED');
      });
    });
  });
});
