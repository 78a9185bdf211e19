import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateSigningSecret } from '../../platform/src/events/index.js';
import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { startReceiver, waitUntil, type ReceivedRequest, type Receiver } from './support/receiver.js';
import { verifyStandardWebhook } from './support/verify-standard-webhook.js';

const TOKEN = 'events-e2e-token';
/** The platform's dispatcher waits about 2 seconds for events to settle and polls every second. */
const DELIVERY_TIMEOUT_MS = 15_000;

/** Waits until the receiver got a request whose body has this event type, and returns it. */
async function waitForType(receiver: Receiver, type: string, count = 1): Promise<ReceivedRequest[]> {
  const matching = () => receiver.requests.filter((request) => JSON.parse(request.body).type === type);
  await waitUntil(async () => matching().length, (found) => found >= count, DELIVERY_TIMEOUT_MS);
  return matching();
}

forEachDatabase((database) => {
  describe('event subscriptions API', () => {
    let test: TestPlatform;
    let receiver: Receiver;
    let simulator: HubSpotSimulator;
    let otherKey: string;

    beforeAll(async () => {
      receiver = await startReceiver();
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { contacts: 12 }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });

      const other = await test.platform.store.workspaces.create({ name: 'Another customer' });
      otherKey = (await test.platform.store.apiKeys.create(other.id, 'other', ['webhooks.manage', 'integrations.read'])).key;
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
      await receiver?.close();
    });

    const asOther = () => ({ authorization: `Bearer ${otherKey}` });

    it('POST generates a secret shown once', async () => {
      const created = await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/generated`, events: ['sync.failed'] });
      const listed = await test.call('GET', '/v1/webhooks');
      const read = await test.call('GET', `/v1/webhooks/${created.body.id}`);

      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(created.body).toMatchObject({ url: `${receiver.url}/generated`, events: ['sync.failed'] });
      expect(created.body.id).toMatch(/^sub_/);
      expect(listed.body.webhooks.map((webhook: any) => webhook.id)).toContain(created.body.id);
      expect(read.status).toBe(200);
      expect(read.body.deliveries).toEqual({ pending: 0, sending: 0, succeeded: 0, failed: 0, dead: 0 });
      for (const body of [listed.body, read.body]) {
        expect(JSON.stringify(body)).not.toContain(created.body.secret.slice(6));
        expect(JSON.stringify(body)).not.toContain('"secret"');
      }
    });

    it('POST keeps a chosen secret without returning it', async () => {
      const secret = generateSigningSecret();

      const created = await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/chosen`, events: ['record.*'], secret });

      expect(created.status).toBe(201);
      expect(created.body.secret).toBeUndefined();
      expect(JSON.stringify(created.body)).not.toContain(secret.slice(6));
    });

    it('POST rejects invalid input', async () => {
      const cases: Array<[unknown, string, string]> = [
        [{ url: receiver.url, events: ['sync.complete'] }, 'FIELD_INVALID', 'events'],
        [{ url: receiver.url, events: [] }, 'FIELD_INVALID', 'events'],
        [{ url: receiver.url }, 'FIELD_INVALID', 'events'],
        [{ events: ['*'] }, 'FIELD_REQUIRED', 'url'],
        [{ url: 'ftp://127.0.0.1/in', events: ['*'] }, 'FIELD_INVALID', 'url'],
        [{ url: 'not a url', events: ['*'] }, 'FIELD_INVALID', 'url'],
        [{ url: receiver.url, events: ['*'], secret: 'your-webhook-secret' }, 'FIELD_INVALID', 'secret'],
        [{ url: receiver.url, events: ['*'], secret: `whsec_${Buffer.alloc(8).toString('base64')}` }, 'FIELD_INVALID', 'secret'],
      ];
      for (const [body, code, field] of cases) {
        const response = await test.call('POST', '/v1/webhooks', body);
        expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status: 400, code, field });
      }
    });

    it('connect and disconnect send integration events', async () => {
      const secret = generateSigningSecret();
      await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/integrations`, events: ['integration.*'], secret });

      const connected = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url }, test: false });
      const [connectedRequest] = await waitForType(receiver, 'integration.connected');
      await test.call('POST', `/v1/integrations/${connected.body.connectionId}/disconnect`);
      const [disconnectedRequest] = await waitForType(receiver, 'integration.disconnected');

      expect(connected.status).toBe(200);
      const first = verifyStandardWebhook(secret, connectedRequest?.headers ?? {}, connectedRequest?.body ?? '');
      const second = verifyStandardWebhook(secret, disconnectedRequest?.headers ?? {}, disconnectedRequest?.body ?? '');
      expect(first.payload.data).toMatchObject({ connectionId: connected.body.connectionId, connector: 'hubspot', reconnected: false });
      expect(second.payload.data).toMatchObject({ connectionId: connected.body.connectionId, connector: 'hubspot' });
      expect(first.id).not.toBe(second.id);
    });

    it('a sync sends sync.started and sync.completed', async () => {
      const secret = generateSigningSecret();
      await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/syncs`, events: ['sync.*'], secret });
      await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url }, test: false });

      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      const run = await watchRun(test, 'hubspot');
      const [startedRequest] = await waitForType(receiver, 'sync.started');
      const [completedRequest] = await waitForType(receiver, 'sync.completed');

      expect(started.status).toBe(202);
      expect(run.final.lastRun.status).toBe('succeeded');
      const startedEvent = verifyStandardWebhook(secret, startedRequest?.headers ?? {}, startedRequest?.body ?? '');
      const completedEvent = verifyStandardWebhook(secret, completedRequest?.headers ?? {}, completedRequest?.body ?? '');
      expect(startedEvent.payload.data).toMatchObject({ runId: started.body.id, object: 'contacts', mode: 'full', trigger: 'manual' });
      expect(completedEvent.payload.data).toMatchObject({ runId: started.body.id, object: 'contacts', counts: { read: 12, inserted: 12 } });
    });

    it('deliveries list attempts and pages', async () => {
      const created = await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/paged`, events: ['sync.completed'] });
      for (let index = 0; index < 3; index += 1) {
        await test.platform.store.lumioEvents.append({ workspaceId: test.platform.admin.workspaceId, type: 'sync.completed', payload: { index } });
      }
      const deliveriesPath = `/v1/webhooks/${created.body.id}/deliveries`;
      await waitUntil(() => test.call('GET', deliveriesPath), (response) => response.body.deliveries.length === 3 && response.body.deliveries.every((item: any) => item.status === 'succeeded'), DELIVERY_TIMEOUT_MS);

      const first = await test.call('GET', `${deliveriesPath}?limit=2`);
      const second = await test.call('GET', `${deliveriesPath}?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      const succeeded = await test.call('GET', `${deliveriesPath}?status=succeeded`);
      const badLimit = await test.call('GET', `${deliveriesPath}?limit=0`);
      const badStatus = await test.call('GET', `${deliveriesPath}?status=lost`);

      expect(first.body.deliveries).toHaveLength(2);
      expect(second.body.deliveries).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      expect(succeeded.body.deliveries).toHaveLength(3);
      const delivery = first.body.deliveries[0];
      expect(delivery).toMatchObject({ eventType: 'sync.completed', status: 'succeeded', attemptCount: 1, lastStatusCode: 204, nextAttemptAt: null, error: null });
      expect(delivery.attempts).toEqual([expect.objectContaining({ number: 1, statusCode: 204, error: null })]);
      expect(badLimit.status).toBe(400);
      expect(badStatus.body).toMatchObject({ code: 'FIELD_INVALID', field: 'status' });
    });

    it('replay sends a delivery again with its webhook-id', async () => {
      const secret = generateSigningSecret();
      const created = await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/replayed`, events: ['error.critical'], secret });
      await test.platform.store.lumioEvents.append({ workspaceId: test.platform.admin.workspaceId, type: 'error.critical', payload: { source: 'test' } });
      const [original] = await waitForType(receiver, 'error.critical');
      const deliveriesPath = `/v1/webhooks/${created.body.id}/deliveries`;
      const [delivery] = (await waitUntil(() => test.call('GET', deliveriesPath), (response) => response.body.deliveries[0]?.status === 'succeeded')).body.deliveries;

      const replayed = await test.call('POST', `${deliveriesPath}/${delivery.id}/replay`);
      const [, again] = await waitForType(receiver, 'error.critical', 2);
      const unknown = await test.call('POST', `${deliveriesPath}/msg_unknown/replay`);

      expect(replayed.status).toBe(202);
      expect(replayed.body.replayed).toBe(1);
      expect(verifyStandardWebhook(secret, original?.headers ?? {}, original?.body ?? '').id).toBe(delivery.id);
      expect(verifyStandardWebhook(secret, again?.headers ?? {}, again?.body ?? '').id).toBe(delivery.id);
      expect(again?.body).toBe(original?.body);
      expect(unknown.body).toMatchObject({ status: 404, code: 'EVENT_DELIVERY_NOT_FOUND' });
    });

    it('bulk replay sends dead deliveries again', async () => {
      const created = await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/bulk`, events: ['webhook.received'] });
      await test.platform.store.lumioEvents.append({ workspaceId: test.platform.admin.workspaceId, type: 'webhook.received', payload: { eventId: 'whe_test' } });
      await waitForType(receiver, 'webhook.received');
      const deliveriesPath = `/v1/webhooks/${created.body.id}/deliveries`;
      const [delivery] = (await waitUntil(() => test.call('GET', deliveriesPath), (response) => response.body.deliveries[0]?.status === 'succeeded')).body.deliveries;
      // Eight failed attempts take over a day, so the test marks the delivery dead directly.
      await test.platform.store.knex('event_deliveries').where({ id: delivery.id }).update({ status: 'dead' });

      const badStatus = await test.call('POST', `${deliveriesPath}/replay`, { status: 'succeeded' });
      const replayed = await test.call('POST', `${deliveriesPath}/replay`);
      await waitForType(receiver, 'webhook.received', 2);

      expect(badStatus.body).toMatchObject({ status: 400, code: 'FIELD_INVALID', field: 'status' });
      expect(replayed.body).toEqual({ replayed: 1 });
    });

    it('other workspaces cannot reach a subscription', async () => {
      const created = await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/private`, events: ['*'] });
      const path = `/v1/webhooks/${created.body.id}`;

      const listed = await test.call('GET', '/v1/webhooks', undefined, asOther());
      const responses = [
        await test.call('GET', path, undefined, asOther()),
        await test.call('GET', `${path}/deliveries`, undefined, asOther()),
        await test.call('POST', `${path}/deliveries/replay`, undefined, asOther()),
        await test.call('DELETE', path, undefined, asOther()),
      ];

      expect(listed.body.webhooks).toEqual([]);
      expect(responses.map((response) => [response.status, response.body.code])).toEqual(Array(4).fill([404, 'EVENT_SUBSCRIPTION_NOT_FOUND']));
      expect((await test.call('GET', path)).status).toBe(200);
    });

    it('DELETE removes the subscription', async () => {
      const created = await test.call('POST', '/v1/webhooks', { url: `${receiver.url}/deleted`, events: ['*'] });
      const path = `/v1/webhooks/${created.body.id}`;

      const deleted = await test.call('DELETE', path);
      const read = await test.call('GET', path);
      const again = await test.call('DELETE', path);

      expect(deleted.status).toBe(204);
      expect(read.status).toBe(404);
      expect(again.status).toBe(404);
    });
  });

  describe('event subscriptions API with private network off', () => {
    let test: TestPlatform;
    let receiver: Receiver;

    beforeAll(async () => {
      receiver = await startReceiver();
      test = await startTestPlatform({ store: database.storeOptions(), allowPrivateNetwork: false });
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await receiver?.close();
    });

    it('rejects private and loopback URLs', async () => {
      const port = new URL(receiver.url).port;
      const urls = [receiver.url, `http://localhost:${port}/in`, `http://[::1]:${port}/in`, 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.8/in'];
      // The suite shares its database with the one above, so earlier subscriptions are listed too.
      const before = (await test.call('GET', '/v1/webhooks')).body.webhooks.length;

      for (const url of urls) {
        const response = await test.call('POST', '/v1/webhooks', { url, events: ['*'] });
        expect({ url, status: response.status, code: response.body.code, field: response.body.field }).toEqual({ url, status: 422, code: 'DESTINATION_NOT_ALLOWED', field: 'url' });
      }
      expect((await test.call('GET', '/v1/webhooks')).body.webhooks).toHaveLength(before);
      expect(receiver.requests).toHaveLength(0);
    });
  });
});
