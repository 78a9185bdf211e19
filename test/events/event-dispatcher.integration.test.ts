import { randomBytes } from 'node:crypto';

import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

import { EventDispatcher, EventSubscriptionService, generateSigningSecret, type EventDispatcherOptions } from '../../platform/src/events/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createCredentialCipher, type CredentialCipher } from '../../platform/src/security/index.js';
import type { Store, StoredEventDelivery } from '../../platform/src/store/index.js';
import { forEachDatabase } from '../store/databases.js';
import { startReceiver, waitUntil, type Receiver } from './support/receiver.js';
import { verifyStandardWebhook } from './support/verify-standard-webhook.js';

/** Eight attempts, like the standard schedule, with delays short enough for a test. */
const FAST_SCHEDULE = [0, 40, 40, 40, 40, 40, 40, 40];
const FAST = { pollIntervalMs: 20, settleMs: 30, random: () => 0.5 } satisfies Partial<EventDispatcherOptions>;

forEachDatabase((database) => {
  describe('event dispatcher', () => {
    let store: Store;
    let cipher: CredentialCipher;
    let service: EventSubscriptionService;
    let sequence = 0;
    const cleanups: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      store = await database.openStore();
      cipher = createCredentialCipher({ keys: [{ id: 'test-key', key: randomBytes(32) }], activeKeyId: 'test-key' });
      service = new EventSubscriptionService({ store, cipher, allowPrivateNetwork: true, logger: silentLogger });
    });

    // Dispatchers stop and receivers close after each test, in reverse order of start.
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()?.();
    });

    async function workspace(): Promise<string> {
      sequence += 1;
      return (await store.workspaces.create({ name: `Dispatch ${sequence}` })).id;
    }

    async function receiver(): Promise<Receiver> {
      const started = await startReceiver();
      cleanups.push(() => started.close());
      return started;
    }

    function dispatcher(options: Partial<EventDispatcherOptions> = {}, on: Store = store): EventDispatcher {
      const started = new EventDispatcher({ store: on, cipher, logger: silentLogger, allowPrivateNetwork: true, retrySchedule: FAST_SCHEDULE, ...FAST, ...options });
      started.start();
      cleanups.push(() => started.stop());
      return started;
    }

    /** Creates a subscription through the service, and deletes it (with its deliveries) after the test. */
    async function subscribe(workspaceId: string, url: string, events: string[] = ['*'], secret = generateSigningSecret()) {
      const { subscription } = await service.create(workspaceId, { url, events, secret });
      onTestFinished(async () => {
        await store.eventSubscriptions.delete(workspaceId, subscription.id);
      });
      return { subscription, secret };
    }

    async function deliveries(workspaceId: string, subscriptionId: string): Promise<StoredEventDelivery[]> {
      return (await store.eventDeliveries.list({ workspaceId, subscriptionId, limit: 1_000 })).deliveries;
    }

    it('sends a signed event that verifies independently', async () => {
      const target = await receiver();
      const workspaceId = await workspace();
      const { subscription, secret } = await subscribe(workspaceId, `${target.url}/hooks?tenant=7`);
      dispatcher();

      const event = await store.lumioEvents.append({ workspaceId, type: 'sync.completed', payload: { runId: 'run_1', counts: { read: 3 } } });
      const [request] = await target.waitForRequests(1);
      const verified = verifyStandardWebhook(secret, request?.headers ?? {}, request?.body ?? '');
      const [delivery] = await waitUntil(() => deliveries(workspaceId, subscription.id), (list) => list[0]?.status === 'succeeded');

      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/hooks?tenant=7');
      expect(request?.headers['content-type']).toBe('application/json');
      expect(verified.id).toBe(delivery?.id);
      expect(verified.id).toMatch(/^msg_/);
      expect(verified.payload).toEqual({ type: 'sync.completed', timestamp: new Date(event.createdAt).toISOString(), data: { runId: 'run_1', counts: { read: 3 } } });
      expect(delivery).toMatchObject({ eventId: event.id, eventType: 'sync.completed', lastStatusCode: 204, totalAttempts: 1 });
    });

    it('a signature with another secret fails verification', async () => {
      const target = await receiver();
      const workspaceId = await workspace();
      await subscribe(workspaceId, target.url);
      dispatcher();

      await store.lumioEvents.append({ workspaceId, type: 'sync.started', payload: {} });
      const [request] = await target.waitForRequests(1);

      expect(() => verifyStandardWebhook(generateSigningSecret(), request?.headers ?? {}, request?.body ?? '')).toThrow(/No v1 signature/);
    });

    it('retries until the receiver accepts, with one webhook-id', async () => {
      const target = await receiver();
      target.reply((_request, index) => (index < 5 ? { status: 500, body: `failure ${index + 1}` } : { status: 200 }));
      const workspaceId = await workspace();
      const { subscription, secret } = await subscribe(workspaceId, target.url);
      dispatcher();

      await store.lumioEvents.append({ workspaceId, type: 'record.created', payload: { object: 'contacts', externalId: '42' } });
      const [delivery] = await waitUntil(() => deliveries(workspaceId, subscription.id), (list) => list[0]?.status === 'succeeded');
      await new Promise((resolve) => setTimeout(resolve, 200));

      const verified = target.requests.map((request) => verifyStandardWebhook(secret, request.headers, request.body));
      expect(target.requests).toHaveLength(6);
      expect(new Set(verified.map((item) => item.id))).toEqual(new Set([delivery?.id]));
      expect(new Set(target.requests.map((request) => request.body)).size).toBe(1);
      expect(delivery).toMatchObject({ attempts: 6, totalAttempts: 6, lastStatusCode: 200, lastErrorCode: null });

      const log = (await store.eventDeliveries.listAttempts([delivery?.id ?? ''])).get(delivery?.id ?? '') ?? [];
      expect(log.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500, 500, 500, 200]);
      expect(log.map((attempt) => attempt.number)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(log[0]).toMatchObject({ errorCode: 'SUBSCRIBER_REJECTED', responseExcerpt: 'failure 1' });
      // Each retry waits for the schedule's delay of 40 ms, give or take the 10 % jitter.
      const gaps = target.requests.slice(1).map((request, index) => request.receivedAt - (target.requests[index]?.receivedAt ?? 0));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30);
    });

    it('marks the delivery dead after the schedule, and replay sends it again', async () => {
      const target = await receiver();
      target.reply(() => ({ status: 503 }));
      const workspaceId = await workspace();
      const { subscription, secret } = await subscribe(workspaceId, target.url);
      dispatcher({ retrySchedule: [0, 30, 30] });

      await store.lumioEvents.append({ workspaceId, type: 'sync.failed', payload: { runId: 'run_9' } });
      const [dead] = await waitUntil(() => deliveries(workspaceId, subscription.id), (list) => list[0]?.status === 'dead');
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(target.requests).toHaveLength(3);
      expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 503, lastErrorCode: 'SUBSCRIBER_REJECTED' });

      target.reply(() => ({ status: 200 }));
      expect(await store.eventDeliveries.replay(workspaceId, subscription.id, { status: 'dead' })).toBe(1);
      const [replayed] = await waitUntil(() => deliveries(workspaceId, subscription.id), (list) => list[0]?.status === 'succeeded');

      expect(target.requests).toHaveLength(4);
      expect(verifyStandardWebhook(secret, target.requests[3]?.headers ?? {}, target.requests[3]?.body ?? '').id).toBe(dead?.id);
      expect(replayed).toMatchObject({ id: dead?.id, attempts: 1, totalAttempts: 4 });
    });

    it('counts a slow response as a failed attempt', async () => {
      const target = await receiver();
      target.reply((_request, index) => (index === 0 ? { status: 200, delayMs: 1_000 } : { status: 200 }));
      const workspaceId = await workspace();
      const { subscription } = await subscribe(workspaceId, target.url);
      dispatcher({ timeoutMs: 150 });

      await store.lumioEvents.append({ workspaceId, type: 'sync.completed', payload: {} });
      const [delivery] = await waitUntil(() => deliveries(workspaceId, subscription.id), (list) => list[0]?.status === 'succeeded');
      const log = (await store.eventDeliveries.listAttempts([delivery?.id ?? ''])).get(delivery?.id ?? '') ?? [];

      expect(log.map((attempt) => attempt.errorCode)).toEqual(['SUBSCRIBER_TIMEOUT', null]);
      expect(log[0]?.statusCode).toBeNull();
      expect(log[0]?.durationMs).toBeGreaterThanOrEqual(140);
      expect(log[0]?.errorMessage).toContain('150 ms');
    });

    it('sends each subscription only the types it asked for', async () => {
      const records = await receiver();
      const syncs = await receiver();
      const everything = await receiver();
      const workspaceId = await workspace();
      await subscribe(workspaceId, records.url, ['record.*']);
      await subscribe(workspaceId, syncs.url, ['sync.completed', 'sync.failed']);
      await subscribe(workspaceId, everything.url, ['*']);
      dispatcher();

      for (const type of ['record.created', 'sync.started', 'record.deleted', 'sync.failed', 'integration.connected', 'error.critical']) {
        await store.lumioEvents.append({ workspaceId, type, payload: {} });
      }
      await everything.waitForRequests(6);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const types = (target: Receiver) => target.requests.map((request) => JSON.parse(request.body).type).sort();
      expect(types(records)).toEqual(['record.created', 'record.deleted']);
      expect(types(syncs)).toEqual(['sync.failed']);
      expect(types(everything)).toEqual(['error.critical', 'integration.connected', 'record.created', 'record.deleted', 'sync.failed', 'sync.started']);
    });

    it('keeps workspaces apart', async () => {
      const first = await receiver();
      const second = await receiver();
      const firstWorkspace = await workspace();
      const secondWorkspace = await workspace();
      await subscribe(firstWorkspace, first.url);
      await subscribe(secondWorkspace, second.url);
      dispatcher();

      await store.lumioEvents.append({ workspaceId: firstWorkspace, type: 'sync.completed', payload: { from: 'first' } });
      await store.lumioEvents.append({ workspaceId: secondWorkspace, type: 'sync.completed', payload: { from: 'second' } });
      await first.waitForRequests(1);
      await second.waitForRequests(1);
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(first.requests.map((request) => JSON.parse(request.body).data.from)).toEqual(['first']);
      expect(second.requests.map((request) => JSON.parse(request.body).data.from)).toEqual(['second']);
    });

    it('sends no event older than the subscription', async () => {
      const target = await receiver();
      const workspaceId = await workspace();
      await store.lumioEvents.append({ workspaceId, type: 'sync.completed', payload: { order: 'before' } });
      await subscribe(workspaceId, target.url);
      dispatcher();

      await store.lumioEvents.append({ workspaceId, type: 'sync.completed', payload: { order: 'after' } });
      await target.waitForRequests(1);
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(target.requests.map((request) => JSON.parse(request.body).data.order)).toEqual(['after']);
    });

    it('blocks private addresses at connect time', async () => {
      const target = await receiver();
      const workspaceId = await workspace();
      // The service would reject this URL, so the test stores it directly, as a DNS change after the check would.
      const { subscription } = await subscribe(workspaceId, target.url);
      dispatcher({ allowPrivateNetwork: false, retrySchedule: [0] });

      await store.lumioEvents.append({ workspaceId, type: 'sync.completed', payload: {} });
      const [delivery] = await waitUntil(() => deliveries(workspaceId, subscription.id), (list) => list[0]?.status === 'dead');

      expect(delivery).toMatchObject({ lastErrorCode: 'DESTINATION_NOT_ALLOWED', lastStatusCode: null });
      expect(delivery?.lastErrorMessage).toContain('127.0.0.1');
      expect(target.requests).toHaveLength(0);
    });

    it('two dispatchers send each delivery once', async () => {
      const target = await receiver();
      const workspaceId = await workspace();
      const { subscription, secret } = await subscribe(workspaceId, target.url);
      const secondStore = await database.openStore();
      dispatcher({ maxInFlight: 4 });
      dispatcher({ maxInFlight: 4 }, secondStore);

      const count = 40;
      for (let index = 0; index < count; index += 1) await store.lumioEvents.append({ workspaceId, type: 'record.updated', payload: { index } });
      await waitUntil(() => deliveries(workspaceId, subscription.id), (list) => list.length === count && list.every((delivery) => delivery.status === 'succeeded'), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const ids = target.requests.map((request) => verifyStandardWebhook(secret, request.headers, request.body).id);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      expect(new Set(target.requests.map((request) => JSON.parse(request.body).data.index)).size).toBe(count);
    });

    it('stop waits for attempts in flight', async () => {
      const target = await receiver();
      target.reply(() => ({ status: 200, delayMs: 300 }));
      const workspaceId = await workspace();
      const { subscription } = await subscribe(workspaceId, target.url);
      const running = new EventDispatcher({ store, cipher, logger: silentLogger, allowPrivateNetwork: true, retrySchedule: FAST_SCHEDULE, ...FAST });
      running.start();

      await store.lumioEvents.append({ workspaceId, type: 'sync.completed', payload: {} });
      await target.waitForRequests(1);
      await running.stop();

      expect((await deliveries(workspaceId, subscription.id))[0]?.status).toBe('succeeded');
    });
  });
});
