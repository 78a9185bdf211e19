import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';

import { createTimeOrderedId, MAX_SUBSCRIPTIONS_PER_WORKSPACE, type LumioEvent, type Store, type StoredEventSubscription } from '../../platform/src/store/index.js';
import { forEachDatabase } from '../store/databases.js';

const ENVELOPE = { keyId: 'key-1', nonce: 'bm9uY2Utbm9uY2U=', ciphertext: 'Y2lwaGVydGV4dA==', authTag: 'dGFnLXRhZy10YWctdGFn' };
const LOCK_MS = 30_000;

// claimDue reads every workspace's deliveries, so each test deletes its subscriptions (and
// with them its deliveries) when it ends, and uses its own range of times.
let timeBase = 1_000_000_000;
function nextTimeRange(): number {
  timeBase += 10_000_000;
  return timeBase;
}

forEachDatabase((database) => {
  describe('event subscriptions and deliveries store', () => {
    let store: Store;
    let sequence = 0;

    beforeAll(async () => {
      store = await database.openStore();
    });

    async function workspace(): Promise<string> {
      sequence += 1;
      return (await store.workspaces.create({ name: `Events ${sequence}` })).id;
    }

    async function subscribe(workspaceId: string, events: string[] = ['*']): Promise<StoredEventSubscription> {
      const subscription = await store.eventSubscriptions.create({ id: createTimeOrderedId('sub'), workspaceId, url: 'https://hooks.example.com/lumio', events, secret: ENVELOPE });
      onTestFinished(async () => {
        await store.eventSubscriptions.delete(workspaceId, subscription.id);
      });
      return subscription;
    }

    async function append(workspaceId: string, count: number, type = 'sync.completed'): Promise<LumioEvent[]> {
      const events: LumioEvent[] = [];
      for (let index = 0; index < count; index += 1) events.push(await store.lumioEvents.append({ workspaceId, type, payload: { index } }));
      return events;
    }

    /** Subscribes, appends `count` events and fans them out at `now`. */
    async function deliveriesAt(count: number, now: number) {
      const workspaceId = await workspace();
      const subscription = await subscribe(workspaceId);
      const events = await append(workspaceId, count);
      const pending = await store.eventDeliveries.pendingEvents(workspaceId, 1_000);
      await store.eventDeliveries.fanOut(workspaceId, pending.map((event) => ({ subscriptionId: subscription.id, eventId: event.id, eventType: event.type })), pending.at(-1)?.id ?? '', now);
      return { workspaceId, subscription, events };
    }

    it('subscriptions stay within their workspace', async () => {
      const owner = await workspace();
      const other = await workspace();
      const subscription = await subscribe(owner, ['record.*']);

      expect((await store.eventSubscriptions.list(owner)).map((item) => item.id)).toEqual([subscription.id]);
      expect(await store.eventSubscriptions.list(other)).toEqual([]);
      expect(await store.eventSubscriptions.get(other, subscription.id)).toBeNull();
      expect(await store.eventSubscriptions.delete(other, subscription.id)).toBe(false);
      expect(await store.eventSubscriptions.get(owner, subscription.id)).toEqual(subscription);
      expect(await store.eventSubscriptions.delete(owner, subscription.id)).toBe(true);
      expect(await store.eventSubscriptions.findById(subscription.id)).toBeNull();
    });

    it('create keeps events and the secret envelope', async () => {
      const subscription = await subscribe(await workspace(), ['sync.failed', 'record.*']);

      const read = await store.eventSubscriptions.findById(subscription.id);

      expect(read?.events).toEqual(['sync.failed', 'record.*']);
      expect(read?.secret).toEqual(ENVELOPE);
      expect(read?.createdAt).toBeGreaterThan(Date.now() - 60_000);
    });

    it('create rejects an unknown workspace', async () => {
      await expect(store.eventSubscriptions.create({ id: createTimeOrderedId('sub'), workspaceId: 'ws_missing', url: 'https://hooks.example.com', events: ['*'], secret: ENVELOPE })).rejects.toMatchObject({
        code: 'WORKSPACE_NOT_FOUND',
        status: 404,
      });
    });

    it('create rejects more than the maximum', async () => {
      const workspaceId = await workspace();
      for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_WORKSPACE; index += 1) await subscribe(workspaceId);

      await expect(subscribe(workspaceId)).rejects.toMatchObject({ code: 'EVENT_SUBSCRIPTION_LIMIT', status: 409 });
    });

    it('first subscription skips older events', async () => {
      const workspaceId = await workspace();
      await append(workspaceId, 3);
      await subscribe(workspaceId);
      const [newer] = await append(workspaceId, 1);

      const pending = await store.eventDeliveries.pendingEvents(workspaceId, 100);

      expect(pending.map((event) => event.id)).toEqual([newer?.id]);
    });

    it('later subscriptions keep the cursor', async () => {
      const workspaceId = await workspace();
      await subscribe(workspaceId);
      const events = await append(workspaceId, 2);
      await subscribe(workspaceId);

      const pending = await store.eventDeliveries.pendingEvents(workspaceId, 100);

      expect(pending.map((event) => event.id)).toEqual(events.map((event) => event.id));
    });

    it('fanOut twice creates each delivery once', async () => {
      const now = nextTimeRange();
      const { workspaceId, subscription, events } = await deliveriesAt(3, now);
      const again = events.map((event) => ({ subscriptionId: subscription.id, eventId: event.id, eventType: event.type }));

      await store.eventDeliveries.fanOut(workspaceId, again, events.at(-1)?.id ?? '', now);
      const page = await store.eventDeliveries.list({ workspaceId, subscriptionId: subscription.id, limit: 100 });

      expect(page.deliveries).toHaveLength(3);
      expect(page.deliveries.map((delivery) => delivery.eventId).sort()).toEqual(events.map((event) => event.id).sort());
      expect(page.deliveries.every((delivery) => delivery.status === 'pending' && delivery.nextAttemptAt === now && /^msg_/.test(delivery.id))).toBe(true);
      expect(await store.eventDeliveries.pendingEvents(workspaceId, 100)).toEqual([]);
    });

    it('cursor never moves back', async () => {
      const workspaceId = await workspace();
      await subscribe(workspaceId);
      const [first, second] = await append(workspaceId, 2);

      await store.eventDeliveries.fanOut(workspaceId, [], second?.id ?? '', Date.now());
      await store.eventDeliveries.fanOut(workspaceId, [], first?.id ?? '', Date.now());

      expect(await store.eventDeliveries.pendingEvents(workspaceId, 100)).toEqual([]);
    });

    it('claimDue takes due deliveries with their events', async () => {
      const now = nextTimeRange();
      const { events } = await deliveriesAt(2, now);

      const early = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 10, lockMs: LOCK_MS, now: now - 1 });
      const claimed = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 10, lockMs: LOCK_MS, now });
      const again = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-b', limit: 10, lockMs: LOCK_MS, now });

      expect(early).toEqual([]);
      expect(claimed.map((delivery) => delivery.event.id).sort()).toEqual(events.map((event) => event.id).sort());
      for (const delivery of claimed) {
        expect(delivery.status).toBe('sending');
        expect(delivery.lockedBy).toBe('dispatcher-a');
        expect(delivery.lockedUntil).toBe(now + LOCK_MS);
        expect(delivery.attempts).toBe(1);
        expect(delivery.totalAttempts).toBe(1);
        expect(delivery.event.payload).toEqual(events.find((event) => event.id === delivery.eventId)?.payload);
      }
      expect(again).toEqual([]);
    });

    it('claimDue takes over expired locks', async () => {
      const now = nextTimeRange();
      await deliveriesAt(1, now);
      const [first] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 10, lockMs: LOCK_MS, now });

      const beforeExpiry = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-b', limit: 10, lockMs: LOCK_MS, now: now + LOCK_MS });
      const [takenOver] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-b', limit: 10, lockMs: LOCK_MS, now: now + LOCK_MS + 1 });

      expect(beforeExpiry).toEqual([]);
      expect(takenOver?.id).toBe(first?.id);
      expect(takenOver?.lockedBy).toBe('dispatcher-b');
      expect(takenOver?.attempts).toBe(2);
      expect(await store.eventDeliveries.recordSuccess(first?.id ?? '', 'dispatcher-a', { attemptedAt: now, durationMs: 5, statusCode: 200, errorCode: null, errorMessage: null, responseExcerpt: null })).toBe(false);
    });

    it('concurrent claims never overlap', async () => {
      const now = nextTimeRange();
      const { events } = await deliveriesAt(60, now);
      const second = await database.openStore();

      const claimAll = async (claimer: Store, dispatcherId: string) => {
        const ids: string[] = [];
        for (;;) {
          const batch = await claimer.eventDeliveries.claimDue({ dispatcherId, limit: 7, lockMs: LOCK_MS, now });
          if (batch.length === 0) return ids;
          ids.push(...batch.map((delivery) => delivery.id));
        }
      };
      const [fromFirst, fromSecond] = await Promise.all([claimAll(store, 'dispatcher-a'), claimAll(second, 'dispatcher-b')]);

      const all = [...fromFirst, ...fromSecond];
      expect(all).toHaveLength(events.length);
      expect(new Set(all).size).toBe(events.length);
    });

    it('recordSuccess logs the attempt', async () => {
      const now = nextTimeRange();
      await deliveriesAt(1, now);
      const [claimed] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now });
      const id = claimed?.id ?? '';

      const byOther = await store.eventDeliveries.recordSuccess(id, 'dispatcher-b', { attemptedAt: now, durationMs: 12, statusCode: 200, errorCode: null, errorMessage: null, responseExcerpt: 'ok' });
      const byOwner = await store.eventDeliveries.recordSuccess(id, 'dispatcher-a', { attemptedAt: now, durationMs: 12, statusCode: 200, errorCode: null, errorMessage: null, responseExcerpt: 'ok' });
      const delivery = await store.eventDeliveries.get(claimed?.workspaceId ?? '', id);
      const attempts = await store.eventDeliveries.listAttempts([id]);

      expect(byOther).toBe(false);
      expect(byOwner).toBe(true);
      expect(delivery).toMatchObject({ status: 'succeeded', lastStatusCode: 200, succeededAt: now + 12, lockedBy: null, lockedUntil: null, lastAttemptAt: now });
      expect(attempts.get(id)).toEqual([{ number: 1, attemptedAt: now, durationMs: 12, statusCode: 200, errorCode: null, errorMessage: null, responseExcerpt: 'ok' }]);
    });

    it('recordFailure schedules a retry or gives up', async () => {
      const now = nextTimeRange();
      await deliveriesAt(1, now);
      const failure = { attemptedAt: now, durationMs: 3, statusCode: 500, errorCode: 'SUBSCRIBER_REJECTED', errorMessage: 'HTTP 500', responseExcerpt: 'boom' };

      const [first] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now });
      expect(await store.eventDeliveries.recordFailure(first?.id ?? '', 'dispatcher-a', { ...failure, nextAttemptAt: now + 5_000 })).toBe(true);
      const retrying = await store.eventDeliveries.get(first?.workspaceId ?? '', first?.id ?? '');
      const tooEarly = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now: now + 4_999 });
      const [second] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now: now + 5_000 });
      expect(await store.eventDeliveries.recordFailure(second?.id ?? '', 'dispatcher-a', { ...failure, statusCode: null, errorCode: 'SUBSCRIBER_TIMEOUT', nextAttemptAt: null })).toBe(true);
      const dead = await store.eventDeliveries.get(first?.workspaceId ?? '', first?.id ?? '');

      expect(retrying).toMatchObject({ status: 'failed', nextAttemptAt: now + 5_000, lastStatusCode: 500, lastErrorCode: 'SUBSCRIBER_REJECTED', lastErrorMessage: 'HTTP 500' });
      expect(tooEarly).toEqual([]);
      expect(second?.id).toBe(first?.id);
      expect(dead).toMatchObject({ status: 'dead', attempts: 2, lastStatusCode: null, lastErrorCode: 'SUBSCRIBER_TIMEOUT' });
      expect((await store.eventDeliveries.listAttempts([first?.id ?? ''])).get(first?.id ?? '')?.map((attempt) => [attempt.number, attempt.statusCode])).toEqual([
        [1, 500],
        [2, null],
      ]);
    });

    it('recordFailure rejects an empty error code', async () => {
      expect(() => store.eventDeliveries.recordFailure('msg_x', 'dispatcher-a', { attemptedAt: 1, durationMs: 1, statusCode: null, errorCode: '', errorMessage: null, responseExcerpt: null, nextAttemptAt: null })).toThrow(
        expect.objectContaining({ code: 'EVENT_DELIVERY_ERROR_CODE_INVALID' }),
      );
    });

    it('replay keeps the id and the attempt log', async () => {
      const now = nextTimeRange();
      const { workspaceId, subscription } = await deliveriesAt(1, now);
      const [claimed] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now });
      const id = claimed?.id ?? '';
      await store.eventDeliveries.recordFailure(id, 'dispatcher-a', { attemptedAt: now, durationMs: 1, statusCode: 410, errorCode: 'SUBSCRIBER_REJECTED', errorMessage: null, responseExcerpt: null, nextAttemptAt: null });

      const replayed = await store.eventDeliveries.replay(workspaceId, subscription.id, [id], now + 10);
      const reset = await store.eventDeliveries.get(workspaceId, id);
      const [again] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now: now + 10 });
      await store.eventDeliveries.recordSuccess(id, 'dispatcher-a', { attemptedAt: now + 10, durationMs: 1, statusCode: 200, errorCode: null, errorMessage: null, responseExcerpt: null });

      expect(replayed).toBe(1);
      expect(reset).toMatchObject({ id, status: 'pending', attempts: 0, totalAttempts: 1, nextAttemptAt: now + 10, lastErrorCode: null, lastStatusCode: null });
      expect(again).toMatchObject({ id, attempts: 1, totalAttempts: 2 });
      expect((await store.eventDeliveries.listAttempts([id])).get(id)?.map((attempt) => [attempt.number, attempt.statusCode])).toEqual([
        [1, 410],
        [2, 200],
      ]);
    });

    it('replay by status leaves other deliveries', async () => {
      const now = nextTimeRange();
      const { workspaceId, subscription } = await deliveriesAt(3, now);
      const claimed = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 3, lockMs: LOCK_MS, now });
      const [dead, sending, succeeded] = claimed;
      await store.eventDeliveries.recordFailure(dead?.id ?? '', 'dispatcher-a', { attemptedAt: now, durationMs: 1, statusCode: 500, errorCode: 'SUBSCRIBER_REJECTED', errorMessage: null, responseExcerpt: null, nextAttemptAt: null });
      await store.eventDeliveries.recordSuccess(succeeded?.id ?? '', 'dispatcher-a', { attemptedAt: now, durationMs: 1, statusCode: 200, errorCode: null, errorMessage: null, responseExcerpt: null });

      const byStatus = await store.eventDeliveries.replay(workspaceId, subscription.id, { status: 'dead' }, now);
      const busy = await store.eventDeliveries.replay(workspaceId, subscription.id, [sending?.id ?? ''], now);
      const fromOtherWorkspace = await store.eventDeliveries.replay(await workspace(), subscription.id, [succeeded?.id ?? ''], now);

      expect(byStatus).toBe(1);
      expect(busy).toBe(0);
      expect(fromOtherWorkspace).toBe(0);
      expect((await store.eventDeliveries.get(workspaceId, dead?.id ?? ''))?.status).toBe('pending');
      expect((await store.eventDeliveries.get(workspaceId, sending?.id ?? ''))?.status).toBe('sending');
      expect((await store.eventDeliveries.get(workspaceId, succeeded?.id ?? ''))?.status).toBe('succeeded');
      await expect(store.eventDeliveries.replay(workspaceId, subscription.id, { status: 'succeeded' as 'dead' })).rejects.toMatchObject({ code: 'EVENT_REPLAY_STATUS_INVALID' });
    });

    it('list pages newest first', async () => {
      const now = nextTimeRange();
      const { workspaceId, subscription } = await deliveriesAt(5, now);

      const first = await store.eventDeliveries.list({ workspaceId, subscriptionId: subscription.id, limit: 3 });
      const second = await store.eventDeliveries.list({ workspaceId, subscriptionId: subscription.id, limit: 3, cursor: first.nextCursor });
      const ids = [...first.deliveries, ...second.deliveries].map((delivery) => delivery.id);

      expect(first.deliveries).toHaveLength(3);
      expect(first.nextCursor).not.toBeNull();
      expect(second.deliveries).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
      expect(ids).toEqual([...ids].sort().reverse());
      expect(new Set(ids).size).toBe(5);
    });

    it('list filters by status and checks arguments', async () => {
      const now = nextTimeRange();
      const { workspaceId, subscription } = await deliveriesAt(2, now);
      await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now });

      const sending = await store.eventDeliveries.list({ workspaceId, subscriptionId: subscription.id, status: 'sending', limit: 10 });
      const otherWorkspace = await store.eventDeliveries.list({ workspaceId: await workspace(), subscriptionId: subscription.id, limit: 10 });

      expect(sending.deliveries).toHaveLength(1);
      expect(otherWorkspace.deliveries).toEqual([]);
      await expect(store.eventDeliveries.list({ workspaceId, subscriptionId: subscription.id, status: 'lost' as 'dead', limit: 10 })).rejects.toMatchObject({ code: 'EVENT_DELIVERY_STATUS_INVALID', status: 400 });
      await expect(store.eventDeliveries.list({ workspaceId, subscriptionId: subscription.id, limit: 10, cursor: 'bm90LWFuLWlk' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
      await expect(store.eventDeliveries.list({ workspaceId, subscriptionId: subscription.id, limit: 0 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
    });

    it('countByStatus counts every status', async () => {
      const now = nextTimeRange();
      const { subscription } = await deliveriesAt(3, now);
      await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now });

      expect(await store.eventDeliveries.countByStatus(subscription.id)).toEqual({ pending: 2, sending: 1, succeeded: 0, failed: 0, dead: 0 });
    });

    it('deleting a subscription deletes its deliveries', async () => {
      const now = nextTimeRange();
      const { workspaceId, subscription } = await deliveriesAt(2, now);
      const [claimed] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 1, lockMs: LOCK_MS, now });
      await store.eventDeliveries.recordFailure(claimed?.id ?? '', 'dispatcher-a', { attemptedAt: now, durationMs: 1, statusCode: 500, errorCode: 'SUBSCRIBER_REJECTED', errorMessage: null, responseExcerpt: null, nextAttemptAt: now + 1 });

      await store.eventSubscriptions.delete(workspaceId, subscription.id);

      expect(await store.eventDeliveries.get(workspaceId, claimed?.id ?? '')).toBeNull();
      expect((await store.eventDeliveries.listAttempts([claimed?.id ?? ''])).get(claimed?.id ?? '')).toEqual([]);
      expect(await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 10, lockMs: LOCK_MS, now: now + 10 })).toEqual([]);
    });

    it('purgeOlderThan keeps unfinished deliveries', async () => {
      const now = nextTimeRange();
      const { workspaceId } = await deliveriesAt(3, now);
      const [succeeded, dead] = await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 2, lockMs: LOCK_MS, now });
      await store.eventDeliveries.recordSuccess(succeeded?.id ?? '', 'dispatcher-a', { attemptedAt: now, durationMs: 1, statusCode: 200, errorCode: null, errorMessage: null, responseExcerpt: null });
      await store.eventDeliveries.recordFailure(dead?.id ?? '', 'dispatcher-a', { attemptedAt: now, durationMs: 1, statusCode: 500, errorCode: 'SUBSCRIBER_REJECTED', errorMessage: null, responseExcerpt: null, nextAttemptAt: null });

      const none = await store.eventDeliveries.purgeOlderThan(now);
      const purged = await store.eventDeliveries.purgeOlderThan(now + 1);

      expect(none).toBe(0);
      expect(purged).toBe(2);
      expect(await store.eventDeliveries.get(workspaceId, succeeded?.id ?? '')).toBeNull();
      expect(await store.eventDeliveries.get(workspaceId, dead?.id ?? '')).toBeNull();
      expect(await store.eventDeliveries.claimDue({ dispatcherId: 'dispatcher-a', limit: 10, lockMs: LOCK_MS, now })).toHaveLength(1);
    });

    it('lumioEvents append stores a workspace event', async () => {
      const workspaceId = await workspace();

      const event = await store.lumioEvents.append({ workspaceId, type: 'integration.connected', payload: { connector: 'hubspot' } });
      const page = await store.lumioEvents.list({ workspaceId, limit: 10 });

      expect(event).toMatchObject({ workspaceId, connectionId: null, sourceEventId: null, type: 'integration.connected' });
      expect(event.id).toMatch(/^evt_/);
      expect(page.events).toEqual([event]);
      await expect(store.lumioEvents.append({ workspaceId, type: '', payload: {} })).rejects.toMatchObject({ code: 'LUMIO_EVENT_INVALID' });
    });
  });
});
