import { createHmac } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';

const TOKEN = 'webhook-token';
const PORTAL_ID = '777001';
const NEW_SECRET = 'client-secret-2026';
const OLD_SECRET = 'client-secret-2025';

/** Signs a delivery as HubSpot's v3 scheme does, computed here and not by the platform. */
function signV3(secret: string, url: string, body: string, timestamp: number): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

async function deliver(url: string, events: unknown[], options: { secret?: string; timestamp?: number; tamper?: boolean } = {}) {
  const body = JSON.stringify(events);
  const headers = signV3(options.secret ?? NEW_SECRET, url, body, options.timestamp ?? Date.now());
  const sent = options.tamper ? body.replace('"objectId":', '"objectId": ') : body;
  const response = await fetch(url, { method: 'POST', headers, body: sent });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

let nextEventId = 5_000;
function event(type: string, objectId: string, extra: Record<string, unknown> = {}) {
  nextEventId += 1;
  return { eventId: nextEventId, subscriptionId: 42, portalId: Number(PORTAL_ID), appId: 9, occurredAt: Date.now(), subscriptionType: type, attemptNumber: 0, objectId: Number(objectId), ...extra };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

forEachDatabase((database) => {
  describe('HubSpot webhooks', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let webhookUrl: string;

    const contact = async (externalId: string) => {
      const { body } = await test.call('GET', '/v1/records?object=contact&includeDeleted=true&limit=1000');
      return (body.records as any[]).find((record) => record.externalId === externalId);
    };

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 3, contacts: { count: 5, archivedCount: 0 } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });

      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', {
        credentials: { accessToken: TOKEN },
        config: { baseUrl: simulator.url, portalId: PORTAL_ID, rateLimits: 'providerOnly' },
        webhookSecrets: [NEW_SECRET, OLD_SECRET],
      });
      expect(connect.status).toBe(200);
      webhookUrl = connect.body.webhookUrl;

      await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      const run = await watchRun(test, 'hubspot');
      expect(run.final.lastRun.status).toBe('succeeded');
    });

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('shows the webhook URL and never the secrets', async () => {
      expect(webhookUrl).toMatch(new RegExp(`^${test.url}/webhooks/hubspot/[A-Za-z0-9_-]{43}$`));
      const settings = await test.call('GET', '/v1/integrations/hubspot/webhooks');
      expect(settings.status).toBe(200);
      expect(settings.body.url).toBe(webhookUrl);
      expect(settings.body.secrets).toBe(2);
      expect(JSON.stringify(settings.body)).not.toContain(NEW_SECRET);
      expect(JSON.stringify((await test.call('GET', '/v1/integrations/hubspot')).body)).not.toContain(OLD_SECRET);
    });

    it('fetches a changed contact after a signed event', async () => {
      const [first] = simulator.store.list('contacts');
      const id = String(first?.id);
      simulator.store.update('contacts', id, { firstname: 'Joana' });

      const reply = await deliver(webhookUrl, [event('contact.propertyChange', id, { propertyName: 'firstname', propertyValue: 'Joana' })], { secret: OLD_SECRET });
      expect(reply.status).toBe(200);
      expect(reply.body.received).toBe(1);

      const stored = await waitFor(() => contact(id), (record) => record?.data.firstName === 'Joana');
      expect(stored.data.firstName).toBe('Joana');
      expect(stored.deleted).toBe(false);
    });

    it('marks a contact deleted after a deletion event', async () => {
      const id = String(simulator.store.list('contacts')[1]?.id);
      const reply = await deliver(webhookUrl, [event('contact.deletion', id)]);
      expect(reply.status).toBe(200);

      const stored = await waitFor(() => contact(id), (record) => record?.deleted === true);
      expect(stored.deleted).toBe(true);
    });

    it('routes the shared URL by portal id', async () => {
      const id = String(simulator.store.list('contacts')[2]?.id);
      simulator.store.update('contacts', id, { lastname: 'Ribeiro' });
      const shared = `${test.url}/webhooks/hubspot`;

      const reply = await deliver(shared, [event('contact.propertyChange', id)]);
      expect(reply.status).toBe(200);
      const stored = await waitFor(() => contact(id), (record) => record?.data.lastName === 'Ribeiro');
      expect(stored.data.lastName).toBe('Ribeiro');

      const unknownPortal = await deliver(shared, [{ ...event('contact.propertyChange', id), portalId: 1 }]);
      expect(unknownPortal.status).toBe(404);
    });

    it('names the checked URL on a mismatch', async () => {
      const body = JSON.stringify([event('contact.propertyChange', String(simulator.store.list('contacts')[4]?.id))]);
      const otherUrl = webhookUrl.replace('127.0.0.1', 'localhost');
      const response = await fetch(webhookUrl, { method: 'POST', headers: signV3(NEW_SECRET, otherUrl, body, Date.now()), body });
      const problem = (await response.json()) as { reason: string; detail: string };

      expect(otherUrl).not.toBe(webhookUrl);
      expect(response.status).toBe(401);
      expect(problem.reason).toBe('signature_mismatch');
      expect(problem.detail).toContain(webhookUrl);
    });

    it('rejects forged, stale and repeated deliveries', async () => {
      const id = String(simulator.store.list('contacts')[3]?.id);

      const tampered = await deliver(webhookUrl, [event('contact.propertyChange', id)], { tamper: true });
      expect(tampered.status).toBe(401);
      expect(tampered.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');

      const wrongSecret = await deliver(webhookUrl, [event('contact.propertyChange', id)], { secret: 'not-the-secret' });
      expect(wrongSecret.status).toBe(401);

      const stale = await deliver(webhookUrl, [event('contact.propertyChange', id)], { timestamp: Date.now() - 6 * 60_000 });
      expect(stale.status).toBe(401);
      expect(stale.body.reason).toBe('timestamp_outside_window');

      const future = await deliver(webhookUrl, [event('contact.propertyChange', id)], { timestamp: Date.now() + 6 * 60_000 });
      expect(future.status).toBe(401);

      const once = event('contact.propertyChange', id);
      expect((await deliver(webhookUrl, [once])).status).toBe(200);
      const again = await deliver(webhookUrl, [once]);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('WEBHOOK_DUPLICATE');

      const missing = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
      expect(missing.status).toBe(401);

      const wrongType = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      expect(wrongType.status).toBe(415);

      const huge = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
      expect(huge.status).toBe(413);

      const unknownToken = await fetch(`${test.url}/webhooks/hubspot/not-a-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
      expect(unknownToken.status).toBe(404);
    });

    it('lists events with their status and replays one', async () => {
      const logs = await test.call('GET', '/v1/integrations/hubspot/webhooks/logs?limit=100');
      expect(logs.status).toBe(200);
      const events = logs.body.events as any[];
      expect(events.length).toBeGreaterThanOrEqual(4);
      expect(events.every((entry) => ['processed', 'ignored', 'received', 'processing'].includes(entry.status))).toBe(true);

      const processed = events.find((entry) => entry.status === 'processed');
      const view = await test.call('GET', `/v1/integrations/hubspot/webhooks/events/${processed.id}`);
      expect(view.status).toBe(200);
      expect(view.body.payload.portalId).toBe(Number(PORTAL_ID));
      expect(view.body.delivery.headers['x-hubspot-signature-v3']).toBeDefined();

      const replay = await test.call('POST', `/v1/integrations/hubspot/webhooks/${processed.id}/replay`);
      expect(replay.status).toBe(202);
      expect(replay.body.replayed).toBe(1);
      const after = await waitFor(async () => (await test.call('GET', `/v1/integrations/hubspot/webhooks/events/${processed.id}`)).body, (body) => body.status === 'processed');
      expect(after.status).toBe('processed');
      // A replay starts the attempt count again.
      expect(after.attempts).toBe(1);
      expect(Date.parse(after.processedAt)).toBeGreaterThan(Date.parse(processed.processedAt));

      const failed = await test.call('GET', '/v1/integrations/hubspot/webhooks/logs?status=sideways');
      expect(failed.status).toBe(400);
    });

    it('sends a signed test delivery through the router', async () => {
      const result = await test.call('POST', '/v1/integrations/hubspot/webhooks/test', {});
      expect(result.status).toBe(200);
      expect(result.body.delivered).toBe(true);
      expect(result.body.events).toHaveLength(1);
      expect(result.body.events[0].status).toBe('processed');
      expect(result.body.events[0].result.test).toBe(true);
    });
  });
});
