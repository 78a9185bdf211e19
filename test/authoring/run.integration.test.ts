import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTasksSimulator, type TasksSimulator } from '../simulators/tasks-api/index.js';
import { copyExampleConnector, createWorkspace, runCli, writeConnectionFile } from './support/cli.js';
import { expectedDeal } from './support/expected-deal.js';

// lumio-connector run on a copy of the example-tasks connector against the tasks simulator.

const API_KEY = 'sk-live-run-test-0a1b2c3d4e5f';

/** Parses the record lines of run's output ("  <id> <json>") into a map by id. */
function readRecordLines(stdout: string): Map<string, any> {
  const records = new Map<string, any>();
  for (const line of stdout.split('\n')) {
    const match = /^ {2}(\S+)(?: \(deleted\))? (\{.*\})$/.exec(line);
    if (match) records.set(match[1] as string, JSON.parse(match[2] as string));
  }
  return records;
}

describe('lumio-connector run', () => {
  let workspace: { path: string; remove(): Promise<void> };
  let simulator: TasksSimulator;
  let connector: string;
  let connectionFile: string;
  let url: string;

  beforeAll(async () => {
    workspace = await createWorkspace('lumio-run-');
    simulator = createTasksSimulator({ apiKeys: [API_KEY] });
    ({ url } = await simulator.start());
    connector = await copyExampleConnector(workspace.path);
    connectionFile = await writeConnectionFile(join(workspace.path, 'connection.json'), url, API_KEY);
  });

  afterAll(async () => {
    await simulator?.close();
    await workspace?.remove();
  });

  it('prints requests, responses and mapped records', async () => {
    const result = await runCli(['run', connector, '--config', connectionFile, '--object', 'tasks', '--limit', '0']);
    const records = readRecordLines(result.stdout);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`GET ${url}/v1/tasks\\?per_page=10 -> 200 \\(\\d+ bytes, \\d+ ms\\)`));
    expect(result.stdout).toContain(`GET ${url}/v1/tasks?per_page=10&page=3 -> 200 (`);
    expect(result.stdout).toContain('Read 25 records of "tasks" (full) with 3 requests.');
    expect(`${result.stdout}${result.stderr}`).not.toContain(API_KEY);
    expect(records.size).toBe(25);
    for (const task of simulator.list()) expect(records.get(task.id), task.id).toEqual(expectedDeal(task));
  });

  it('stops at the limit', async () => {
    const result = await runCli(['run', connector, '--config', connectionFile, '--object', 'tasks', '--limit', '3']);

    expect(result.code, result.stderr).toBe(0);
    expect(readRecordLines(result.stdout).size).toBe(3);
    expect(result.stdout).toContain('Stopped after 3 records (--limit 3)');
  });

  it('prints raw records with --raw', async () => {
    const result = await runCli(['run', connector, '--config', connectionFile, '--object', 'tasks', '--limit', '1', '--raw']);
    const [record] = [...readRecordLines(result.stdout).values()];
    const task = simulator.list().find((candidate) => candidate.id === record.id);

    expect(result.code, result.stderr).toBe(0);
    expect(record.value_cents).toBe(task?.value_cents);
    expect(record.value).toBe((task?.value_cents ?? 0) / 100);
    expect(record.fields).toEqual(Object.fromEntries(task?.custom_fields.map((field) => [field.name, field.value]) ?? []));
  });

  it('continues incrementally from a state file', async () => {
    const stateFile = join(workspace.path, 'state.json');
    const lastChange = simulator.list().map((task) => task.updated_at).sort().at(-1);
    const full = await runCli(['run', connector, '--config', connectionFile, '--object', 'tasks', '--limit', '0', '--state', stateFile]);
    expect(full.code, full.stderr).toBe(0);
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    const changed = simulator.update('task_0002', { column: 'Negociação' });
    simulator.requests.reset();

    const incremental = await runCli(['run', connector, '--config', connectionFile, '--object', 'tasks', '--mode', 'incremental', '--limit', '0', '--state', stateFile]);
    const records = readRecordLines(incremental.stdout);

    expect(incremental.code, incremental.stderr).toBe(0);
    expect(saved.cursor).toBe(lastChange);
    expect(records.get('task_0002')).toEqual(expectedDeal(changed));
    expect(simulator.requests.entries.map((entry) => entry.query.updated_since)).toEqual([saved.cursor]);
    expect(JSON.parse(await readFile(stateFile, 'utf8')).cursor).toBe(changed.updated_at);
  });

  it('rejects an unknown object with status 2', async () => {
    const result = await runCli(['run', connector, '--config', connectionFile, '--object', 'invoices']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no readable object "invoices"; the readable objects are "tasks"');
  });

  it('rejects a bad limit with status 2', async () => {
    const result = await runCli(['run', connector, '--config', connectionFile, '--object', 'tasks', '--limit', 'ten']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Give a whole number of records, 0 or more.');
  });

  it('reports a wrong key with the provider message', async () => {
    const wrongKey = await writeConnectionFile(join(workspace.path, 'wrong.json'), url, 'not-the-key-123456');

    const result = await runCli(['run', connector, '--config', wrongKey, '--object', 'tasks']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('-> 401 (');
    expect(result.stderr).toContain('The X-Api-Key header is missing or not a valid key.');
    expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-key-123456');
  });
});
