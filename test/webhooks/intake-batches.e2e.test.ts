import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Connection, Store } from '../../platform/src/store/index.js';
import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createConnectionFixture } from '../store/fixtures.js';
import { newDelivery, newEvent, uniqueKey } from '../store/webhook-fixtures.js';
import { connect, readEvent, send, waitForSettled, type ConnectedEndpoint, type Delivery } from './support/deliveries.js';
import { fixtureManifest, writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';
import { shopifySignature } from './support/signers.js';

// Deliveries that reach the intake in the same event-loop turn are stored in one
// transaction. These tests check that a duplicate, a forgery or a repeated key in such a
// group changes only its own outcome, and that an event that is the whole JSON body is
// stored from the body's text.

const SECRET = 'intake-batches-secret-7';

const manifest = fixtureManifest({
  id: 'hook-batches',
  webhooks: {
    signature: { scheme: 'shopify' },
    contentType: 'json',
    eventId: { in: 'header', path: 'x-shopify-webhook-id' },
    eventType: { in: 'header', path: 'x-shopify-topic' },
    routes: [{ eventType: 'orders/*', object: 'orders', action: 'upsert', idPath: 'id' }],
  },
  objects: [{ key: 'orders', mapping: { canonicalObject: 'order', fields: [{ target: 'orderNumber', source: 'name' }] } }],
});

function signedDelivery(endpoint: ConnectedEndpoint, eventId: string, text: string, secret = SECRET): Delivery {
  const body = Buffer.from(text, 'utf8');
  return {
    url: endpoint.webhookUrl,
    headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/updated', 'x-shopify-webhook-id': eventId, 'x-shopify-hmac-sha256': shopifySignature(secret, body) },
    body,
  };
}

forEachDatabase((database) => {
  describe('webhook intake groups', () => {
    let folder: ConnectorsFolder;
    let test: TestPlatform;
    let endpoint: ConnectedEndpoint;

    beforeAll(async () => {
      folder = await writeConnectorsFolder([manifest]);
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir });
      endpoint = await connect(test, 'hook-batches', { secrets: [SECRET] });
    });

    afterAll(async () => {
      await test?.close();
      await folder?.remove();
    });

    it('responds to each delivery separately', async () => {
      const storedBefore = randomUUID();
      const first = await send(signedDelivery(endpoint, storedBefore, JSON.stringify({ id: 1, name: '#1' })));
      expect(first.status, first.text).toBe(200);

      const fresh = [randomUUID(), randomUUID(), randomUUID()];
      const repeated = randomUUID();
      // Sent together, so they can reach the intake in the same turn and share a commit.
      const replies = await Promise.all([
        send(signedDelivery(endpoint, storedBefore, JSON.stringify({ id: 1, name: '#1' }))),
        ...fresh.map((eventId, index) => send(signedDelivery(endpoint, eventId, JSON.stringify({ id: 10 + index, name: `#${10 + index}` })))),
        send(signedDelivery(endpoint, randomUUID(), JSON.stringify({ id: 20, name: '#20' }), 'not-the-secret')),
        send(signedDelivery(endpoint, repeated, JSON.stringify({ id: 30, name: '#30' }))),
        send(signedDelivery(endpoint, repeated, JSON.stringify({ id: 30, name: '#30' }))),
      ]);
      const [duplicate, ...rest] = replies;
      const freshReplies = rest.slice(0, fresh.length);
      const [forged, repeatA, repeatB] = rest.slice(fresh.length);

      expect(duplicate?.status, duplicate?.text).toBe(409);
      for (const reply of freshReplies) expect(reply.status, reply.text).toBe(200);
      expect(forged?.status, forged?.text).toBe(401);
      expect([repeatA?.status, repeatB?.status].sort()).toEqual([200, 409]);

      // Every 200 names a stored event that the worker processes.
      const accepted = [...freshReplies, repeatA?.status === 200 ? repeatA : repeatB];
      for (const reply of accepted) {
        const eventIds = reply?.body.eventIds as string[];
        expect(eventIds).toHaveLength(1);
        expect((await waitForSettled(test, endpoint.connectionId, eventIds[0]!)).status).toBe('processed');
      }
    });

    it('stores a whole-body event from its text', async () => {
      // Spacing and number forms that a parse and serialise would not keep.
      const text = '{ "id" : 7,\n  "total": 1.50, "name": "#7", "note": "caf\\u00e9 \\u0000" }';
      const reply = await send(signedDelivery(endpoint, randomUUID(), text));
      expect(reply.status, reply.text).toBe(200);

      const stored = await readEvent(test, endpoint.connectionId, (reply.body.eventIds as string[])[0]!);
      // PostgreSQL cannot store U+0000, so there it becomes U+FFFD as in every JSON column.
      const note = database.kind === 'postgres' ? 'café \ufffd' : 'café \u0000';
      expect(stored.payload).toEqual({ id: 7, total: 1.5, name: '#7', note });
      expect(stored.delivery.bytes).toBe(Buffer.byteLength(text));
    });
  });

  describe('webhookEvents.insertDeliveries with duplicates in a batch', () => {
    let store: Store;
    let connection: Connection;

    beforeAll(async () => {
      store = await database.openStore();
      ({ connection } = await createConnectionFixture(store));
    });

    afterAll(async () => {
      await store?.connections.delete(connection.id);
    });

    it('stores the new events of every delivery', async () => {
      const [storedKey, newKey, partialNew, repeatedKey] = [uniqueKey(), uniqueKey(), uniqueKey(), uniqueKey()];
      const [before] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [storedKey])]);
      const storedId = before?.inserted[0]?.id;
      expect(storedId).toBeDefined();

      const results = await store.webhookEvents.insertDeliveries([
        newDelivery(connection, [newKey]),
        newDelivery(connection, [storedKey, partialNew]),
        newDelivery(connection, [storedKey]),
        newDelivery(connection, [repeatedKey, repeatedKey]),
      ]);
      const [fresh, partial, allDuplicate, repeated] = results;

      expect(fresh?.inserted.map((event) => event.dedupKey)).toEqual([newKey]);
      expect(fresh?.duplicates).toEqual([]);
      expect(partial?.inserted.map((event) => event.dedupKey)).toEqual([partialNew]);
      expect(partial?.duplicates).toEqual([{ dedupKey: storedKey, existingId: storedId }]);
      expect(allDuplicate).toEqual({ deliveryId: null, inserted: [], duplicates: [{ dedupKey: storedKey, existingId: storedId }] });
      expect(repeated?.inserted).toHaveLength(1);
      expect(repeated?.duplicates).toEqual([{ dedupKey: repeatedKey, existingId: repeated?.inserted[0]?.id }]);

      // A delivery counts only the events stored with it.
      const partialDelivery = await store.webhookEvents.getDelivery(connection.workspaceId, partial!.deliveryId!);
      expect(partialDelivery?.eventCount).toBe(1);
      const repeatedDelivery = await store.webhookEvents.getDelivery(connection.workspaceId, repeated!.deliveryId!);
      expect(repeatedDelivery?.eventCount).toBe(1);
      for (const result of [fresh, partial, repeated]) {
        const event = await store.webhookEvents.get(connection.workspaceId, result!.inserted[0]!.id);
        expect(event?.deliveryId).toBe(result?.deliveryId);
      }
    });

    it('keeps the payload text it is given', async () => {
      const key = uniqueKey();
      const payloadJson = '{"id":"a","nested":{"n":1.0,"list":[1,2]}}';
      const delivery = newDelivery(connection, [], { events: [newEvent(key, { payload: JSON.parse(payloadJson), payloadJson })] });
      const [result] = await store.webhookEvents.insertDeliveries([delivery]);

      const event = await store.webhookEvents.get(connection.workspaceId, result!.inserted[0]!.id);
      expect(event?.payload).toEqual({ id: 'a', nested: { n: 1, list: [1, 2] } });
    });

    it('rejects payload text that is not a string', async () => {
      const delivery = newDelivery(connection, [], { events: [newEvent(uniqueKey(), { payloadJson: 42 as unknown as string })] });
      await expect(store.webhookEvents.insertDeliveries([delivery])).rejects.toMatchObject({ code: 'WEBHOOK_DELIVERY_INVALID' });
    });
  });
});
