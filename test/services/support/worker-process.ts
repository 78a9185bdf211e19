import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface WorkerRun<Report> {
  exitCode: number | null;
  /** The worker's last stdout line parsed as JSON, or undefined when it printed none. */
  report?: Report;
  stderr: string;
}

/**
 * Runs a TypeScript worker script in a child process with `config` as its JSON argument and
 * returns its exit code, its report and its stderr. A worker still running after `timeoutMs`
 * is killed by its own pid, so a test that uses it stays bounded.
 */
export function runWorkerProcess<Report>(script: string, config: unknown, timeoutMs: number): Promise<WorkerRun<Report>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);

    child.on('close', (exitCode) => {
      clearTimeout(killer);
      const lastLine = stdout.trim().split('\n').at(-1);
      let report: Report | undefined;
      try {
        report = lastLine ? (JSON.parse(lastLine) as Report) : undefined;
      } catch {
        report = undefined;
      }
      resolve({ exitCode, report, stderr });
    });
  });
}
