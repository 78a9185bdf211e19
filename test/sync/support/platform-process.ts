import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'platform/src/cli/main.ts');
/** Output kept per process for failure messages, in characters. */
const MAX_OUTPUT = 64_000;

/** A `lumio start` or `lumio worker` process the test started. */
export interface PlatformProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last MAX_OUTPUT characters the process wrote to stdout and stderr. */
  output(): string;
  /** Resolves with the URL a `start` process prints once it listens. */
  waitForUrl(timeoutMs?: number): Promise<string>;
  /** Resolves once the output matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends SIGKILL to the process by its pid and resolves once it has exited. */
  kill(): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the platform CLI in a child process, as `npm start` does, with `env` on top of
 * this process's environment minus DATABASE_URL and REDIS_URL.
 */
export function startPlatformProcess(command: 'start' | 'worker', env: Record<string, string>, args: string[] = []): PlatformProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DATABASE_URL' && name !== 'REDIS_URL'));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, command, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitFor = async (pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(output);
      if (match) return match;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`lumio ${command} exited before printing ${pattern}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`lumio ${command} printed nothing matching ${pattern} within ${timeoutMs} ms:\n${output}`);
  };

  return {
    pid: child.pid ?? -1,
    child,
    output: () => output,
    waitForUrl: async (timeoutMs = 60_000) => (await waitFor(/listening on (http:\/\/\S+)/, timeoutMs))[1] as string,
    waitForOutput: async (pattern, timeoutMs = 60_000) => {
      await waitFor(pattern, timeoutMs);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
