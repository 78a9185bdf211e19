import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readAllRecords, startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createTasksSimulator, type TasksSimulator } from '../simulators/tasks-api/index.js';
import { forEachDatabase } from '../store/databases.js';
import { copyExampleConnector, createWorkspace } from './support/cli.js';
import { expectedDeal } from './support/expected-deal.js';

// The example-tasks connector published as the connector guide describes: its folder copied
// into the platform's connectors folder, then connected and synced through the REST API
// against the tasks simulator.

const API_KEY = 'sk-live-e2e-example-tasks-1234';

forEachDatabase((database) => {
  describe('example-tasks connector in the platform', () => {
    let workspace: { path: string; remove(): Promise<void> };
    let simulator: TasksSimulator;
    let test: TestPlatform;
    let url: string;

    beforeAll(async () => {
      workspace = await createWorkspace('lumio-example-connectors-');
      await copyExampleConnector(workspace.path, true);
      simulator = createTasksSimulator({ apiKeys: [API_KEY] });
      ({ url } = await simulator.start());
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: workspace.path });
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
      await workspace?.remove();
    });

    it('loads with its plugin', async () => {
      const { status, body } = await test.call('GET', '/v1/integrations');

      expect(status).toBe(200);
      expect(body.integrations.map((entry: any) => entry.id)).toEqual(['example-tasks']);
    });

    it('refuses a wrong API key', async () => {
      const { status, body } = await test.call('POST', '/v1/integrations/example-tasks/connect', { credentials: { apiKey: 'wrong-key-000000' }, config: { baseUrl: url } });

      expect(status).toBe(422);
      expect(body.code).toBe('CONNECTION_TEST_FAILED');
    });

    it('full sync stores every task as a deal', async () => {
      const connect = await test.call('POST', '/v1/integrations/example-tasks/connect', { credentials: { apiKey: API_KEY }, config: { baseUrl: url } });
      expect(connect.status).toBe(200);
      expect(JSON.stringify(connect.body)).not.toContain(API_KEY);

      const started = await test.call('POST', '/v1/integrations/example-tasks/sync', { type: 'tasks', mode: 'full' });
      expect(started.status).toBe(202);
      const watch = await watchRun(test, 'example-tasks', 60_000);

      const tasks = simulator.list();
      const archived = tasks.filter((task) => task.archived).length;
      expect(watch.final.lastRun.status).toBe('succeeded');
      // The store counts a record that arrives already archived as deleted, not inserted.
      expect(watch.final.lastRun.counts.inserted).toBe(tasks.length - archived);
      expect(watch.final.lastRun.counts.deleted).toBe(archived);

      const records = await readAllRecords(test, 'example-tasks', 'deal');
      const byId = new Map(records.map((record) => [record.externalId, record]));
      expect(byId.size).toBe(tasks.length);
      for (const task of tasks) {
        expect(byId.get(task.id)?.data, task.id).toEqual(expectedDeal(task));
        expect(byId.get(task.id)?.deleted, task.id).toBe(task.archived);
      }
    }, 90_000);

    it('incremental sync reads a changed task', async () => {
      const changed = simulator.update('task_0004', { column: 'Fechamento', status: 'done' });
      simulator.requests.reset();

      await test.call('POST', '/v1/integrations/example-tasks/sync', { type: 'tasks', mode: 'incremental' });
      const watch = await watchRun(test, 'example-tasks', 60_000);

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.mode).toBe('incremental');
      expect(watch.final.lastRun.counts.updated).toBe(1);
      expect(simulator.requests.entries.every((entry) => typeof entry.query.updated_since === 'string')).toBe(true);
      const records = await readAllRecords(test, 'example-tasks', 'deal');
      expect(records.find((record) => record.externalId === 'task_0004')?.data).toEqual(expectedDeal(changed));
    }, 90_000);
  });
});
