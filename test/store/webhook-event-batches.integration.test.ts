import { createHash } from 'node:crypto';

import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Connection, Store, StoredWebhookEvent } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';
import { newDelivery, storeEvents, uniqueKey } from './webhook-fixtures.js';

// Batch operations of the webhook event queue: completing a worker's batch in one call,
// and storing deliveries whose bodies are too large for PostgreSQL's one-statement path.

type Completion = Parameters<Store['webhookEvents']['completeMany']>[1][number];

// claimDue reads every connection's events, so each test claims in its own time range.
let timeBase = 5_000_000_000;
function nextTimeRange(): number {
  timeBase += 10_000_000;
  return timeBase;
}

forEachDatabase((database) => {
  describe('webhookEvents.completeMany', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    /** Stores `count` events of a new connection and claims them for `worker-a`. */
    async function claimed(count: number): Promise<{ connection: Connection; events: StoredWebhookEvent[]; time: number }> {
      const { connection } = await createConnectionFixture(store);
      onTestFinished(async () => {
        await store.connections.delete(connection.id);
      });
      const time = nextTimeRange();
      await storeEvents(store, connection, Array.from({ length: count }, () => uniqueKey()), time);
      const events = await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: count, lockMs: 60_000, now: time });
      expect(events).toHaveLength(count);
      return { connection, events, time };
    }

    async function read(connection: Connection, eventId: string): Promise<StoredWebhookEvent> {
      const event = await store.webhookEvents.get(connection.workspaceId, eventId);
      if (!event) throw new Error(`event ${eventId} is missing`);
      return event;
    }

    async function lumioEventsOf(connection: Connection, eventId: string) {
      const page = await store.lumioEvents.list({ workspaceId: connection.workspaceId, sourceEventId: eventId, limit: 10 });
      return page.events.map((lumioEvent) => ({ type: lumioEvent.type, payload: lumioEvent.payload, connectionId: lumioEvent.connectionId }));
    }

    it('completes each event with its outcome', async () => {
      const { connection, events } = await claimed(3);
      const [first, second, third] = events as [StoredWebhookEvent, StoredWebhookEvent, StoredWebhookEvent];
      const before = Date.now();

      const completed = await store.webhookEvents.completeMany('worker-a', [
        { eventId: third.id, outcome: { status: 'ignored', result: { reason: 'no route' } }, lumioEvents: [{ type: 'webhook.received', payload: { n: 3 } }] },
        { eventId: first.id, outcome: { status: 'processed', result: { externalId: '1' } }, lumioEvents: [{ type: 'webhook.received', payload: { n: 1 } }, { type: 'record.created', payload: { externalId: '1' } }] },
        { eventId: second.id, outcome: { status: 'processed', result: null } },
      ]);

      expect(completed).toEqual([third.id, first.id, second.id]);
      expect(await read(connection, first.id)).toMatchObject({ status: 'processed', result: { externalId: '1' }, lockedBy: null, lockedUntil: null, lastErrorCode: null });
      expect(await read(connection, second.id)).toMatchObject({ status: 'processed', result: null });
      expect(await read(connection, third.id)).toMatchObject({ status: 'ignored', result: { reason: 'no route' } });
      const processedAt = (await read(connection, first.id)).processedAt ?? 0;
      expect(processedAt).toBeGreaterThanOrEqual(before);
      expect(processedAt).toBeLessThanOrEqual(Date.now());

      expect((await lumioEventsOf(connection, first.id)).sort((left, right) => left.type.localeCompare(right.type))).toEqual([
        { type: 'record.created', payload: { externalId: '1' }, connectionId: connection.id },
        { type: 'webhook.received', payload: { n: 1 }, connectionId: connection.id },
      ]);
      expect(await lumioEventsOf(connection, second.id)).toEqual([]);
      expect(await lumioEventsOf(connection, third.id)).toEqual([{ type: 'webhook.received', payload: { n: 3 }, connectionId: connection.id }]);
    });

    it('skips events another worker took over', async () => {
      const { connection, events, time } = await claimed(2);
      const [kept, lost] = events as [StoredWebhookEvent, StoredWebhookEvent];
      // Expire worker-a's locks, then let worker-b take over one event.
      await store.knex('webhook_events').where({ id: lost.id }).update({ locked_until: time });
      expect((await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 10, lockMs: 60_000, now: time + 1 })).map((event) => event.id)).toEqual([lost.id]);

      const completed = await store.webhookEvents.completeMany('worker-a', [
        { eventId: kept.id, outcome: { status: 'processed', result: { by: 'a' } }, lumioEvents: [{ type: 'webhook.received', payload: {} }] },
        { eventId: lost.id, outcome: { status: 'processed', result: { by: 'a' } }, lumioEvents: [{ type: 'webhook.received', payload: {} }] },
      ]);

      expect(completed).toEqual([kept.id]);
      expect(await read(connection, lost.id)).toMatchObject({ status: 'processing', lockedBy: 'worker-b', result: null });
      expect(await store.lumioEvents.countBySource(lost.id)).toBe(0);
      expect(await store.lumioEvents.countBySource(kept.id)).toBe(1);
    });

    it('skips unknown and finished events', async () => {
      const { events } = await claimed(1);
      const [event] = events as [StoredWebhookEvent];
      await store.webhookEvents.complete(event.id, 'worker-a', { status: 'processed', result: { run: 1 } });

      const completed = await store.webhookEvents.completeMany('worker-a', [
        { eventId: event.id, outcome: { status: 'ignored', result: { run: 2 } } },
        { eventId: 'whe_00000000000000000000000000', outcome: { status: 'processed', result: null } },
      ]);

      expect(completed).toEqual([]);
    });

    it('emits each Lumio event type once per event', async () => {
      const { connection, events, time } = await claimed(1);
      const [event] = events as [StoredWebhookEvent];
      await store.webhookEvents.completeMany('worker-a', [{ eventId: event.id, outcome: { status: 'processed', result: null }, lumioEvents: [{ type: 'record.updated', payload: { run: 1 } }] }]);
      await store.webhookEvents.replay(connection.workspaceId, connection.id, [event.id], time + 1);
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 60_000, now: time + 1 });

      const completed = await store.webhookEvents.completeMany('worker-a', [
        { eventId: event.id, outcome: { status: 'processed', result: null }, lumioEvents: [{ type: 'record.updated', payload: { run: 2 } }, { type: 'record.deleted', payload: { run: 2 } }] },
      ]);

      expect(completed).toEqual([event.id]);
      expect((await lumioEventsOf(connection, event.id)).map((lumioEvent) => [lumioEvent.type, lumioEvent.payload]).sort()).toEqual([
        ['record.deleted', { run: 2 }],
        ['record.updated', { run: 1 }],
      ]);
    });

    it('completes nothing of a batch with a bad completion', async () => {
      const { connection, events } = await claimed(2);
      const [good, bad] = events as [StoredWebhookEvent, StoredWebhookEvent];
      const badCompletions: Array<[Completion, string]> = [
        [{ eventId: bad.id, outcome: { status: 'dead' as 'processed', result: null } }, 'WEBHOOK_OUTCOME_INVALID'],
        [{ eventId: bad.id, outcome: { status: 'processed', result: null }, lumioEvents: [{ type: '', payload: {} }] }, 'LUMIO_EVENT_INVALID'],
        [{ eventId: '', outcome: { status: 'processed', result: null } }, 'WEBHOOK_EVENT_ID_INVALID'],
      ];

      for (const [completion, code] of badCompletions) {
        await expect(store.webhookEvents.completeMany('worker-a', [{ eventId: good.id, outcome: { status: 'processed', result: null } }, completion])).rejects.toMatchObject({ code, status: 500 });
      }
      expect((await read(connection, good.id)).status).toBe('processing');
    });

    it('returns nothing for no completions', async () => {
      expect(await store.webhookEvents.completeMany('worker-a', [])).toEqual([]);
    });

    it('completes a batch of 300', async () => {
      const { connection, events } = await claimed(300);

      const completed = await store.webhookEvents.completeMany(
        'worker-a',
        events.map((event, index) => ({ eventId: event.id, outcome: { status: 'processed', result: { index } }, lumioEvents: [{ type: 'webhook.received', payload: { index } }] })),
      );

      expect(completed).toEqual(events.map((event) => event.id));
      expect((await store.webhookEvents.countByStatus(connection.id)).processed).toBe(300);
      expect(await store.lumioEvents.countBySource(events[299]!.id)).toBe(1);
    });
  });

  describe('webhookEvents.insertDeliveries with large bodies', () => {
    let store: Store;
    let connection: Connection;

    beforeAll(async () => {
      store = await database.openStore();
      ({ connection } = await createConnectionFixture(store));
    });

    it('stores bodies over 4 MiB in total, byte for byte', async () => {
      // Five bodies of 1 MiB are more than PostgreSQL's one-statement path takes.
      const bodies = Array.from({ length: 5 }, (_, index) => Buffer.alloc(1024 * 1024, index + 1));
      const keys = bodies.map(() => uniqueKey('large'));
      const deliveries = bodies.map((body, index) => newDelivery(connection, [keys[index]!], { body }));
      deliveries.push(newDelivery(connection, [keys[0]!], { body: Buffer.from('repeat') }));

      const results = await store.webhookEvents.insertDeliveries(deliveries);

      expect(results.slice(0, 5).map((result) => result.inserted.map((item) => item.dedupKey))).toEqual(keys.map((key) => [key]));
      expect(results[5]).toEqual({ deliveryId: null, inserted: [], duplicates: [{ dedupKey: keys[0], existingId: results[0]?.inserted[0]?.id }] });
      for (const [index, result] of results.slice(0, 5).entries()) {
        const stored = await store.webhookEvents.getDelivery(connection.workspaceId, result.deliveryId ?? '');
        expect(stored?.body.equals(bodies[index]!)).toBe(true);
        expect(stored?.bodySha256).toBe(createHash('sha256').update(bodies[index]!).digest('hex'));
        expect(stored?.eventCount).toBe(1);
      }
    });
  });
});
