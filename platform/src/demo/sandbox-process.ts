import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';

export interface SandboxProcess {
  url: string;
  stop(): Promise<void>;
}

export interface StartSandboxOptions {
  /** TypeScript entry of the simulator, started with tsx in a child process. */
  entry: string;
  args: string[];
  logger: Logger;
  /** How long to wait for the simulator to report its URL, in milliseconds. */
  startTimeoutMs?: number;
}

/**
 * Starts a provider simulator in a child process and waits for the JSON line it prints once
 * listening (`{"url": …}`). A separate process keeps its CPU work off the platform's event loop.
 */
export async function startSandboxProcess(options: StartSandboxOptions): Promise<SandboxProcess> {
  const { entry, args, logger } = options;
  if (!existsSync(entry)) {
    throw new LumioError('SANDBOX_MISSING', `The sandbox simulator ${entry} is not in this installation.`, { status: 500 });
  }

  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => logger.warn({ sandboxPid: child.pid, output: chunk.toString().trim() }, 'sandbox simulator wrote to stderr'));

  const url = await readUrl(child, options.startTimeoutMs ?? 60_000);
  logger.info({ sandboxPid: child.pid, url }, 'sandbox simulator listening');

  return {
    url,
    stop: () => stopChild(child),
  };
}

function readUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new LumioError('SANDBOX_START_TIMEOUT', `The sandbox simulator did not start within ${timeoutMs} ms.`));
    }, timeoutMs);

    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line) as { url?: unknown };
        if (typeof message.url !== 'string') return;
        clearTimeout(timer);
        lines.removeAllListeners('line');
        resolve(message.url);
      } catch {
        // Lines before the URL line are the simulator's own output; only the JSON line matters.
      }
    });

    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new LumioError('SANDBOX_EXITED', `The sandbox simulator exited with code ${code} before it was ready.`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
