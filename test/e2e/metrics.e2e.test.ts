import { createHmac } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { startTestPlatform, watchRun, type TestPlatform } from './platform-harness.js';

const TOKEN = 'metrics-hubspot-token';
const PORTAL_ID = '880123';
const WEBHOOK_SECRET = 'metrics-client-secret';
const CONTACTS = 120;

type Labels = Record<string, string>;

interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

/** Parses the Prometheus text exposition format into samples; comment lines are skipped. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;

    const labels: Labels = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sums the samples of one name whose labels include every label given. */
function sum(samples: Sample[], name: string, labels: Labels = {}): number {
  return samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((total, sample) => total + sample.value, 0);
}

/** Signs a delivery as HubSpot's v3 scheme does, computed here and not by the platform. */
function signV3(url: string, body: string, timestamp: number): Record<string, string> {
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(`POST${url}${body}${timestamp}`).digest('base64');
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

forEachDatabase((database) => {
  describe('Prometheus metrics endpoint', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let webhookUrl: string;
    let connectionId: string;

    const scrape = async () => {
      const response = await fetch(`${test.url}/metrics`, { headers: { authorization: `Bearer ${test.apiKey}` } });
      return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
    };

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 11, contacts: { count: CONTACTS, archivedCount: 0 } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });
    });

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('rejects a scrape without a valid key', async () => {
      const missing = await fetch(`${test.url}/metrics`);
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { code: string }).code).toBe('AUTHENTICATION_REQUIRED');

      const wrong = await fetch(`${test.url}/metrics`, { headers: { authorization: 'Bearer not-a-key' } });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { code: string }).code).toBe('AUTHENTICATION_INVALID');

      const basic = await fetch(`${test.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${test.apiKey}`).toString('base64')}` } });
      expect(basic.status).toBe(401);
    });

    it('counts provider requests, retries and a synced run', async () => {
      const rejected = await test.call('POST', '/v1/integrations/hubspot/connect', {
        credentials: { accessToken: 'not-the-token' },
        config: { baseUrl: simulator.url, portalId: PORTAL_ID, rateLimits: 'providerOnly' },
      });
      expect(rejected.status).toBe(422);

      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', {
        credentials: { accessToken: TOKEN },
        config: { baseUrl: simulator.url, portalId: PORTAL_ID, rateLimits: 'providerOnly' },
        webhookSecrets: [WEBHOOK_SECRET],
      });
      expect(connect.status).toBe(200);
      webhookUrl = connect.body.webhookUrl;
      connectionId = connect.body.connectionId;

      // The first request of the sync gets a 503, which the manifest's retry policy retries.
      simulator.failNext(1, 503);
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      const watch = await watchRun(test, 'hubspot');
      expect(watch.final.lastRun.status).toBe('succeeded');

      const scraped = await scrape();
      expect(scraped.status).toBe(200);
      expect(scraped.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parseExposition(scraped.text);

      // Every request the simulator logged is counted once, by method and status.
      const logged = new Map<string, number>();
      for (const entry of simulator.requests.entries) logged.set(`${entry.method} ${entry.status}`, (logged.get(`${entry.method} ${entry.status}`) ?? 0) + 1);
      expect(logged.get('GET 200') ?? 0).toBeGreaterThan(0);
      for (const [key, count] of logged) {
        const [method = '', status = ''] = key.split(' ');
        expect(sum(samples, 'integration_requests_total', { provider: 'hubspot', method, status }), key).toBe(count);
      }
      expect(sum(samples, 'integration_requests_total', { provider: 'hubspot' })).toBe(simulator.requests.entries.length);
      expect(sum(samples, 'integration_request_duration_seconds_count', { provider: 'hubspot' })).toBe(simulator.requests.entries.length);

      // The rejected connect got a 401, and the injected fault a 503.
      const unauthorized = simulator.requests.entries.filter((entry) => entry.status === 401).length;
      expect(unauthorized).toBeGreaterThan(0);
      expect(sum(samples, 'integration_errors_total', { provider: 'hubspot', error_type: 'auth' })).toBe(unauthorized);
      expect(simulator.requests.entries.filter((entry) => entry.status === 503)).toHaveLength(1);
      expect(sum(samples, 'integration_errors_total', { provider: 'hubspot', error_type: 'server_error' })).toBe(1);
      expect(sum(samples, 'integration_retries_total', { provider: 'hubspot', attempt: '2' })).toBe(1);
      expect(sum(samples, 'integration_retry_successes_total', { provider: 'hubspot' })).toBe(1);

      expect(sum(samples, 'integration_sync_records_processed_total', { provider: 'hubspot' })).toBe(watch.final.lastRun.counts.read);
      expect(watch.final.lastRun.counts.read).toBe(CONTACTS);
      expect(sum(samples, 'integration_sync_records_failed_total', { provider: 'hubspot' })).toBe(0);
      expect(sum(samples, 'integration_sync_runs_total', { provider: 'hubspot', status: 'succeeded' })).toBe(1);
      expect(sum(samples, 'integration_sync_duration_seconds_count', { provider: 'hubspot' })).toBe(1);

      expect(sum(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(scraped.text).not.toContain(connectionId);
      expect(scraped.text).not.toContain(TOKEN);
    });

    it('counts a signed webhook and a forged one', async () => {
      const [first] = simulator.store.list('contacts');
      const objectId = Number(first?.id);
      const body = JSON.stringify([{ eventId: 9001, subscriptionId: 1, portalId: Number(PORTAL_ID), appId: 2, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId }]);

      const signed = await fetch(webhookUrl, { method: 'POST', headers: signV3(webhookUrl, body, Date.now()), body });
      expect(signed.status).toBe(200);

      const forgedHeaders = signV3(webhookUrl, body, Date.now());
      const forged = await fetch(webhookUrl, { method: 'POST', headers: forgedHeaders, body: body.replace('"objectId":', '"objectId": ') });
      expect(forged.status).toBe(401);

      // The worker processes the stored event in the background.
      const deadline = Date.now() + 10_000;
      let samples = parseExposition((await scrape()).text);
      while (sum(samples, 'integration_webhooks_processed_total', { provider: 'hubspot' }) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        samples = parseExposition((await scrape()).text);
      }

      expect(sum(samples, 'integration_webhooks_received_total', { provider: 'hubspot', event_type: 'contact.propertyChange' })).toBe(1);
      expect(sum(samples, 'integration_webhooks_processed_total', { provider: 'hubspot', status: 'processed' })).toBe(1);
      expect(sum(samples, 'integration_webhooks_rejected_total', { provider: 'hubspot', reason: 'signature_mismatch' })).toBe(1);

      // The API's counters read the same deliveries.
      const settings = await test.call('GET', '/v1/integrations/hubspot/webhooks');
      expect(settings.status).toBe(200);
      expect(settings.body.rejectedSinceStart).toEqual([{ provider: 'hubspot', reason: 'signature_mismatch', value: 1 }]);
    });
  });
});
