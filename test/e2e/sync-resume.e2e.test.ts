import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { readAllRecords, startTestPlatform, watchRun, type TestPlatform } from './platform-harness.js';

const TOKEN = 'resume-token';
const CONTACTS = 6_000;
const PAGE_SIZE = 100;

forEachDatabase((database) => {
  describe('sync resumed after a stop', () => {
    let simulator: HubSpotSimulator;
    let first: TestPlatform | undefined;
    let second: TestPlatform | undefined;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 11, contacts: { count: CONTACTS, archivedCount: 0 } }, rateLimit: false });
      await simulator.start();
    });

    afterAll(async () => {
      await first?.close().catch(() => undefined);
      await second?.close();
      await simulator?.close();
    });

    it('continues from the checkpoint without loss or duplicates', async () => {
      first = await startTestPlatform({ store: database.storeOptions() });
      const connect = await first.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      expect(connect.status).toBe(200);

      // Slow pages make the run long enough to stop it in the middle.
      simulator.setResponseDelay(15);
      const started = await first.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);

      let stoppedAt = 0;
      for (let attempt = 0; attempt < 400; attempt += 1) {
        const { body } = await first.call('GET', '/v1/integrations/hubspot/status');
        stoppedAt = body.progress?.current ?? 0;
        if (stoppedAt >= 1_500) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(stoppedAt).toBeGreaterThanOrEqual(1_500);
      await first.close();
      first = undefined;

      const listRequestsBefore = simulator.requests.count((entry) => entry.path === '/crm/v3/objects/contacts' && entry.query.archived === 'false');
      expect(listRequestsBefore).toBeLessThan(CONTACTS / PAGE_SIZE);

      simulator.setResponseDelay(0);
      second = await startTestPlatform({ store: database.storeOptions() });
      const watch = await watchRun(second, 'hubspot');

      expect(watch.final.lastRun.id).toBe(started.body.id);
      expect(watch.final.lastRun.status).toBe('succeeded');
      const records = await readAllRecords(second, 'hubspot', 'contact');
      const ids = records.map((record) => record.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(simulator.store.list('contacts').map((record) => record.id).sort());

      // Pages stored before the stop are not fetched again; at most the page in flight is.
      const listRequests = simulator.requests.count((entry) => entry.path === '/crm/v3/objects/contacts' && entry.query.archived === 'false');
      expect(listRequests).toBeLessThanOrEqual(CONTACTS / PAGE_SIZE + 2);
    }, 120_000);
  });
});
