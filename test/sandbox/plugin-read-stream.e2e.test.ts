import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readAllRecords, startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { writePluginConnectors } from './support/plugin-connectors.js';

// A connector whose contacts object declares no list request: the plugin's readStream reads
// it through the host's http capability (which applies the connection's token) and counts
// pages in its per-connection state.

const TOKEN = 'pat-na1-reader-token';
const CONTACTS = 250;

forEachDatabase((database) => {
  describe('plugin readStream sync', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let connectionId: string;

    beforeAll(async () => {
      const connectorsDir = await mkdtemp(join(tmpdir(), 'lumio-plugin-connectors-'));
      await writePluginConnectors(connectorsDir);
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 5, contacts: { count: CONTACTS } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir });

      const { status, body } = await test.call('POST', '/v1/integrations/hubspot-reader/connect', {
        credentials: { accessToken: TOKEN },
        config: { baseUrl: simulator.url, rateLimits: 'providerOnly' },
      });
      expect(status).toBe(200);
      connectionId = body.connectionId;
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('reads every contact through the plugin', async () => {
      simulator.requests.reset();

      await test.call('POST', '/v1/integrations/hubspot-reader/sync', { type: 'contacts', mode: 'full' });
      const watch = await watchRun(test, 'hubspot-reader', 60_000);

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.counts.pages).toBe(3);
      expect(watch.final.lastRun.counts.inserted).toBe(CONTACTS);
      const records = await readAllRecords(test, 'hubspot-reader', 'contact');
      const byId = new Map(records.map((record) => [record.externalId, record]));
      for (const source of simulator.store.list('contacts')) {
        expect(byId.get(source.id)?.data.email ?? null, source.id).toBe(source.properties.email?.trim().toLowerCase() ?? null);
      }

      // The simulator refuses requests without the token, so every page carried the host's auth.
      const lists = simulator.requests.entries.filter((entry) => entry.path === '/crm/v3/objects/contacts');
      expect(lists).toHaveLength(3);
      expect(lists.every((entry) => entry.status === 200)).toBe(true);
    }, 60_000);

    it('keeps the plugin state per connection', async () => {
      expect((await test.platform.store.pluginState.get(connectionId, 'pages'))?.value).toBe(3);

      await test.call('POST', '/v1/integrations/hubspot-reader/sync', { type: 'contacts', mode: 'full' });
      const watch = await watchRun(test, 'hubspot-reader', 60_000);

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.counts.unchanged).toBe(CONTACTS);
      expect((await test.platform.store.pluginState.get(connectionId, 'pages'))?.value).toBe(6);
    }, 60_000);
  });
});
