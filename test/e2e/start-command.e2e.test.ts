import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'platform/src/cli/main.ts');

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Runs the start command as `npm start` does, on a free port and a fresh data folder. */
function startCli(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(started: Started, pattern: RegExp, timeoutMs = 90_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(started.output());
    if (match) return match;
    if (started.child.exitCode !== null) throw new Error(`The start command exited early:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No line matched ${pattern} within ${timeoutMs} ms:\n${started.output()}`);
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('start command', () => {
  const folders: string[] = [];
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('starts the demo and syncs from the sandbox', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lumio-start-'));
    folders.push(dataDir);
    const started = startCli({ PORT: '0', LUMIO_DATA_DIR: dataDir });
    children.push(started.child);

    const [, url] = await waitFor(started, /listening on (http:\/\/\S+)/);
    const [, key] = await waitFor(started, /Admin API key:\s+(lumio_\S+)/);
    await waitFor(started, /HubSpot SANDBOX/);
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

    const list = (await (await fetch(`${url}/v1/integrations`, { headers: auth })).json()) as any;
    expect(list.integrations.find((entry: any) => entry.id === 'hubspot').status).toBe('connected');

    const sync = await fetch(`${url}/v1/integrations/hubspot/sync`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'companies', mode: 'full' }) });
    expect(sync.status).toBe(202);

    let status: any;
    for (let attempt = 0; attempt < 600; attempt += 1) {
      status = (await (await fetch(`${url}/v1/integrations/hubspot/status`, { headers: auth })).json()) as any;
      if (status.status !== 'syncing') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.lastRun.status).toBe('succeeded');
    expect(status.lastRun.counts.inserted).toBeGreaterThan(0);

    const records = (await (await fetch(`${url}/v1/records?integration=hubspot&object=company&limit=5`, { headers: auth })).json()) as any;
    expect(records.records).toHaveLength(5);
    expect(typeof records.records[0].data.name).toBe('string');

    started.child.kill('SIGTERM');
    expect(await exitCode(started.child)).toBe(0);
  }, 180_000);

  it('names the variable of a bad setting', async () => {
    const started = startCli({ PORT: 'eighty', LUMIO_DATA_DIR: join(tmpdir(), 'lumio-unused') });
    children.push(started.child);

    expect(await exitCode(started.child)).toBe(1);
    expect(started.output()).toContain('PORT must be a port number');
  });

  it('refuses the demo in production', async () => {
    const started = startCli({ NODE_ENV: 'production', LUMIO_DEMO: 'true', LUMIO_DATA_DIR: join(tmpdir(), 'lumio-unused') });
    children.push(started.child);

    expect(await exitCode(started.child)).toBe(1);
    expect(started.output()).toContain('LUMIO_DEMO');
  });
});
