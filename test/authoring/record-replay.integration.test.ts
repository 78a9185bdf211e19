import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTasksSimulator, type Task, type TasksSimulator } from '../simulators/tasks-api/index.js';
import { copyExampleConnector, createWorkspace, runCli, writeConnectionFile } from './support/cli.js';
import { expectedDeal } from './support/expected-deal.js';

// lumio-connector record and test on a copy of the example-tasks connector: record against
// the tasks simulator, then replay with the simulator stopped.

const API_KEY = 'sk-live-record-test-9f8e7d6c5b4a';

function listEmails(tasks: readonly Task[]): string[] {
  return [...new Set(tasks.flatMap((task) => [task.assignee.email, task.customer.email]))];
}

function listPhones(tasks: readonly Task[]): string[] {
  return [...new Set(tasks.flatMap((task) => [task.assignee.phone, task.customer.phone]))];
}

async function readFixtures(directory: string): Promise<Map<string, string>> {
  const folder = join(directory, 'fixtures');
  const files = new Map<string, string>();
  for (const name of (await readdir(folder)).filter((entry) => entry.endsWith('.json'))) files.set(name, await readFile(join(folder, name), 'utf8'));
  return files;
}

describe('record and replay', () => {
  let workspace: { path: string; remove(): Promise<void> };
  let simulator: TasksSimulator;
  let connector: string;
  let connectionFile: string;
  let tasks: Task[];

  beforeAll(async () => {
    workspace = await createWorkspace('lumio-record-');
    simulator = createTasksSimulator({ apiKeys: [API_KEY] });
    const { url } = await simulator.start();
    connector = await copyExampleConnector(workspace.path);
    connectionFile = await writeConnectionFile(join(workspace.path, 'connection.json'), url, API_KEY);
    tasks = simulator.list();
  });

  afterAll(async () => {
    await simulator?.close();
    await workspace?.remove();
  });

  it('record writes redacted fixtures', async () => {
    const result = await runCli(['record', connector, '--config', connectionFile]);
    const fixtures = await readFixtures(connector);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Recorded tasks (full): 25 records in 3 requests');
    expect(result.stdout).toContain('Recorded tasks (incremental):');
    expect(`${result.stdout}${result.stderr}`).not.toContain(API_KEY);
    expect([...fixtures.keys()].sort()).toEqual(['tasks.full.json', 'tasks.incremental.json']);
    for (const [name, text] of fixtures) {
      expect(text, name).not.toContain(API_KEY);
      expect(text, name).toContain('"x-api-key": "redacted-apiKey"');
      for (const email of listEmails(tasks)) expect(text.toLowerCase(), `${name}: ${email}`).not.toContain(email.toLowerCase());
      for (const phone of listPhones(tasks)) expect(text, `${name}: ${phone}`).not.toContain(phone);
    }
  });

  it('record redacts each value to one placeholder', async () => {
    const recording = JSON.parse((await readFixtures(connector)).get('tasks.full.json') as string);
    const recorded = recording.exchanges.flatMap((exchange: any) => exchange.response.body.json.data) as Task[];
    const byId = new Map(tasks.map((task) => [task.id, task]));
    const placeholderOf = new Map<string, string>();
    const originalOf = new Map<string, string>();

    expect(recorded).toHaveLength(tasks.length);
    for (const task of recorded) {
      const original = byId.get(task.id) as Task;
      const pairs: [string, string][] = [
        [original.assignee.email.toLowerCase(), task.assignee.email],
        [original.customer.phone, task.customer.phone],
      ];
      for (const [value, placeholder] of pairs) {
        expect(placeholderOf.get(value) ?? placeholder, value).toBe(placeholder);
        expect(originalOf.get(placeholder) ?? value, placeholder).toBe(value);
        placeholderOf.set(value, placeholder);
        originalOf.set(placeholder, value);
      }
      expect(task.assignee.email).toMatch(/^redacted-email-\d+@example\.com$/);
      expect(task.title).toBe(original.title);
      expect(task.value_cents).toBe(original.value_cents);
    }
  });

  it('test --update writes the snapshots', async () => {
    const result = await runCli(['test', connector, '--update']);
    const snapshot = JSON.parse(await readFile(join(connector, 'snapshots', 'tasks.full.json'), 'utf8'));

    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('2 snapshots written');
    expect(snapshot.canonicalObject).toBe('deal');
    expect(snapshot.records).toHaveLength(tasks.length);
    expect(snapshot.state.phase).toBe('done');
    expect(snapshot.state.cursor).toBe(tasks.map((task) => task.updated_at).sort().at(-1));
    for (const record of snapshot.records) {
      const task = tasks.find((candidate) => candidate.id === record.externalId) as Task;
      const { ownerEmail: _email, customFields, ...expected } = expectedDeal(task);
      expect(record.data, task.id).toMatchObject(expected);
      expect(record.data.customFields.priority).toBe((customFields as Record<string, unknown>).priority);
      expect(record.deleted).toBe(task.archived);
    }
  });

  it('test replays offline', async () => {
    await simulator.close();

    const result = await runCli(['test', connector]);

    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('ok   tasks (full): 25 records from 3 recorded requests match');
    expect(result.stdout).toContain('ok   tasks (incremental):');
    expect(result.stdout).toContain('all passed');
  });

  it('test shows a readable diff', async () => {
    const path = join(connector, 'snapshots', 'tasks.full.json');
    const original = await readFile(path, 'utf8');
    const snapshot = JSON.parse(original);
    const changed = snapshot.records.find((record: any) => record.externalId === 'task_0003');
    const actualStage = changed.data.stage;
    changed.data.stage = 'Perdido';
    snapshot.records = snapshot.records.filter((record: any) => record.externalId !== 'task_0005');
    await writeFile(path, JSON.stringify(snapshot, null, 2));

    try {
      const result = await runCli(['test', connector]);

      expect(result.code).toBe(1);
      expect(result.stdout).toContain('FAIL tasks (full): 25 records from 3 recorded requests differ from');
      expect(result.stdout).toContain(`record "task_0003" data.stage: expected "Perdido", got ${JSON.stringify(actualStage)}`);
      expect(result.stdout).toContain('record "task_0005": new in the replay');
      expect(result.stdout).toContain('run the command with --update');
      expect(result.stdout).toContain('ok   tasks (incremental):');
      expect(result.stdout).toContain('1 passed, 1 failed');
    } finally {
      await writeFile(path, original);
    }
  });

  it('test fails on a request the recording lacks', async () => {
    const path = join(connector, 'fixtures', 'tasks.full.json');
    const original = await readFile(path, 'utf8');
    const recording = JSON.parse(original);
    recording.exchanges[1].request.url = recording.exchanges[1].request.url.replace('page=2', 'page=20');
    await writeFile(path, JSON.stringify(recording, null, 2));

    try {
      const result = await runCli(['test', connector, '--object', 'tasks']);

      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/FAIL tasks \(full\): .*tasks\.full\.json/);
      expect(result.stdout).toMatch(/The replay sent GET http:\/\/127\.0\.0\.1:\d+\/v1\/tasks\?per_page=10&page=2, which the recording does not contain/);
    } finally {
      await writeFile(path, original);
    }
  });

  it('test fails when recorded requests go unsent', async () => {
    const path = join(connector, 'fixtures', 'tasks.incremental.json');
    const original = await readFile(path, 'utf8');
    const recording = JSON.parse(original);
    recording.exchanges.push(structuredClone(recording.exchanges[0]));
    recording.exchanges[1].request.url += '&page=2';
    await writeFile(path, JSON.stringify(recording, null, 2));

    try {
      const result = await runCli(['test', connector]);

      expect(result.code).toBe(1);
      expect(result.stdout).toContain('the replay sent 1 request, but the recording has 1 more');
    } finally {
      await writeFile(path, original);
    }
  });
});

