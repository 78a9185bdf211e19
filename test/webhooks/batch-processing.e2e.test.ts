import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, send, waitForSettled, type ConnectedEndpoint } from './support/deliveries.js';
import { fixtureManifest, writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';
import { shopifySignature } from './support/signers.js';

// The worker applies the events it claims together. Each delivery here carries several
// events, stored in one transaction, so the worker claims and applies them as one batch.
// The outcome must be the one of applying them one after another.

const SECRET = 'batch-shop-secret-7';

const orderFields = [
  { target: 'orderNumber', source: 'number' },
  { target: 'status', source: 'status' },
  { target: 'notes', source: 'note' },
];

/** Orders pushed in lists: each event names its type, id and time in the body. */
const ordersManifest = fixtureManifest({
  id: 'hook-batch',
  webhooks: {
    signature: { scheme: 'shopify' },
    contentType: 'json',
    events: { path: 'events' },
    eventId: { in: 'body', path: 'eventId' },
    eventType: { in: 'body', path: 'type' },
    occurredAt: { in: 'body', path: 'at' },
    routes: [
      { eventType: 'order.deleted', object: 'orders', action: 'delete', idPath: 'order.id' },
      { eventType: 'order.*', object: 'orders', action: 'upsert', idPath: 'order.id' },
    ],
  },
  objects: [{ key: 'orders', mapping: { canonicalObject: 'order', fields: orderFields.map((field) => ({ ...field, source: `order.${field.source}` })) } }],
});

/**
 * Orders whose events carry neither id nor time: the delivery's X-Shopify-Webhook-Id keys
 * them and a header gives the time, so two events may carry the same record byte for byte.
 */
const plainManifest = fixtureManifest({
  id: 'hook-batch-plain',
  webhooks: {
    signature: { scheme: 'shopify' },
    contentType: 'json',
    events: { path: 'events' },
    eventType: { in: 'body', path: 'type' },
    occurredAt: { in: 'header', path: 'x-event-time' },
    routes: [{ eventType: 'order.*', object: 'orders', action: 'upsert', idPath: 'order.id' }],
  },
  objects: [{ key: 'orders', mapping: { canonicalObject: 'order', fields: orderFields.map((field) => ({ ...field, source: `order.${field.source}` })) } }],
});

/** The same shape, with orders that point at their customer through a lookup. */
const lookupManifest = fixtureManifest({
  id: 'hook-batch-lookup',
  webhooks: {
    signature: { scheme: 'shopify' },
    contentType: 'json',
    events: { path: 'events' },
    eventId: { in: 'body', path: 'eventId' },
    eventType: { in: 'body', path: 'type' },
    routes: [
      { eventType: 'customer.*', object: 'customers', action: 'upsert', idPath: 'customer.id' },
      { eventType: 'order.*', object: 'orders', action: 'upsert', idPath: 'order.id' },
    ],
  },
  objects: [
    { key: 'customers', mapping: { canonicalObject: 'contact', fields: [{ target: 'fullName', source: 'customer.name' }] } },
    {
      key: 'orders',
      mapping: {
        canonicalObject: 'order',
        fields: [
          { target: 'orderNumber', source: 'order.number' },
          { target: 'customerId', source: 'order.customer_id', transforms: [{ type: 'lookup', canonicalObject: 'contact' }] },
        ],
      },
    },
  ],
});

interface BatchEvent {
  type: string;
  at?: string;
  order?: Record<string, unknown>;
  customer?: Record<string, unknown>;
}

forEachDatabase((database) => {
  describe('webhook batch processing', () => {
    let folder: ConnectorsFolder;
    let test: TestPlatform;
    let orders: ConnectedEndpoint;
    let lookups: ConnectedEndpoint;
    let plain: ConnectedEndpoint;

    /**
     * Sends the events in one delivery and waits until the worker settled each of them. Each
     * event gets a new `eventId`, unless `headers` are given for a connector that reads none.
     */
    async function deliverTogether(endpoint: ConnectedEndpoint, events: BatchEvent[], headers?: Record<string, string>): Promise<any[]> {
      const items = headers ? events : events.map((event) => ({ eventId: randomUUID(), ...event }));
      const body = Buffer.from(JSON.stringify({ events: items }));
      const reply = await send({ url: endpoint.webhookUrl, body, headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': shopifySignature(SECRET, body), ...headers } });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.eventIds).toHaveLength(events.length);
      return Promise.all((reply.body.eventIds as string[]).map((eventId) => waitForSettled(test, endpoint.connectionId, eventId)));
    }

    async function storedRecord(endpoint: ConnectedEndpoint, object: string, externalId: string) {
      const [record] = await test.platform.store.records.findByExternalIds(endpoint.connectionId, object, [externalId]);
      return record;
    }

    async function lumioEventTypes(workspaceId: string, eventId: string): Promise<string[]> {
      const page = await test.platform.store.lumioEvents.list({ workspaceId, sourceEventId: eventId, limit: 10 });
      return page.events.map((lumioEvent) => lumioEvent.type).sort();
    }

    beforeAll(async () => {
      folder = await writeConnectorsFolder([ordersManifest, plainManifest, lookupManifest]);
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir, env: { LUMIO_WEBHOOK_MAX_ATTEMPTS: '2' } });
      orders = await connect(test, 'hook-batch', { secrets: [SECRET] });
      lookups = await connect(test, 'hook-batch-lookup', { secrets: [SECRET] });
      plain = await connect(test, 'hook-batch-plain', { secrets: [SECRET] });
    });

    afterAll(async () => {
      await test?.close();
      await folder?.remove();
    });

    it('applies the events of a record in order', async () => {
      const id = randomUUID();
      const other = randomUUID();
      const settled = await deliverTogether(orders, [
        { type: 'order.created', order: { id, number: '#1', status: 'pending', note: 'first' } },
        { type: 'order.updated', order: { id, number: '#1', status: 'processing', note: 'second' } },
        { type: 'order.deleted', order: { id } },
        { type: 'order.created', order: { id: other, number: '#2', status: 'pending' } },
        { type: 'order.updated', order: { number: '#3' } },
      ]);

      expect(settled.map((event) => event.status)).toEqual(['processed', 'processed', 'processed', 'processed', 'dead']);
      expect(settled[4].error.code).toBe('WEBHOOK_EVENT_INVALID');

      const workspaceId = (await test.platform.store.connections.get(orders.connectionId))!.workspaceId;
      const types = await Promise.all(settled.map((event) => lumioEventTypes(workspaceId, event.id)));
      expect(types).toEqual([
        ['record.created', 'webhook.received'],
        ['record.updated', 'webhook.received'],
        ['record.deleted', 'webhook.received'],
        ['record.created', 'webhook.received'],
        [],
      ]);

      // A deletion keeps the last data, as writing each event in turn would.
      const deleted = await storedRecord(orders, 'order', id);
      expect(deleted).toMatchObject({ deleted: true, data: { orderNumber: '#1', status: 'processing', notes: 'second' }, raw: { order: { id, number: '#1', status: 'processing', note: 'second' } } });
      expect(deleted?.deletedAt).not.toBeNull();
      expect((await storedRecord(orders, 'order', other))?.data).toEqual({ orderNumber: '#2', status: 'pending', notes: null });
    });

    it('ignores an event older than one before it', async () => {
      const id = randomUUID();
      const settled = await deliverTogether(orders, [
        { type: 'order.updated', at: '2025-03-01T12:00:00.000Z', order: { id, number: '#4', status: 'processing' } },
        { type: 'order.updated', at: '2025-03-01T11:00:00.000Z', order: { id, number: '#4', status: 'pending' } },
      ]);

      expect(settled.map((event) => event.status)).toEqual(['processed', 'ignored']);
      expect(settled[1].result.skipped).toBe('the stored record changed after this event');
      const record = await storedRecord(orders, 'order', id);
      expect(record?.data).toMatchObject({ status: 'processing' });
      expect(record?.sourceUpdatedAt).toBe('2025-03-01T12:00:00.000Z');
    });

    it('stores the time of a change back to the stored content', async () => {
      const id = randomUUID();
      const original = { type: 'order.updated', order: { id, number: '#5', status: 'pending' } };
      const [first] = await deliverTogether(plain, [original], { 'x-shopify-webhook-id': randomUUID(), 'x-event-time': '2025-03-02T10:00:00.000Z' });
      expect(first.status).toBe('processed');

      // The second event brings back the stored record exactly, so the database alone would
      // count its row unchanged and keep the old time.
      const changed = { type: 'order.updated', order: { ...original.order, status: 'processing' } };
      const settled = await deliverTogether(plain, [changed, original], { 'x-shopify-webhook-id': randomUUID(), 'x-event-time': '2025-03-02T11:00:00.000Z' });

      expect(settled.map((event) => event.status)).toEqual(['processed', 'processed']);
      const workspaceId = (await test.platform.store.connections.get(plain.connectionId))!.workspaceId;
      expect(await lumioEventTypes(workspaceId, settled[1].id)).toEqual(['record.updated', 'webhook.received']);
      const record = await storedRecord(plain, 'order', id);
      expect(record?.data).toEqual({ orderNumber: '#5', status: 'pending', notes: null });
      expect(record?.raw).toEqual(original);
      expect(record?.sourceUpdatedAt).toBe('2025-03-02T11:00:00.000Z');
    });

    it('resolves a lookup of a record created earlier in the batch', async () => {
      const customerId = randomUUID();
      const orderId = randomUUID();
      const settled = await deliverTogether(lookups, [
        { type: 'customer.created', customer: { id: customerId, name: 'Ana Souza' } },
        { type: 'order.created', order: { id: orderId, number: '#6', customer_id: customerId } },
      ]);

      expect(settled.map((event) => event.status)).toEqual(['processed', 'processed']);
      expect(settled[1].result.mappingErrors).toBeUndefined();
      const customer = await storedRecord(lookups, 'contact', customerId);
      const order = await storedRecord(lookups, 'order', orderId);
      expect(customer?.id).toMatch(/^rec_/);
      expect(order?.data).toEqual({ orderNumber: '#6', customerId: customer?.id });
    });
  });
});
