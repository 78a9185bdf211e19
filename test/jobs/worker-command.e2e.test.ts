import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEmbeddedJobQueue, NOOP_JOB_NAME } from '../../platform/src/jobs/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { forEachDatabase } from '../store/databases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'platform/src/cli/main.ts');

interface StartedWorker {
  child: ChildProcess;
  output(): string;
}

/** Runs `lumio worker` on the test database, with the embedded job queue (no REDIS_URL). */
function startWorkerCommand(env: Record<string, string>): StartedWorker {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && name !== 'DATABASE_URL'));
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker'], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'info', LUMIO_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForOutput(worker: StartedWorker, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(worker.output())) return;
    if (worker.child.exitCode !== null) throw new Error(`The worker command exited early:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No output matched ${pattern} within ${timeoutMs} ms:\n${worker.output()}`);
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

forEachDatabase((database) => {
  describe('lumio worker', () => {
    it('runs noop jobs and stops on SIGTERM', async () => {
      const { dataDir, databaseUrl } = database.storeOptions();
      const worker = startWorkerCommand({ LUMIO_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
      onTestFinished(() => {
        if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      });
      await waitForOutput(worker, /"msg":"workers started"/);

      const store = await database.openStore();
      const producer = createEmbeddedJobQueue({ store, logger: silentLogger });
      onTestFinished(() => producer.close());
      const id = await producer.enqueue(NOOP_JOB_NAME, { from: 'test' });
      let state: string | undefined;
      for (let attempt = 0; attempt < 200 && state !== 'completed'; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = (await producer.getJob(id))?.state;
      }

      expect(state).toBe('completed');
      expect(worker.output()).toContain('"msg":"webhook worker started"');
      expect(worker.output()).not.toContain('platform listening');

      worker.child.kill('SIGTERM');
      expect(await exitCode(worker.child)).toBe(0);
      expect(worker.output()).toContain('"msg":"workers stopped"');
    });
  });
});
