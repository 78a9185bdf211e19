import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { busiestWindow } from '../simulators/shared/index.js';
import { forEachDatabase } from '../store/databases.js';
import { readAllRecords, startTestPlatform, watchRun, type TestPlatform } from './platform-harness.js';

const TOKEN = 'limited-token';
/** Enough pages (about 125 requests) to need more than one of HubSpot's 10-second windows. */
const CONTACTS = 12_000;

forEachDatabase((database) => {
  describe('sync under HubSpot rate limits', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;

    beforeAll(async () => {
      // HubSpot's default private-app limits: 100 requests per rolling 10 s, 5 searches a second.
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 3, contacts: { count: CONTACTS, archivedCount: 20 } } });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });
      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url } });
      expect(connect.status).toBe(200);
    });

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('stays within the limit without a 429', async () => {
      simulator.requests.reset();
      await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      const watch = await watchRun(test, 'hubspot', 120_000, 200);

      expect(watch.final.lastRun.status).toBe('succeeded');
      const entries = simulator.requests.entries;
      expect(entries.length).toBeGreaterThan(100);
      expect(entries.filter((entry) => entry.status === 429)).toEqual([]);

      // No rolling 10-second window saw more than 100 requests.
      const times = entries.map((entry) => entry.time).sort((a, b) => a - b);
      expect(busiestWindow(times, 10_000)).toBeLessThanOrEqual(100);

      const records = await readAllRecords(test, 'hubspot', 'contact');
      expect(records.length).toBe(CONTACTS + 20);

      const health = await test.call('GET', '/v1/integrations/hubspot/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('healthy');
      expect(health.body.circuitBreakers.map((breaker: any) => breaker.state)).not.toContain('open');
      const burst = health.body.rateLimits.find((budget: any) => budget.budget === 'burst');
      expect(burst.limit).toBe(100);
      expect(burst.intervalMs).toBe(10_000);
    }, 150_000);

    it('retries through provider errors', async () => {
      simulator.requests.reset();
      simulator.failNext(2, 503);
      await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
      const watch = await watchRun(test, 'hubspot', 120_000, 200);

      expect(watch.final.lastRun.status).toBe('succeeded');
      const failures = simulator.requests.entries.filter((entry) => entry.status === 503);
      expect(failures).toHaveLength(2);
      // The retries came after a backoff, not at once.
      const firstFailure = failures[0]!;
      const next = simulator.requests.entries.find((entry) => entry.time > firstFailure.time);
      expect(next).toBeDefined();
    }, 150_000);

    it('fails with a clear error when the provider keeps refusing', async () => {
      simulator.failNext(100, 401);
      await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
      const watch = await watchRun(test, 'hubspot', 60_000, 100);

      expect(watch.final.lastRun.status).toBe('failed');
      expect(watch.final.lastRun.error.code).toBe('PROVIDER_AUTH_FAILED');
      expect(watch.final.health).toBe('degraded');
      simulator.clearFaults();
    }, 90_000);
  });
});
