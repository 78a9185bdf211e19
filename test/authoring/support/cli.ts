import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../../plugin-sdk/bin/lumio-connector.js', import.meta.url));
export const EXAMPLE_CONNECTOR = fileURLToPath(new URL('../../../connectors/example-tasks', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs lumio-connector as a child process; `cwd` defaults to the repository root. */
export function runCli(args: string[], cwd = REPOSITORY_ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      let code = 0;
      if (error !== null) code = typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Creates a temporary folder; `remove` deletes it with everything inside. */
export async function createWorkspace(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Copies the example-tasks connector into `parent`, without its recorded fixtures and
 * snapshots unless `withRecordings`, and returns the copy's folder.
 */
export async function copyExampleConnector(parent: string, withRecordings = false): Promise<string> {
  const target = join(parent, 'example-tasks');
  await cp(EXAMPLE_CONNECTOR, target, {
    recursive: true,
    filter: (source) => withRecordings || !/[/\\](fixtures|snapshots)[/\\].+\.json$/.test(source),
  });
  return target;
}

/** Writes a connection file for the record and run commands and returns its path. */
export async function writeConnectionFile(path: string, baseUrl: string, apiKey: string): Promise<string> {
  await writeFile(path, JSON.stringify({ config: { baseUrl }, credentials: { apiKey } }, null, 2));
  return path;
}
