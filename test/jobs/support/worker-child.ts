import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueueProcessConfig } from './queue-process-config.js';

const REPOSITORY_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SCRIPT = 'test/jobs/support/queue-worker-process.ts';

/** A line the worker process printed. */
export interface ChildEvent {
  event: string;
  id?: string;
  attempt?: number;
  pid?: number;
}

/** A running worker process, started by `startWorkerChild`. */
export interface WorkerChild {
  readonly pid: number;
  /** Resolves with the first event (past or future) that matches, or rejects after `timeoutMs`. */
  waitForEvent(matches: (event: ChildEvent) => boolean, timeoutMs: number): Promise<ChildEvent>;
  /** Sends SIGKILL to the process by its pid and resolves once it has exited. */
  kill(): Promise<void>;
}

/** Starts `queue-worker-process.ts` with `config` as its JSON argument. */
export function startWorkerChild(config: QueueProcessConfig): WorkerChild {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(config)], {
    cwd: REPOSITORY_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ChildEvent[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let buffered = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
    for (const listener of listeners) listener();
  });

  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((text) => text.trim() !== '')) {
      events.push(JSON.parse(line) as ChildEvent);
    }
    for (const listener of listeners) listener();
  });

  return {
    pid: child.pid ?? -1,
    waitForEvent(matches, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(matches);
          if (found) finish(() => resolve(found));
          else if (exited) finish(() => reject(new Error(`The worker process exited before the expected event; stderr: ${stderr.slice(-2000)}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`No matching event from the worker process within ${timeoutMs} ms; events: ${JSON.stringify(events)}; stderr: ${stderr.slice(-2000)}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}
