import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createTasksSimulator, type TasksSimulator } from '../simulators/tasks-api/index.js';

const API_KEY = 'hooks-key-0123456789';
const CONNECTOR_ID = 'task-hooks';
const EXAMPLE_MANIFEST = fileURLToPath(new URL('../../connectors/example-tasks/manifest.json', import.meta.url));
const PLUGIN_SOURCE = fileURLToPath(new URL('./fixtures/request-hooks-plugin.ts', import.meta.url));
const PAGE_SIZE = 10;

/** The example tasks connector with a plugin that defines only buildRequest and paginate. */
async function writeConnector(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(EXAMPLE_MANIFEST, 'utf8'));
  manifest.id = CONNECTOR_ID;
  manifest.connection.configSchema.properties.repeatPage = { type: 'boolean', description: 'Makes the plugin return the same page request again.', default: false };
  manifest.plugin = { entry: 'plugin/index.ts', capabilities: ['log'] };

  await mkdir(join(dir, CONNECTOR_ID, 'plugin'), { recursive: true });
  await writeFile(join(dir, CONNECTOR_ID, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await copyFile(PLUGIN_SOURCE, join(dir, CONNECTOR_ID, 'plugin', 'index.ts'));
}

forEachDatabase((database) => {
  describe('plugin request hooks', () => {
    let simulator: TasksSimulator;
    let test: TestPlatform;
    let connectorsDir: string;

    beforeAll(async () => {
      simulator = createTasksSimulator({ apiKeys: [API_KEY] });
      await simulator.start();
      connectorsDir = await mkdtemp(join(tmpdir(), 'lumio-hook-connectors-'));
      await writeConnector(connectorsDir);
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir });
    });

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
      if (connectorsDir) await rm(connectorsDir, { recursive: true, force: true });
    });

    it('pages with the plugin and tags every request', async () => {
      const connect = await test.call('POST', `/v1/integrations/${CONNECTOR_ID}/connect`, { name: 'paged', credentials: { apiKey: API_KEY }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      expect(connect.status, JSON.stringify(connect.body)).toBe(200);
      simulator.requests.reset();

      const started = await test.call('POST', `/v1/integrations/${connect.body.connectionId}/sync`, { type: 'tasks', mode: 'full' });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const watch = await watchRun(test, connect.body.connectionId, 60_000);
      expect(watch.final.lastRun.status).toBe('succeeded');

      const listRequests = simulator.requests.entries.filter((entry) => entry.path === '/v1/tasks');
      const total = simulator.list().length;
      expect(listRequests.length).toBe(Math.ceil(total / PAGE_SIZE));
      expect(listRequests.every((entry) => entry.query.source === 'lumio-tasks')).toBe(true);
      expect(listRequests[0]!.query.pagedBy).toBeUndefined();
      expect(listRequests.slice(1).map((entry) => entry.query.page)).toEqual(listRequests.slice(1).map((_, index) => String(index + 2)));
      expect(listRequests.slice(1).every((entry) => entry.query.pagedBy === 'plugin')).toBe(true);
      expect(watch.final.lastRun.counts.read).toBe(total);
    }, 90_000);

    it('stops a plugin that repeats a page', async () => {
      const connect = await test.call('POST', `/v1/integrations/${CONNECTOR_ID}/connect`, { name: 'looping', credentials: { apiKey: API_KEY }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly', repeatPage: true } });
      expect(connect.status, JSON.stringify(connect.body)).toBe(200);
      simulator.requests.reset();

      const started = await test.call('POST', `/v1/integrations/${connect.body.connectionId}/sync`, { type: 'tasks', mode: 'full' });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const watch = await watchRun(test, connect.body.connectionId, 60_000);

      expect(watch.final.lastRun?.status, JSON.stringify(watch.final)).toBe('failed');
      expect(watch.final.lastRun.error.code).toBe('PAGINATION_LOOP');
      expect(watch.final.lastRun.error.message).toContain('plugin request GET');
      expect(simulator.requests.count((entry) => entry.path === '/v1/tasks')).toBe(2);
    }, 90_000);
  });
});
