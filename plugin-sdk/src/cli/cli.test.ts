import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { crmManifestText, loadCrmManifest, renameAt } from '../validate/fixtures/manifest-fixture.js';
import { startProductsApi, writeProductsConnector, type ProductsApi } from '../authoring/test-support/products-api.js';
import { runCli } from './test-support/run-cli.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let workspace: string;
let validDirectory: string;
let invalidDirectory: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lumio-cli-'));
  // Each connector folder is named after the sample manifest's id, as validate requires.
  validDirectory = join(workspace, 'valid', 'hubspot');
  invalidDirectory = join(workspace, 'invalid', 'hubspot');
  await mkdir(validDirectory, { recursive: true });
  await mkdir(invalidDirectory, { recursive: true });
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

describe('lumio-connector build type check', () => {
  const TYPE_ERROR_PLUGIN = "import { definePlugin } from '@lumio/plugin-sdk';\n\nconst limit: number = 'str';\n\nexport default definePlugin({\n  transformPage(records) {\n    return records.slice(0, limit);\n  },\n});\n";

  async function scaffold(id: string): Promise<string> {
    const created = await runCli('new', id, '--dir', workspace);
    expect(created.code, created.stderr).toBe(0);
    return join(workspace, id);
  }

  it('prints the checked files and the hash', async () => {
    const directory = await scaffold('clean-types');

    const result = await runCli('build', directory);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Type-checked 1 file with TypeScript \d+\.\d+\.\d+: no errors$/m);
    expect(result.stdout).toMatch(/sha256: [0-9a-f]{64}/);
  });

  it('lists type errors and writes no bundle', async () => {
    const directory = await scaffold('wrong-types');
    await writeFile(join(directory, 'plugin', 'index.ts'), TYPE_ERROR_PLUGIN);
    const out = join(workspace, 'wrong-types.js');

    const result = await runCli('build', directory, '--out', out);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has 1 type error');
    expect(result.stderr).toContain('pass --no-typecheck to bundle without the check');
    expect(result.stderr).toContain("  plugin/index.ts:3:7: Type 'string' is not assignable to type 'number'.");
    expect(result.stdout).not.toContain('sha256');
    expect(existsSync(out)).toBe(false);
  });

  it('bundles without the check when told', async () => {
    const directory = await scaffold('skipped-types');
    await writeFile(join(directory, 'plugin', 'index.ts'), TYPE_ERROR_PLUGIN);
    const out = join(workspace, 'skipped-types.js');

    const result = await runCli('build', directory, '--out', out, '--no-typecheck');

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('Type-checked');
    expect(existsSync(out)).toBe(true);
  });

  it('prints the same hash outside the repository', async () => {
    const inRepository = join(REPOSITORY_ROOT, 'connectors', 'example-tasks');
    const outside = join(workspace, 'outside', 'example-tasks');
    await cp(inRepository, outside, { recursive: true });

    const first = await runCli('build', inRepository);
    const second = await runCli('build', outside);
    const hash = (stdout: string) => /sha256: ([0-9a-f]{64})/.exec(stdout)?.[1];

    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(hash(first.stdout)).toBeDefined();
    expect(hash(second.stdout)).toBe(hash(first.stdout));
  });

  it('describes --no-typecheck in the help', async () => {
    const result = await runCli('build', '--help');

    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('--no-typecheck skip the TypeScript type check and only bundle');
  });
});

describe('lumio-connector silent mistakes', () => {
  let api: ProductsApi;

  beforeAll(async () => {
    // Records carry updatedAt while the manifest reads updated_at, and one price is not a number.
    api = await startProductsApi([
      { id: 'p1', title: 'Caneca', price: '39.90', updatedAt: '2025-03-01T10:00:00Z' },
      { id: 'p2', title: 'Camiseta', price: 'sob consulta', updatedAt: '2025-03-02T10:00:00Z' },
      { id: 'p3', title: 'Boné', price: '49.90', updatedAt: '2025-03-03T10:00:00Z' },
    ]);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('rejects an id unlike the folder', async () => {
    const directory = join(workspace, 'guide-mismatch');
    await mkdir(directory);
    await writeFile(join(directory, 'manifest.json'), crmManifestText().replace('"id": "hubspot"', '"id": "guide-mismatched-id"'));

    const result = await runCli('validate', directory);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${join(directory, 'manifest.json')}#/id: The manifest id "guide-mismatched-id" must match its folder name "guide-mismatch"`,
    );
  });

  it('suggests the cursor field', async () => {
    const directory = join(workspace, 'cursor-typo', 'hubspot');
    await mkdir(directory, { recursive: true });
    const manifest = loadCrmManifest();
    manifest.objects.contacts!.incremental!.cursorField = 'properties.lastModifiedDate';
    await writeFile(join(directory, 'manifest.json'), JSON.stringify(manifest));

    const result = await runCli('validate', directory);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain("#/objects/contacts/incremental/cursorField: Cursor field 'properties.lastModifiedDate' does not exist");
    expect(result.stdout).toContain("(did you mean 'properties.lastmodifieddate'?)");
  });

  it('suggests the mapping source', async () => {
    const directory = join(workspace, 'source-typo', 'hubspot');
    await mkdir(directory, { recursive: true });
    const manifest = loadCrmManifest();
    manifest.mappings![1]!.fields[0]!.source = 'properties.dealnme';
    await writeFile(join(directory, 'manifest.json'), JSON.stringify(manifest));

    const result = await runCli('validate', directory);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain("#/mappings/1/fields/0/source: Source 'properties.dealnme' does not exist");
    expect(result.stdout).toContain("(did you mean 'properties.dealname'?)");
  });

  it('warns once and counts mapping errors in run', async () => {
    const connector = await writeProductsConnector(join(workspace, 'run'), api.url);

    const result = await runCli('run', connector.directory, '--config', connector.connectionFile, '--object', 'products', '--limit', '0');
    const lines = result.stdout.trimEnd().split('\n');

    expect(result.stderr).not.toContain('error:');
    expect(result.stdout).toContain('Read 3 records of "products" (full) with 2 requests.');
    expect(lines.filter((line) => line.startsWith('warning:'))).toHaveLength(1);
    expect(result.stdout).toContain('warning: none of the 3 records read gave a cursor at incremental.cursorField "updated_at" of "products"');
    expect(lines.at(-1)).toMatch(/^Mapping errors in 1 record of the 3 read: /);
    expect(result.code).toBe(1);
  });
});
