import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createTasksSimulator, type TasksSimulator } from '../simulators/tasks-api/index.js';

const API_KEY = 'actions-key-0123456789';
const CONNECTOR_ID = 'task-actions';
const EXAMPLE_MANIFEST = fileURLToPath(new URL('../../connectors/example-tasks/manifest.json', import.meta.url));
const PLUGIN_SOURCE = fileURLToPath(new URL('./fixtures/task-actions-plugin.ts', import.meta.url));

/** The example tasks connector with a declared action and a plugin that defines two more. */
async function writeConnector(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(EXAMPLE_MANIFEST, 'utf8'));
  manifest.id = CONNECTOR_ID;
  manifest.actions = {
    addComment: {
      label: 'Comentar tarefa',
      description: 'Adds a comment to a task.',
      input: { type: 'object', properties: { taskId: { type: 'string' }, text: { type: 'string' }, mentions: { type: ['array', 'null'], items: { type: 'string' } } } },
      request: { method: 'POST', path: '/v1/tasks/{{ params.taskId }}/comments', body: { text: '{{ params.text }}' } },
      outputSelector: { path: 'data' },
    },
  };
  manifest.plugin = { entry: 'plugin/index.ts', capabilities: ['http', 'log'] };

  await mkdir(join(dir, CONNECTOR_ID, 'plugin'), { recursive: true });
  await writeFile(join(dir, CONNECTOR_ID, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await copyFile(PLUGIN_SOURCE, join(dir, CONNECTOR_ID, 'plugin', 'index.ts'));
}

forEachDatabase((database) => {
  describe('connector actions', () => {
    let simulator: TasksSimulator;
    let test: TestPlatform;
    let connectorsDir: string;
    let connectionId: string;

    beforeAll(async () => {
      simulator = createTasksSimulator({ apiKeys: [API_KEY] });
      await simulator.start();
      connectorsDir = await mkdtemp(join(tmpdir(), 'lumio-action-connectors-'));
      await writeConnector(connectorsDir);

      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir });
      const connect = await test.call('POST', `/v1/integrations/${CONNECTOR_ID}/connect`, { credentials: { apiKey: API_KEY }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      expect(connect.status, JSON.stringify(connect.body)).toBe(200);
      connectionId = connect.body.connectionId;
    });

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
      if (connectorsDir) await rm(connectorsDir, { recursive: true, force: true });
    });

    it('lists declared and plugin actions', async () => {
      const { status, body } = await test.call('GET', `/v1/integrations/${connectionId}/actions`);

      expect(status).toBe(200);
      expect(body.actions.map((action: any) => [action.name, action.runs])).toEqual([
        ['addComment', 'declared'],
        ['alwaysFails', 'plugin'],
        ['taskSummary', 'plugin'],
      ]);
      const addComment = body.actions[0];
      expect(addComment.label).toBe('Comentar tarefa');
      expect(addComment.input.required).toEqual(['taskId', 'text']);
    });

    it('runs a declared action against the provider', async () => {
      const taskId = simulator.list()[0]!.id;
      const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/addComment`, { input: { taskId, text: 'Ligar amanhã às 10h ✅' } });

      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.runs).toBe('declared');
      const stored = simulator.comments().at(-1)!;
      expect(stored.task_id).toBe(taskId);
      expect(stored.text).toBe('Ligar amanhã às 10h ✅');
      expect(body.output).toEqual(stored);
    });

    it('runs a plugin action with the http capability', async () => {
      const task = simulator.list()[1]!;
      const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/taskSummary`, { input: { taskId: task.id } });

      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.runs).toBe('plugin');
      expect(body.output).toEqual({ id: task.id, title: task.title, open: task.status === 'open', valueReais: task.value_cents / 100 });
      const request = simulator.requests.entries.at(-1)!;
      expect(request.path).toBe(`/v1/tasks/${task.id}`);
    });

    it('rejects invalid input without calling the provider', async () => {
      const before = simulator.requests.count();
      const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/addComment`, { input: { taskId: 42, txt: 'typo' } });

      expect(status).toBe(422);
      expect(body.code).toBe('ACTION_INPUT_INVALID');
      const fields = body.problems.map((problem: any) => problem.field).sort();
      expect(fields).toEqual(['taskId', 'text', 'txt']);
      expect(simulator.requests.count()).toBe(before);
    });

    it('names the known actions for an unknown one', async () => {
      const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/sendFax`, { input: {} });

      expect(status).toBe(404);
      expect(body.code).toBe('ACTION_NOT_FOUND');
      expect(body.detail).toContain('addComment, alwaysFails, taskSummary');
    });

    it('reports a provider refusal as a problem', async () => {
      const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/addComment`, { input: { taskId: 'task_9999', text: 'x' } });

      expect(status).toBeGreaterThanOrEqual(400);
      expect(body.code).toMatch(/^PROVIDER_/);
      expect(simulator.comments().some((comment) => comment.task_id === 'task_9999')).toBe(false);
    });

    it('reports a throwing plugin action by name', async () => {
      const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/alwaysFails`, { input: {} });

      expect(status).toBeGreaterThanOrEqual(400);
      expect(body.detail).toContain('alwaysFails');
      expect(body.detail).toContain(CONNECTOR_ID);
    });

    it('rejects an unknown body field', async () => {
      const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/addComment`, { inputs: {} });

      expect(status).toBe(400);
      expect(body.code).toBe('FIELD_UNKNOWN');
      expect(body.detail).toContain('did you mean input');
    });
  });
});
