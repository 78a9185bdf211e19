import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';

const TOKEN = 'support-hubspot-token-5b2e';
const CONTACTS = 3_000;

forEachDatabase((database) => {
  describe('connection test, status and metrics', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let connectionId: string;
    let runId: string;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 11, contacts: { count: CONTACTS } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });

      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      expect(connect.status).toBe(200);
      connectionId = connect.body.connectionId;
      // The connect test ran before the connection had an id, so the counts start after it.
      simulator.requests.reset();
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('test succeeds with the stored token', async () => {
      const before = Date.now();
      const reply = await test.call('POST', '/v1/integrations/hubspot/test');
      const connection = await test.call('GET', `/v1/integrations/${connectionId}`);

      expect(reply.status).toBe(200);
      expect(reply.body.ok).toBe(true);
      expect(reply.body.connectionId).toBe(connectionId);
      expect(reply.body.providerStatus).toBe(200);
      expect(reply.body.latencyMs).toBeGreaterThanOrEqual(0);
      expect(reply.body.latencyMs).toBeLessThan(Date.now() - before + 1);
      expect(Date.parse(reply.body.checkedAt)).toBeGreaterThanOrEqual(before - 1);
      expect(reply.body.error).toBeUndefined();
      expect(connection.body.health).toBe('healthy');
      expect(simulator.requests.entries.at(-1)?.path).toBe('/crm/v3/objects/contacts');
    });

    it('test fails with a revoked token', async () => {
      simulator.setTokens(['some-other-token']);
      try {
        const reply = await test.call('POST', `/v1/integrations/${connectionId}/test`);
        const connection = await test.call('GET', `/v1/integrations/${connectionId}`);

        expect(reply.status).toBe(200);
        expect(reply.body.ok).toBe(false);
        expect(reply.body.providerStatus).toBe(401);
        expect(reply.body.error.code).toBe('PROVIDER_AUTH_FAILED');
        expect(reply.body.error.message).toContain('401');
        expect(JSON.stringify(reply.body)).not.toContain(TOKEN);
        expect(connection.body.health).toBe('unhealthy');
      } finally {
        simulator.setTokens([TOKEN]);
      }
    });

    it('status follows a sync', async () => {
      simulator.setResponseDelay(25);
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      runId = started.body.id;

      // Polls until a page is stored, then compares the snapshot with the stored run.
      let live: any = null;
      for (let attempt = 0; attempt < 1_000 && !live; attempt += 1) {
        const { body } = await test.call('GET', '/v1/integrations/hubspot/sync/status');
        if (body.status === 'syncing' && body.progress?.current > 0) live = body;
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const stored = await test.platform.store.syncRuns.get(runId);
      simulator.setResponseDelay(0);

      expect(live).not.toBeNull();
      expect(live.run.id).toBe(runId);
      expect(live.currentRun.id).toBe(runId);
      expect(live.run.status).toBe('running');
      expect(live.progress.current).toBe(live.run.progress.current);
      expect(live.progress.total).toBe(stored?.progressTotal);
      expect(live.progress.current).toBeLessThanOrEqual(stored?.progressCurrent ?? -1);
      expect(live.progress.current % 100).toBe(0);
      expect(live.progress.percentage).toBe(Math.min(99, Math.floor((live.progress.current / live.progress.total) * 100)));
      expect(Date.parse(live.eta)).toBeGreaterThan(Date.now() - 1_000);
    }, 60_000);

    it('status is idle after the sync', async () => {
      let done: any = null;
      for (let attempt = 0; attempt < 3_000 && !done; attempt += 1) {
        const { body } = await test.call('GET', '/v1/integrations/hubspot/status');
        if (body.status !== 'syncing') done = body;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const again = await test.call('GET', `/v1/integrations/${connectionId}/sync/status`);
      const stored = await test.platform.store.syncRuns.get(runId);

      expect(done.status).toBe('idle');
      expect(done.progress).toBeNull();
      expect(done.eta).toBeNull();
      expect(done.run.id).toBe(runId);
      expect(done.run.status).toBe('succeeded');
      expect(done.run.progress.current).toBe(stored?.progressCurrent);
      expect(done.run.progress.percentage).toBe(100);
      expect(done.run.counts.inserted).toBe(CONTACTS);
      // Archived contacts are read too, and stored as deleted.
      expect(done.run.counts.inserted + done.run.counts.deleted).toBe(simulator.store.list('contacts', { archived: 'all' }).length);
      expect(done.run.counts.read).toBe(stored?.recordsRead);
      expect(done.lastRun.id).toBe(runId);
      expect(done.lastSync).toBe(stored?.finishedAt);
      expect(again.body).toEqual(done);
    }, 90_000);

    it('metrics count the connection requests', async () => {
      simulator.rateLimitNext(1);
      const incremental = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
      expect(incremental.status).toBe(202);
      for (let attempt = 0; attempt < 3_000; attempt += 1) {
        const { body } = await test.call('GET', '/v1/integrations/hubspot/status');
        if (body.status !== 'syncing') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      const reply = await test.call('GET', `/v1/integrations/${connectionId}/metrics`);
      const sent = simulator.requests.entries;
      const { requests, syncs } = reply.body;

      expect(reply.status).toBe(200);
      expect(requests.scope).toBe('process');
      expect(Date.parse(requests.window.to) - Date.parse(requests.window.from)).toBeGreaterThan(55 * 60_000);
      expect(requests.requests).toBe(sent.length);
      expect(requests.errors).toBe(sent.filter((entry) => entry.status >= 400).length);
      expect(requests.errorsByType.auth).toBe(1);
      expect(requests.errorsByType.rate_limited).toBe(1);
      expect(requests.rateLimitHits).toBe(1);
      expect(requests.retries).toBeGreaterThanOrEqual(1);
      expect(requests.latencyMs.p50).toBeGreaterThanOrEqual(0);
      expect(requests.latencyMs.p95).toBeGreaterThanOrEqual(requests.latencyMs.p50);
      expect(syncs.runs).toBe(2);
      expect(syncs.byStatus).toEqual({ succeeded: 2 });
      expect(syncs.recordsSynced).toBeGreaterThanOrEqual(CONTACTS);
      expect(syncs.records.inserted).toBe(CONTACTS);
      expect(Date.parse(syncs.window.to) - Date.parse(syncs.window.from)).toBe(24 * 60 * 60_000);
      expect(reply.body.webhooks.scope).toBe('stored');
    }, 90_000);

    it('test reports a disconnected connection', async () => {
      await test.call('POST', `/v1/integrations/${connectionId}/disconnect`);
      const reply = await test.call('POST', `/v1/integrations/${connectionId}/test`);
      const status = await test.call('GET', `/v1/integrations/${connectionId}/status`);

      expect(reply.status).toBe(200);
      expect(reply.body.ok).toBe(false);
      expect(reply.body.error.code).toBe('CONNECTION_DISCONNECTED');
      expect(reply.body.providerStatus).toBeNull();
      expect(status.body.status).toBe('disconnected');
    });

    it('hides connections of other workspaces', async () => {
      const store = test.platform.store;
      const other = await store.workspaces.create({ name: 'Support other tenant' });
      const { key } = await store.apiKeys.create(other.id, 'other admin', ['integrations.read', 'integrations.write']);
      const headers = { authorization: `Bearer ${key}` };

      for (const [method, path] of [
        ['POST', 'test'],
        ['GET', 'status'],
        ['GET', 'sync/status'],
        ['GET', 'metrics'],
        ['GET', 'debug'],
        ['GET', 'diagnostic'],
      ] as const) {
        const reply = await test.call(method, `/v1/integrations/${connectionId}/${path}`, undefined, headers);
        expect(reply.status, path).toBe(404);
        expect(reply.body.code, path).toBe('INTEGRATION_NOT_FOUND');
      }
      const debug = await test.call('POST', `/v1/integrations/${connectionId}/debug`, { enabled: true }, headers);
      expect(debug.status).toBe(404);
      expect(await store.connectionDebug.get(connectionId)).toBeNull();
    });
  });
});
