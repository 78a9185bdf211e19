import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { MAX_ERROR_MESSAGE_LENGTH, type Connection, type Store, type StoredWebhookEvent } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';
import { storeEvents, uniqueKey } from './webhook-fixtures.js';

// Each test uses its own connection, but claimDue reads every connection's events, so
// tests claim with times that only their own events can match: each test takes a
// separate range of receivedAt values far from the other tests'.
let timeBase = 10_000_000;
function nextTimeRange(): number {
  timeBase += 10_000_000;
  return timeBase;
}

forEachDatabase((database) => {
  describe('webhookEvents queue', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    /**
     * Creates a connection whose events are deleted after the test, because events a test
     * leaves due would be claimed by later tests.
     */
    async function freshConnection(): Promise<Connection> {
      const { connection } = await createConnectionFixture(store);
      onTestFinished(async () => {
        await store.connections.delete(connection.id);
      });
      return connection;
    }

    async function setUp(count: number): Promise<{ connection: Connection; events: StoredWebhookEvent[]; time: number }> {
      const connection = await freshConnection();
      const time = nextTimeRange();
      const events = await storeEvents(store, connection, Array.from({ length: count }, () => uniqueKey()), time);
      return { connection, events, time };
    }

    async function read(connection: Connection, eventId: string): Promise<StoredWebhookEvent> {
      const event = await store.webhookEvents.get(connection.workspaceId, eventId);
      if (!event) {
        throw new Error(`event ${eventId} is missing`);
      }
      return event;
    }

    it('claimDue takes due events oldest first', async () => {
      const connection = await freshConnection();
      const time = nextTimeRange();
      const late = await storeEvents(store, connection, [uniqueKey()], time + 50);
      const early = await storeEvents(store, connection, [uniqueKey()], time + 10);
      const future = await storeEvents(store, connection, [uniqueKey()], time + 1_000);

      const claimed = await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time + 100 });

      expect(claimed.map((event) => event.id)).toEqual([early[0]?.id, late[0]?.id]);
      for (const event of claimed) {
        expect(event.status).toBe('processing');
        expect(event.lockedBy).toBe('worker-a');
        expect(event.lockedUntil).toBe(time + 100 + 30_000);
        expect(event.attempts).toBe(1);
      }
      expect((await read(connection, future[0]?.id ?? '')).status).toBe('received');
    });

    it('claimDue respects the limit', async () => {
      const { events, time } = await setUp(5);

      const first = await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 2, lockMs: 30_000, now: time });
      const second = await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 2, lockMs: 30_000, now: time });
      const third = await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 2, lockMs: 30_000, now: time });

      expect(first).toHaveLength(2);
      expect(second).toHaveLength(2);
      expect(third).toHaveLength(1);
      const claimedIds = [...first, ...second, ...third].map((event) => event.id).sort();
      expect(claimedIds).toEqual(events.map((event) => event.id).sort());
    });

    it('claimDue skips events under a live lock', async () => {
      const { time } = await setUp(1);
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });

      const again = await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 10, lockMs: 30_000, now: time + 30_000 });

      expect(again).toEqual([]);
    });

    it('claimDue takes over stalled events', async () => {
      const { events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 1_000, now: time });

      const taken = await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 10, lockMs: 5_000, now: time + 1_001 });

      expect(taken.map((event) => event.id)).toEqual([eventId]);
      expect(taken[0]).toMatchObject({ status: 'processing', lockedBy: 'worker-b', lockedUntil: time + 1_001 + 5_000, attempts: 2 });
    });

    it('claimDue takes stalled events first', async () => {
      const connection = await freshConnection();
      const time = nextTimeRange();
      const [stalled] = await storeEvents(store, connection, [uniqueKey()], time);
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 1, lockMs: 1_000, now: time });
      const [due] = await storeEvents(store, connection, [uniqueKey()], time);

      const first = await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 1, lockMs: 60_000, now: time + 1_001 });
      const second = await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 1, lockMs: 60_000, now: time + 1_001 });

      expect(first.map((event) => event.id)).toEqual([stalled?.id]);
      expect(second.map((event) => event.id)).toEqual([due?.id]);
    });

    it('claimDue leaves a lock that expires at now', async () => {
      const { events, time } = await setUp(1);
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 1, lockMs: 1_000, now: time });

      expect(await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 1, lockMs: 1_000, now: time + 1_000 })).toEqual([]);
      expect((await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 1, lockMs: 1_000, now: time + 1_001 })).map((event) => event.id)).toEqual([events[0]?.id]);
    });

    it('complete is fenced after a takeover', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 1_000, now: time });
      await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 10, lockMs: 5_000, now: time + 1_001 });

      const lateComplete = await store.webhookEvents.complete(eventId, 'worker-a', { status: 'processed', result: { by: 'a' } }, [{ type: 'contact.updated', payload: { by: 'a' } }]);
      const lateFail = await store.webhookEvents.fail(eventId, 'worker-a', { code: 'LATE', message: 'late', nextAttemptAt: null });

      expect(lateComplete).toBe(false);
      expect(lateFail).toBe(false);
      expect(await read(connection, eventId)).toMatchObject({ status: 'processing', lockedBy: 'worker-b', result: null, lastErrorCode: null });
      expect(await store.lumioEvents.countBySource(eventId)).toBe(0);

      expect(await store.webhookEvents.complete(eventId, 'worker-b', { status: 'processed', result: { by: 'b' } })).toBe(true);
      expect((await read(connection, eventId)).result).toEqual({ by: 'b' });
    });

    it('complete marks processed and emits Lumio events', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });

      const before = Date.now();
      const completed = await store.webhookEvents.complete(eventId, 'worker-a', { status: 'processed', result: { updated: 1 } }, [
        { type: 'webhook.received', payload: { eventId } },
        { type: 'contact.updated', payload: { externalId: '42' } },
      ]);

      expect(completed).toBe(true);
      const event = await read(connection, eventId);
      expect(event).toMatchObject({ status: 'processed', result: { updated: 1 }, lockedBy: null, lockedUntil: null, attempts: 1 });
      expect(event.processedAt).toBeGreaterThanOrEqual(before);
      expect(event.processedAt).toBeLessThanOrEqual(Date.now());

      const page = await store.lumioEvents.list({ workspaceId: connection.workspaceId, sourceEventId: eventId, limit: 10 });
      expect(page.events.map((lumioEvent) => lumioEvent.type).sort()).toEqual(['contact.updated', 'webhook.received']);
      for (const lumioEvent of page.events) {
        expect(lumioEvent.id).toMatch(/^evt_[0-9a-z]{26}$/);
        expect(lumioEvent.workspaceId).toBe(connection.workspaceId);
        expect(lumioEvent.connectionId).toBe(connection.id);
        expect(lumioEvent.sourceEventId).toBe(eventId);
      }
      expect(page.events.find((lumioEvent) => lumioEvent.type === 'contact.updated')?.payload).toEqual({ externalId: '42' });
    });

    it('complete marks ignored', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });

      expect(await store.webhookEvents.complete(eventId, 'worker-a', { status: 'ignored', result: { reason: 'no route' } })).toBe(true);

      expect(await read(connection, eventId)).toMatchObject({ status: 'ignored', result: { reason: 'no route' } });
      expect(await store.lumioEvents.countBySource(eventId)).toBe(0);
    });

    it('complete works only once', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });
      await store.webhookEvents.complete(eventId, 'worker-a', { status: 'processed', result: { run: 1 } });

      const second = await store.webhookEvents.complete(eventId, 'worker-a', { status: 'ignored', result: { run: 2 } });

      expect(second).toBe(false);
      expect(await read(connection, eventId)).toMatchObject({ status: 'processed', result: { run: 1 } });
    });

    it('complete needs a claim', async () => {
      const { connection, events } = await setUp(1);
      const eventId = events[0]?.id ?? '';

      expect(await store.webhookEvents.complete(eventId, 'worker-a', { status: 'processed', result: null })).toBe(false);
      expect(await store.webhookEvents.fail(eventId, 'worker-a', { code: 'X', message: 'x', nextAttemptAt: null })).toBe(false);
      expect((await read(connection, eventId)).status).toBe('received');
    });

    it('complete rejects bad arguments', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });

      await expect(store.webhookEvents.complete(eventId, 'worker-a', { status: 'failed' as 'processed', result: null })).rejects.toMatchObject({ code: 'WEBHOOK_OUTCOME_INVALID' });
      await expect(store.webhookEvents.complete(eventId, 'worker-a', { status: 'processed', result: null }, [{ type: '', payload: {} }])).rejects.toMatchObject({ code: 'LUMIO_EVENT_INVALID' });
      expect((await read(connection, eventId)).status).toBe('processing');
    });

    it('replayed events emit each Lumio event type once', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });
      await store.webhookEvents.complete(eventId, 'worker-a', { status: 'processed', result: null }, [{ type: 'contact.updated', payload: { run: 1 } }]);

      expect(await store.webhookEvents.replay(connection.workspaceId, connection.id, [eventId], time + 1)).toBe(1);
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time + 1 });
      const completed = await store.webhookEvents.complete(eventId, 'worker-a', { status: 'processed', result: null }, [
        { type: 'contact.updated', payload: { run: 2 } },
        { type: 'contact.created', payload: { run: 2 } },
      ]);

      expect(completed).toBe(true);
      expect(await store.lumioEvents.countBySource(eventId)).toBe(2);
      const updated = await store.lumioEvents.list({ workspaceId: connection.workspaceId, sourceEventId: eventId, type: 'contact.updated', limit: 10 });
      expect(updated.events.map((lumioEvent) => lumioEvent.payload)).toEqual([{ run: 1 }]);
    });

    it('fail schedules a retry', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });

      const failed = await store.webhookEvents.fail(eventId, 'worker-a', { code: 'PROVIDER_UNAVAILABLE', message: 'HubSpot answered 503.', nextAttemptAt: time + 60_000 });

      expect(failed).toBe(true);
      expect(await read(connection, eventId)).toMatchObject({
        status: 'failed',
        nextAttemptAt: time + 60_000,
        lastErrorCode: 'PROVIDER_UNAVAILABLE',
        lastErrorMessage: 'HubSpot answered 503.',
        lockedBy: null,
        lockedUntil: null,
      });
      expect(await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time + 59_999 })).toEqual([]);
      const retried = await store.webhookEvents.claimDue({ workerId: 'worker-b', limit: 10, lockMs: 30_000, now: time + 60_000 });
      expect(retried.map((event) => event.id)).toEqual([eventId]);
      expect(retried[0]?.attempts).toBe(2);
      expect(retried[0]?.lastErrorCode).toBe('PROVIDER_UNAVAILABLE');

      expect(await store.webhookEvents.complete(eventId, 'worker-b', { status: 'processed', result: null })).toBe(true);
      expect(await read(connection, eventId)).toMatchObject({ status: 'processed', lastErrorCode: null, lastErrorMessage: null });
    });

    it('fail without a retry marks dead', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });

      expect(await store.webhookEvents.fail(eventId, 'worker-a', { code: 'MAPPING_FAILED', message: 'x'.repeat(MAX_ERROR_MESSAGE_LENGTH + 50), nextAttemptAt: null })).toBe(true);

      const event = await read(connection, eventId);
      expect(event.status).toBe('dead');
      expect(event.lastErrorMessage).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
      expect(await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time + 10 ** 9 })).toEqual([]);
    });

    it('fail rejects bad arguments', async () => {
      const { connection, events, time } = await setUp(1);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });

      await expect(store.webhookEvents.fail(eventId, 'worker-a', { code: '', message: 'x', nextAttemptAt: null })).rejects.toMatchObject({ code: 'WEBHOOK_ERROR_CODE_INVALID' });
      await expect(store.webhookEvents.fail(eventId, 'worker-a', { code: 'X', message: 'x', nextAttemptAt: Number.NaN })).rejects.toMatchObject({ code: 'WEBHOOK_TIME_INVALID' });
      expect((await read(connection, eventId)).status).toBe('processing');
    });

    it('claimDue rejects bad arguments', async () => {
      const base = { workerId: 'worker-a', limit: 10, lockMs: 1_000, now: 1 };

      await expect(store.webhookEvents.claimDue({ ...base, workerId: '' })).rejects.toMatchObject({ code: 'WEBHOOK_WORKER_ID_INVALID' });
      await expect(store.webhookEvents.claimDue({ ...base, limit: 0 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      await expect(store.webhookEvents.claimDue({ ...base, limit: 1_001 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      await expect(store.webhookEvents.claimDue({ ...base, lockMs: 0 })).rejects.toMatchObject({ code: 'WEBHOOK_LOCK_INVALID' });
      await expect(store.webhookEvents.claimDue({ ...base, now: 1.5 })).rejects.toMatchObject({ code: 'WEBHOOK_TIME_INVALID' });
    });

    it('replay resets selected events', async () => {
      const { connection, events, time } = await setUp(3);
      const [dead, processing, untouched] = events.map((event) => event.id);
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });
      await store.webhookEvents.fail(dead ?? '', 'worker-a', { code: 'MAPPING_FAILED', message: 'bad mapping', nextAttemptAt: null });
      await store.webhookEvents.fail(untouched ?? '', 'worker-a', { code: 'PROVIDER_UNAVAILABLE', message: 'later', nextAttemptAt: time + 10 ** 8 });

      const replayed = await store.webhookEvents.replay(connection.workspaceId, connection.id, [dead ?? '', processing ?? ''], time + 5);

      expect(replayed).toBe(1);
      expect(await read(connection, dead ?? '')).toMatchObject({
        status: 'received',
        attempts: 0,
        nextAttemptAt: time + 5,
        lastErrorCode: null,
        lastErrorMessage: null,
        lockedBy: null,
        lockedUntil: null,
        result: null,
        processedAt: null,
      });
      expect(await read(connection, processing ?? '')).toMatchObject({ status: 'processing', lockedBy: 'worker-a' });
      expect(await read(connection, untouched ?? '')).toMatchObject({ status: 'failed', lastErrorCode: 'PROVIDER_UNAVAILABLE' });
    });

    it('replay selects by status', async () => {
      const { connection, events, time } = await setUp(3);
      const [dead, failed, processed] = events.map((event) => event.id);
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });
      await store.webhookEvents.fail(dead ?? '', 'worker-a', { code: 'X', message: 'x', nextAttemptAt: null });
      await store.webhookEvents.fail(failed ?? '', 'worker-a', { code: 'Y', message: 'y', nextAttemptAt: time + 10 ** 8 });
      await store.webhookEvents.complete(processed ?? '', 'worker-a', { status: 'processed', result: { ok: true } });

      expect(await store.webhookEvents.replay(connection.workspaceId, connection.id, { status: 'dead' }, time)).toBe(1);
      expect(await store.webhookEvents.replay(connection.workspaceId, connection.id, { status: 'failed' }, time)).toBe(1);

      expect((await read(connection, dead ?? '')).status).toBe('received');
      expect((await read(connection, failed ?? '')).status).toBe('received');
      expect((await read(connection, processed ?? '')).status).toBe('processed');
      await expect(store.webhookEvents.replay(connection.workspaceId, connection.id, { status: 'processed' as 'dead' })).rejects.toMatchObject({ code: 'WEBHOOK_REPLAY_STATUS_INVALID' });
    });

    it('replay stays within the workspace and connection', async () => {
      const { connection, events, time } = await setUp(1);
      const { connection: other } = await createConnectionFixture(store);
      const eventId = events[0]?.id ?? '';
      await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 10, lockMs: 30_000, now: time });
      await store.webhookEvents.fail(eventId, 'worker-a', { code: 'X', message: 'x', nextAttemptAt: null });

      expect(await store.webhookEvents.replay(other.workspaceId, connection.id, [eventId])).toBe(0);
      expect(await store.webhookEvents.replay(other.workspaceId, other.id, [eventId])).toBe(0);
      expect(await store.webhookEvents.replay(connection.workspaceId, other.id, { status: 'dead' })).toBe(0);
      expect((await read(connection, eventId)).status).toBe('dead');
      expect(await store.webhookEvents.replay(connection.workspaceId, connection.id, [])).toBe(0);
    });

    it('purgeOlderThan keeps unfinished events', async () => {
      const connection = await freshConnection();
      const time = nextTimeRange();
      const statuses = ['received', 'processing', 'failed', 'processed', 'ignored', 'dead'] as const;
      const old = await storeEvents(store, connection, statuses.map(() => uniqueKey('old')), time);
      const recent = await storeEvents(store, connection, [uniqueKey('recent')], time + 1_000);
      for (const [index, status] of statuses.entries()) {
        await store.knex('webhook_events').where({ id: old[index]?.id }).update({ status, locked_by: status === 'processing' ? 'worker-a' : null, locked_until: status === 'processing' ? time : null });
      }
      await store.knex('webhook_events').where({ id: recent[0]?.id }).update({ status: 'processed' });

      const purged = await store.webhookEvents.purgeOlderThan(time + 1_000);

      expect(purged).toBe(3);
      const remaining = await store.webhookEvents.list({ workspaceId: connection.workspaceId, connectionId: connection.id, limit: 100 });
      expect(remaining.events.map((event) => event.status).sort()).toEqual(['failed', 'processed', 'processing', 'received']);
      for (const [index, status] of statuses.entries()) {
        const delivery = await store.webhookEvents.getDelivery(connection.workspaceId, old[index]?.deliveryId ?? '');
        expect(delivery === null, `delivery of the ${status} event`).toBe(['processed', 'ignored', 'dead'].includes(status));
      }
    });

    it('purgeOlderThan keeps a delivery with a remaining event', async () => {
      const connection = await freshConnection();
      const time = nextTimeRange();
      const [result] = await store.webhookEvents.insertDeliveries([
        {
          workspaceId: connection.workspaceId,
          connectionId: connection.id,
          connectorId: connection.connectorId,
          receivedAt: time,
          method: 'POST',
          contentType: 'application/json',
          headers: {},
          body: Buffer.from('[1,2]'),
          events: [
            { dedupKey: uniqueKey(), payload: 1 },
            { dedupKey: uniqueKey(), payload: 2 },
          ],
        },
      ]);
      const [done, pending] = result?.inserted.map((item) => item.id) ?? [];
      await store.knex('webhook_events').where({ id: done }).update({ status: 'processed' });

      expect(await store.webhookEvents.purgeOlderThan(time + 1)).toBe(1);

      expect(await store.webhookEvents.get(connection.workspaceId, done ?? '')).toBeNull();
      expect(await store.webhookEvents.get(connection.workspaceId, pending ?? '')).not.toBeNull();
      expect(await store.webhookEvents.getDelivery(connection.workspaceId, result?.deliveryId ?? '')).not.toBeNull();

      await store.knex('webhook_events').where({ id: pending }).update({ status: 'ignored' });
      expect(await store.webhookEvents.purgeOlderThan(time + 1)).toBe(1);
      expect(await store.webhookEvents.getDelivery(connection.workspaceId, result?.deliveryId ?? '')).toBeNull();
    });

    it('purgeOlderThan deletes in several batches', async () => {
      const connection = await freshConnection();
      const time = nextTimeRange();
      await storeEvents(store, connection, Array.from({ length: 2_150 }, () => uniqueKey()), time);
      await store.knex('webhook_events').where({ connection_id: connection.id }).update({ status: 'dead' });

      expect(await store.webhookEvents.purgeOlderThan(time + 1)).toBe(2_150);

      expect(await store.webhookEvents.countByStatus(connection.id)).toMatchObject({ dead: 0 });
      const deliveries = await store.knex('webhook_deliveries').where({ connection_id: connection.id }).count<{ count: unknown }[]>({ count: '*' }).first();
      expect(Number(deliveries?.count)).toBe(0);
    });

    it('purgeOlderThan rejects a bad cutoff', async () => {
      await expect(store.webhookEvents.purgeOlderThan(Number.NaN)).rejects.toMatchObject({ code: 'WEBHOOK_TIME_INVALID' });
    });

    it('concurrent claims never share an event', async () => {
      const second = await database.openStore();
      const connection = await freshConnection();
      const time = nextTimeRange();
      const events = await storeEvents(store, connection, Array.from({ length: 400 }, () => uniqueKey()), time);

      // Four loops per store, each claiming small batches until nothing is left.
      const claimed: string[][] = [];
      const loops = [store, second, store, second, store, second, store, second].map(async (claimer, index) => {
        const mine: string[] = [];
        claimed.push(mine);
        for (let round = 0; round < 500; round += 1) {
          const batch = await claimer.webhookEvents.claimDue({ workerId: `worker-${index}`, limit: 7, lockMs: 60_000, now: time });
          if (batch.length === 0) {
            return;
          }
          mine.push(...batch.map((event) => event.id));
        }
      });
      await Promise.all(loops);

      const all = claimed.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(events.map((event) => event.id).sort());
      expect(claimed.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
    });
  });
});
