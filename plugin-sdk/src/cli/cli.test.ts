import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { crmManifestText, loadCrmManifest, renameAt } from '../validate/fixtures/manifest-fixture.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/lumio-connector.js', import.meta.url));

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process from the repository root. */
function runCli(...args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPOSITORY_ROOT }, (error, stdout, stderr) => {
      let code = 0;
      if (error !== null) code = typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

let workspace: string;
let validDirectory: string;
let invalidDirectory: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lumio-cli-'));
  validDirectory = join(workspace, 'valid');
  invalidDirectory = join(workspace, 'invalid');
  await mkdir(validDirectory);
  await mkdir(invalidDirectory);
  await writeFile(join(validDirectory, 'manifest.json'), crmManifestText());

  const broken = loadCrmManifest();
  renameAt(broken, '/objects/contacts/operations/list/pagination', 'pagniation');
  await writeFile(join(invalidDirectory, 'manifest.json'), JSON.stringify(broken, null, 2));
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('lumio-connector validate', () => {
  it('exits 0 for a valid connector', async () => {
    const result = await runCli('validate', validDirectory);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${join(validDirectory, 'manifest.json')}: valid`);
    expect(result.stdout).toContain('Checked 1 manifest: all valid.');
  });

  it('exits 1 and lists issues', async () => {
    const result = await runCli('validate', invalidDirectory);
    const file = join(invalidDirectory, 'manifest.json');

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${file}#/objects/contacts/operations/list/pagniation: Unknown property 'pagniation'. (did you mean 'pagination'?)`,
    );
    expect(result.stdout).toContain('Checked 1 manifest: 0 valid, 1 invalid with 1 issue.');
  });

  it('shows paths relative to the working directory', async () => {
    const fixture = fileURLToPath(new URL('../validate/fixtures/crm-manifest.json', import.meta.url));

    const result = await runCli('validate', relative(REPOSITORY_ROOT, fixture));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('plugin-sdk/src/validate/fixtures/crm-manifest.json: valid');
  });

  it('checks several connectors', async () => {
    const result = await runCli('validate', validDirectory, invalidDirectory);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Checked 2 manifests: 1 valid, 1 invalid with 1 issue.');
  });

  it('prints JSON results', async () => {
    const result = await runCli('validate', '--json', validDirectory, invalidDirectory);
    const report = JSON.parse(result.stdout) as {
      valid: boolean;
      results: { file: string; valid: boolean; errors: { pointer: string; suggestion?: string }[] }[];
    };

    expect(result.code).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.results.map((entry) => entry.valid)).toEqual([true, false]);
    expect(report.results[1]?.errors).toEqual([
      expect.objectContaining({ pointer: '/objects/contacts/operations/list/pagniation', suggestion: 'pagination' }),
    ]);
  });

  it('reports a JSON syntax error', async () => {
    const directory = join(workspace, 'syntax');
    await mkdir(directory);
    await writeFile(join(directory, 'manifest.json'), '{\n  "id": "x",\n}\n');

    const result = await runCli('validate', directory);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('#: Invalid JSON at line 3, column 1:');
  });

  it('prints help for each command', async () => {
    const root = await runCli('--help');
    const validate = await runCli('validate', '--help');

    expect(root.code).toBe(0);
    expect(root.stdout).toContain('Usage: lumio-connector');
    expect(root.stdout).toContain('validate');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('Usage: lumio-connector validate [options] <paths...>');
    expect(validate.stdout).toContain('--json');
  });

  it('rejects a call without paths', async () => {
    const result = await runCli('validate');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("missing required argument 'paths'");
  });
});
