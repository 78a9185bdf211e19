import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEDUP_KEY_LENGTH, type Connection, type NewDelivery, type Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';
import { newDelivery, newEvent, storeEvents, uniqueKey } from './webhook-fixtures.js';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Returns every byte value, followed by sequences that are invalid UTF-8. */
function nonUtf8Bytes(): Buffer {
  const all = Buffer.alloc(256);
  for (let value = 0; value < 256; value += 1) {
    all[value] = value;
  }
  return Buffer.concat([all, Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe, 0x00, 0x00])]);
}

forEachDatabase((database) => {
  describe('webhookEvents.insertDeliveries', () => {
    let store: Store;
    let connection: Connection;

    beforeAll(async () => {
      store = await database.openStore();
    });

    async function freshConnection(): Promise<Connection> {
      ({ connection } = await createConnectionFixture(store));
      return connection;
    }

    async function countRows(table: 'webhook_deliveries' | 'webhook_events', connectionId: string): Promise<number> {
      const row = await store.knex(table).where({ connection_id: connectionId }).count<{ count: unknown }[]>({ count: '*' }).first();
      return Number(row?.count);
    }

    it('stores a delivery and its events', async () => {
      await freshConnection();
      const key = uniqueKey();

      const [result] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [key], { receivedAt: 1_700_000_123_456 })]);

      expect(result?.deliveryId).toMatch(/^whd_[0-9a-z]{26}$/);
      expect(result?.duplicates).toEqual([]);
      expect(result?.inserted).toHaveLength(1);
      expect(result?.inserted[0]?.dedupKey).toBe(key);
      expect(result?.inserted[0]?.id).toMatch(/^whe_[0-9a-z]{26}$/);

      const event = await store.webhookEvents.get(connection.workspaceId, result?.inserted[0]?.id ?? '');
      expect(event).toEqual({
        id: result?.inserted[0]?.id,
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        connectorId: connection.connectorId,
        deliveryId: result?.deliveryId,
        dedupKey: key,
        providerEventId: key,
        eventType: 'contact.creation',
        payload: { id: key, name: 'Ada' },
        occurredAt: 1_700_000_000_000,
        status: 'received',
        attempts: 0,
        nextAttemptAt: 1_700_000_123_456,
        lockedBy: null,
        lockedUntil: null,
        lastErrorCode: null,
        lastErrorMessage: null,
        result: null,
        receivedAt: 1_700_000_123_456,
        processedAt: null,
      });
    });

    it('stores delivery fields', async () => {
      await freshConnection();
      const delivery = newDelivery(connection, [uniqueKey()], { headers: { 'x-multi': ['a', 'b'], 'content-type': 'application/json' }, sourceIp: '::1' });

      const [result] = await store.webhookEvents.insertDeliveries([delivery]);
      const stored = await store.webhookEvents.getDelivery(connection.workspaceId, result?.deliveryId ?? '');

      expect(stored).toMatchObject({
        id: result?.deliveryId,
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        connectorId: connection.connectorId,
        receivedAt: 1_700_000_000_000,
        method: 'POST',
        contentType: 'application/json',
        headers: { 'x-multi': ['a', 'b'], 'content-type': 'application/json' },
        sourceIp: '::1',
        eventCount: 1,
      });
      expect(stored?.body.equals(delivery.body as Buffer)).toBe(true);
      expect(stored?.bodySha256).toBe(sha256Hex(delivery.body));
    });

    it('round-trips non-UTF-8 bodies byte for byte', async () => {
      await freshConnection();
      const body = nonUtf8Bytes();

      const [result] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [uniqueKey()], { body, contentType: 'application/octet-stream' })]);
      const stored = await store.webhookEvents.getDelivery(connection.workspaceId, result?.deliveryId ?? '');

      expect(Buffer.isBuffer(stored?.body)).toBe(true);
      expect(stored?.body.length).toBe(body.length);
      expect(stored?.body.toString('hex')).toBe(body.toString('hex'));
      expect(stored?.bodySha256).toBe(sha256Hex(body));
    });

    it('stores an empty body', async () => {
      await freshConnection();

      const [result] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [uniqueKey()], { body: Buffer.alloc(0), contentType: null })]);
      const stored = await store.webhookEvents.getDelivery(connection.workspaceId, result?.deliveryId ?? '');

      expect(stored?.body.length).toBe(0);
      expect(stored?.bodySha256).toBe(sha256Hex(Buffer.alloc(0)));
      expect(stored?.contentType).toBeNull();
    });

    it('stores only the bytes of a Uint8Array view', async () => {
      await freshConnection();
      const backing = new Uint8Array([1, 2, 3, 0xff, 0x80, 0x00, 9, 10]);
      const view = backing.subarray(2, 6);

      const [result] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [uniqueKey()], { body: view })]);
      const stored = await store.webhookEvents.getDelivery(connection.workspaceId, result?.deliveryId ?? '');

      expect([...(stored?.body ?? [])]).toEqual([3, 0xff, 0x80, 0x00]);
      expect(stored?.bodySha256).toBe(sha256Hex(view));
    });

    it('accepts a matching bodySha256', async () => {
      await freshConnection();
      const body = Buffer.from('{"ok":true}');

      const [result] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [uniqueKey()], { body, bodySha256: sha256Hex(body).toUpperCase() })]);

      expect(result?.inserted).toHaveLength(1);
    });

    it('skips duplicates across batches', async () => {
      await freshConnection();
      const key = uniqueKey();
      const [first] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [key])]);

      const [second] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [key])]);

      expect(second).toEqual({ deliveryId: null, inserted: [], duplicates: [{ dedupKey: key, existingId: first?.inserted[0]?.id }] });
      expect(await countRows('webhook_deliveries', connection.id)).toBe(1);
      expect(await countRows('webhook_events', connection.id)).toBe(1);
    });

    it('skips duplicates within a batch', async () => {
      await freshConnection();
      const key = uniqueKey();

      const [first, second] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [key]), newDelivery(connection, [key])]);

      expect(first?.inserted).toHaveLength(1);
      expect(first?.deliveryId).not.toBeNull();
      expect(second).toEqual({ deliveryId: null, inserted: [], duplicates: [{ dedupKey: key, existingId: first?.inserted[0]?.id }] });
      expect(await countRows('webhook_deliveries', connection.id)).toBe(1);
      expect(await countRows('webhook_events', connection.id)).toBe(1);
    });

    it('skips a key repeated within a delivery', async () => {
      await freshConnection();
      const key = uniqueKey();

      const [result] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [key, key])]);

      expect(result?.inserted).toHaveLength(1);
      expect(result?.duplicates).toEqual([{ dedupKey: key, existingId: result?.inserted[0]?.id }]);
    });

    it('stores a partly duplicate delivery', async () => {
      await freshConnection();
      const [old, fresh] = [uniqueKey(), uniqueKey()];
      const [first] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [old])]);

      const [second] = await store.webhookEvents.insertDeliveries([newDelivery(connection, [old, fresh])]);

      expect(second?.deliveryId).not.toBeNull();
      expect(second?.inserted.map((item) => item.dedupKey)).toEqual([fresh]);
      expect(second?.duplicates).toEqual([{ dedupKey: old, existingId: first?.inserted[0]?.id }]);
      const delivery = await store.webhookEvents.getDelivery(connection.workspaceId, second?.deliveryId ?? '');
      expect(delivery?.eventCount).toBe(1);
      const event = await store.webhookEvents.get(connection.workspaceId, second?.inserted[0]?.id ?? '');
      expect(event?.deliveryId).toBe(second?.deliveryId);
    });

    it('keeps dedup keys per connection', async () => {
      const { connection: one } = await createConnectionFixture(store);
      const { connection: two } = await createConnectionFixture(store);
      const key = uniqueKey();

      const results = await store.webhookEvents.insertDeliveries([newDelivery(one, [key]), newDelivery(two, [key])]);

      expect(results.map((result) => result.inserted.length)).toEqual([1, 1]);
      expect(results.map((result) => result.duplicates.length)).toEqual([0, 0]);
    });

    it('stores a large batch', async () => {
      await freshConnection();
      const deliveries = Array.from({ length: 1_100 }, () => newDelivery(connection, [uniqueKey('a'), uniqueKey('b')]));
      deliveries.push(newDelivery(connection, [deliveries[0]?.events[0]?.dedupKey ?? '']));

      const results = await store.webhookEvents.insertDeliveries(deliveries);

      expect(results).toHaveLength(1_101);
      expect(results.slice(0, 1_100).every((result) => result.inserted.length === 2 && result.deliveryId !== null)).toBe(true);
      expect(results[1_100]?.duplicates[0]?.existingId).toBe(results[0]?.inserted[0]?.id);
      expect(await countRows('webhook_events', connection.id)).toBe(2_200);
      expect(await countRows('webhook_deliveries', connection.id)).toBe(1_100);
    });

    it('stores each key once under concurrency', async () => {
      await freshConnection();
      const second = await database.openStore();
      const keys = Array.from({ length: 60 }, () => uniqueKey());
      // Each writer stores every key, in batches of 10, half of them in reverse order.
      const writers = [store, second, store, second].map(async (writer, index) => {
        const ordered = index % 2 === 0 ? keys : [...keys].reverse();
        const results = [];
        for (let start = 0; start < ordered.length; start += 10) {
          const batch = ordered.slice(start, start + 10).map((key) => newDelivery(connection, [key]));
          results.push(...(await writer.webhookEvents.insertDeliveries(batch)));
        }
        return results;
      });
      const results = (await Promise.all(writers)).flat();

      const insertedIds = new Map<string, string>();
      for (const result of results) {
        for (const item of result.inserted) {
          expect(insertedIds.has(item.dedupKey), `key ${item.dedupKey} inserted twice`).toBe(false);
          insertedIds.set(item.dedupKey, item.id);
        }
      }
      expect(insertedIds.size).toBe(keys.length);
      for (const result of results) {
        expect(result.inserted.length + result.duplicates.length).toBe(1);
        expect(result.deliveryId === null).toBe(result.inserted.length === 0);
        for (const duplicate of result.duplicates) {
          expect(duplicate.existingId).toBe(insertedIds.get(duplicate.dedupKey));
        }
      }
      expect(await countRows('webhook_events', connection.id)).toBe(keys.length);
      expect(await countRows('webhook_deliveries', connection.id)).toBe(keys.length);
    });

    it('returns nothing for an empty batch', async () => {
      expect(await store.webhookEvents.insertDeliveries([])).toEqual([]);
    });

    it('stores text with U+0000', async () => {
      await freshConnection();
      const delivery = newDelivery(connection, [uniqueKey()]);
      delivery.events = [newEvent(uniqueKey(), { providerEventId: 'id\u0000x', eventType: 'type\u0000x', payload: { text: 'a\u0000b' } })];

      const [result] = await store.webhookEvents.insertDeliveries([delivery]);
      const event = await store.webhookEvents.get(connection.workspaceId, result?.inserted[0]?.id ?? '');

      const expected = database.kind === 'postgres' ? '\ufffd' : '\u0000';
      expect(event?.providerEventId).toBe(`id${expected}x`);
      expect(event?.eventType).toBe(`type${expected}x`);
      expect(event?.payload).toEqual({ text: `a${expected}b` });
    });

    describe('rejects', () => {
      const cases: Array<[string, (delivery: NewDelivery) => void]> = [
        ['an empty dedup key', (delivery) => (delivery.events = [newEvent('')])],
        ['a dedup key with U+0000', (delivery) => (delivery.events = [newEvent('a\u0000b')])],
        ['a dedup key that is too long', (delivery) => (delivery.events = [newEvent('k'.repeat(MAX_DEDUP_KEY_LENGTH + 1))])],
        ['no events', (delivery) => (delivery.events = [])],
        ['a string body', (delivery) => (delivery.body = 'text' as unknown as Buffer)],
        ['a wrong bodySha256', (delivery) => (delivery.bodySha256 = sha256Hex(Buffer.from('other')))],
        ['a fractional receivedAt', (delivery) => (delivery.receivedAt = 1.5)],
        ['a negative occurredAt', (delivery) => (delivery.events = [newEvent(uniqueKey(), { occurredAt: -1 })])],
        ['a numeric event type', (delivery) => (delivery.events = [newEvent(uniqueKey(), { eventType: 5 as unknown as string })])],
        ['headers that are an array', (delivery) => (delivery.headers = [] as unknown as Record<string, string>)],
        ['a missing connection id', (delivery) => (delivery.connectionId = '')],
      ];

      for (const [name, corrupt] of cases) {
        it(`${name} and stores nothing of the batch`, async () => {
          await freshConnection();
          const valid = newDelivery(connection, [uniqueKey()]);
          const invalid = newDelivery(connection, [uniqueKey()]);
          corrupt(invalid);

          const attempt = store.webhookEvents.insertDeliveries([valid, invalid]);

          await expect(attempt).rejects.toMatchObject({ code: 'WEBHOOK_DELIVERY_INVALID', details: { index: 1 } });
          expect(await countRows('webhook_events', connection.id)).toBe(0);
          expect(await countRows('webhook_deliveries', connection.id)).toBe(0);
        });
      }

      it('an unknown connection and stores nothing of the batch', async () => {
        await freshConnection();
        const valid = newDelivery(connection, [uniqueKey()]);
        const orphan = { ...newDelivery(connection, [uniqueKey()]), connectionId: 'conn_missing' };

        const attempt = store.webhookEvents.insertDeliveries([valid, orphan]);

        await expect(attempt).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND', status: 404 });
        expect(await countRows('webhook_events', connection.id)).toBe(0);
        expect(await countRows('webhook_deliveries', connection.id)).toBe(0);
      });
    });

    it('deletes deliveries and events with their connection', async () => {
      await freshConnection();
      await storeEvents(store, connection, [uniqueKey(), uniqueKey()]);

      await store.connections.delete(connection.id);

      expect(await countRows('webhook_events', connection.id)).toBe(0);
      expect(await countRows('webhook_deliveries', connection.id)).toBe(0);
    });
  });

  describe('webhookEvents reads', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    it('get and getDelivery stay within the workspace', async () => {
      const { connection } = await createConnectionFixture(store);
      const { workspace: other } = await createConnectionFixture(store);
      const [event] = await storeEvents(store, connection, [uniqueKey()]);

      expect(await store.webhookEvents.get(other.id, event?.id ?? '')).toBeNull();
      expect(await store.webhookEvents.getDelivery(other.id, event?.deliveryId ?? '')).toBeNull();
      expect(await store.webhookEvents.get(connection.workspaceId, event?.id ?? '')).not.toBeNull();
      expect(await store.webhookEvents.getDelivery(connection.workspaceId, event?.deliveryId ?? '')).not.toBeNull();
    });

    it('get returns null for unknown ids', async () => {
      const { connection } = await createConnectionFixture(store);

      expect(await store.webhookEvents.get(connection.workspaceId, 'whe_missing')).toBeNull();
      expect(await store.webhookEvents.getDelivery(connection.workspaceId, 'whd_missing')).toBeNull();
    });

    it('list pages newest first', async () => {
      const { connection } = await createConnectionFixture(store);
      const stored = await storeEvents(store, connection, Array.from({ length: 7 }, () => uniqueKey()));
      const expected = stored.map((event) => event.id).reverse();

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.webhookEvents.list({ workspaceId: connection.workspaceId, connectionId: connection.id, limit: 3, cursor });
        seen.push(...page.events.map((event) => event.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null);

      expect(seen).toEqual(expected);
      expect(pages).toBe(3);
    });

    it('list leaves out delivery bodies', async () => {
      const { connection } = await createConnectionFixture(store);
      await storeEvents(store, connection, [uniqueKey()]);

      const page = await store.webhookEvents.list({ workspaceId: connection.workspaceId, connectionId: connection.id, limit: 10 });

      expect(page.events).toHaveLength(1);
      expect(page.events[0]).not.toHaveProperty('body');
      expect(page.nextCursor).toBeNull();
    });

    it('list filters by status', async () => {
      const { connection } = await createConnectionFixture(store);
      const [first, second] = await storeEvents(store, connection, [uniqueKey(), uniqueKey()]);
      await store.knex('webhook_events').where({ id: first?.id }).update({ status: 'dead' });

      const dead = await store.webhookEvents.list({ workspaceId: connection.workspaceId, connectionId: connection.id, status: 'dead', limit: 10 });
      const received = await store.webhookEvents.list({ workspaceId: connection.workspaceId, connectionId: connection.id, status: 'received', limit: 10 });

      expect(dead.events.map((event) => event.id)).toEqual([first?.id]);
      expect(received.events.map((event) => event.id)).toEqual([second?.id]);
    });

    it('list stays within the workspace', async () => {
      const { connection } = await createConnectionFixture(store);
      const { workspace: other } = await createConnectionFixture(store);
      await storeEvents(store, connection, [uniqueKey()]);

      const page = await store.webhookEvents.list({ workspaceId: other.id, connectionId: connection.id, limit: 10 });

      expect(page.events).toEqual([]);
    });

    it('list rejects bad arguments', async () => {
      const { connection } = await createConnectionFixture(store);
      const base = { workspaceId: connection.workspaceId, connectionId: connection.id, limit: 10 };

      await expect(store.webhookEvents.list({ ...base, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
      await expect(store.webhookEvents.list({ ...base, cursor: Buffer.from('rec_0000000000000000000000000a').toString('base64url') })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
      await expect(store.webhookEvents.list({ ...base, status: 'done' as 'dead' })).rejects.toMatchObject({ code: 'WEBHOOK_EVENT_STATUS_INVALID', status: 400 });
      await expect(store.webhookEvents.list({ ...base, limit: 0 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      await expect(store.webhookEvents.list({ ...base, limit: 1_001 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
    });

    it('countByStatus counts every status', async () => {
      const { connection } = await createConnectionFixture(store);
      const [first, second] = await storeEvents(store, connection, [uniqueKey(), uniqueKey(), uniqueKey()]);
      await store.knex('webhook_events').where({ id: first?.id }).update({ status: 'processed' });
      await store.knex('webhook_events').where({ id: second?.id }).update({ status: 'dead' });

      const counts = await store.webhookEvents.countByStatus(connection.id);

      expect(counts).toEqual({ received: 1, processing: 0, processed: 1, ignored: 0, failed: 0, dead: 1 });
    });
  });
});