describe('record against a throttled provider', () => {
  let workspace: { path: string; remove(): Promise<void> };
  let simulator: TasksSimulator;

  beforeAll(async () => {
    workspace = await createWorkspace('lumio-throttle-');
    simulator = createTasksSimulator({ apiKeys: [API_KEY] });
    await simulator.start();
  });

  afterAll(async () => {
    await simulator?.close();
    await workspace?.remove();
  });

  it('keeps the 429 and replays the retry', async () => {
    const connector = await copyExampleConnector(workspace.path);
    const connectionFile = await writeConnectionFile(join(workspace.path, 'connection.json'), simulator.url as string, API_KEY);
    simulator.throttleNext(1, 1);

    const recorded = await runCli(['record', connector, '--config', connectionFile, '--no-incremental']);
    const recording = JSON.parse(await readFile(join(connector, 'fixtures', 'tasks.full.json'), 'utf8'));

    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recording.exchanges.map((exchange: any) => exchange.response.status)).toEqual([429, 200, 200, 200]);
    expect(recording.exchanges[0].response.headers['retry-after']).toBe('1');

    await simulator.close();
    const written = await runCli(['test', connector, '--update']);
    const replayed = await runCli(['test', connector]);

    expect(written.code, written.stdout).toBe(0);
    expect(replayed.code, replayed.stdout).toBe(0);
    expect(replayed.stdout).toContain('ok   tasks (full): 25 records from 4 recorded requests');
  }, 60_000);

  it('record writes nothing when the key is wrong', async () => {
    const fresh = createTasksSimulator({ apiKeys: ['another-key'] });
    const { url } = await fresh.start();
    try {
      const connector = await copyExampleConnector(join(workspace.path, 'wrong-key'));
      const connectionFile = await writeConnectionFile(join(workspace.path, 'wrong-key.json'), url, API_KEY);

      const result = await runCli(['record', connector, '--config', connectionFile]);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Recording the full run of "tasks" failed, so no fixture was written');
      expect(result.stderr).toContain('401');
      expect(result.stderr).not.toContain(API_KEY);
      expect((await readdir(join(connector, 'fixtures'))).filter((name) => name.endsWith('.json'))).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('record rejects a missing connection file with status 2', async () => {
    const connector = await copyExampleConnector(join(workspace.path, 'no-config'));

    const result = await runCli(['record', connector, '--config', join(workspace.path, 'absent.json')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('absent.json does not exist; pass a JSON file with "config" and "credentials" to --config');
  });
});
