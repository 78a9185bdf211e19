import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWorkspace, runCli } from './support/cli.js';

// lumio-connector new, validate and build, run as child processes.

let workspace: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  workspace = await createWorkspace('lumio-new-');
});

afterAll(async () => {
  await workspace.remove();
});

describe('lumio-connector new', () => {
  it('scaffolds a connector that validates', async () => {
    const created = await runCli(['new', 'acme-crm', '--dir', workspace.path]);
    const directory = join(workspace.path, 'acme-crm');

    expect(created.code).toBe(0);
    for (const file of ['manifest.json', 'plugin/index.ts', 'fixtures/.gitkeep', 'README.md', 'connector.test.ts']) {
      expect(existsSync(join(directory, file)), file).toBe(true);
    }
    const validated = await runCli(['validate', directory]);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain('Checked 1 manifest: all valid.');
  });

  it('declares a paginated list, a mapping and a plugin', async () => {
    const manifest = JSON.parse(await readFile(join(workspace.path, 'acme-crm', 'manifest.json'), 'utf8'));
    const objects = Object.values(manifest.objects) as any[];

    expect(manifest.id).toBe('acme-crm');
    expect(manifest.name).toBe('Acme Crm');
    expect(objects).toHaveLength(1);
    expect(objects[0].operations.list.pagination.type).toBe('cursor');
    expect(manifest.mappings).toEqual([expect.objectContaining({ object: 'contacts', canonicalObject: 'contact' })]);
    expect(manifest.plugin).toEqual({ entry: 'plugin/index.ts', capabilities: ['log'] });
    expect(await readFile(join(workspace.path, 'acme-crm', 'plugin', 'index.ts'), 'utf8')).toContain('transformPage(records, context)');
  });

  it('refuses an existing folder', async () => {
    const directory = join(workspace.path, 'taken');
    await mkdir(directory);
    await writeFile(join(directory, 'notes.txt'), 'keep me');

    const result = await runCli(['new', 'taken', '--dir', workspace.path]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already exists, so nothing was written');
    expect(existsSync(join(directory, 'manifest.json'))).toBe(false);
    expect(await readFile(join(directory, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('rejects an invalid id with status 2', async () => {
    const result = await runCli(['new', 'Acme_CRM', '--dir', workspace.path]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The connector id "Acme_CRM" is invalid');
    expect(existsSync(join(workspace.path, 'Acme_CRM'))).toBe(false);
  });

  it('rejects a call without an id with status 2', async () => {
    const result = await runCli(['new']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'id'");
  });
});

describe('lumio-connector build', () => {
  it('prints the hash and size of the bundle', async () => {
    const out = join(workspace.path, 'bundle.js');
    const result = await runCli(['build', join(workspace.path, 'acme-crm'), '--out', out]);
    const bundle = await readFile(out);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`sha256: ${createHash('sha256').update(bundle).digest('hex')}`);
    expect(result.stdout).toContain(`size:   ${(await stat(out)).size} bytes`);
    expect(bundle.toString('utf8')).toContain('__lumioPlugin');
  });

  it('lists bundling problems', async () => {
    const directory = join(workspace.path, 'uses-fs');
    expect((await runCli(['new', 'uses-fs', '--dir', workspace.path])).code).toBe(0);
    await writeFile(join(directory, 'plugin', 'index.ts'), "import { readFileSync } from 'node:fs';\nexport default { readFileSync };\n");

    const result = await runCli(['build', directory]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not be bundled; fix the problems below');
    expect(result.stderr).toContain('index.ts:1:');
    expect(result.stderr).toContain('Node built-in module "node:fs"');
  });

  it('says when the manifest declares no plugin', async () => {
    const directory = join(workspace.path, 'no-plugin');
    expect((await runCli(['new', 'no-plugin', '--dir', workspace.path])).code).toBe(0);
    const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8'));
    delete manifest.plugin;
    await writeFile(join(directory, 'manifest.json'), JSON.stringify(manifest, null, 2));

    const result = await runCli(['build', directory]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('declares no plugin, so there is nothing to build');
  });

  it('reports manifest issues before bundling', async () => {
    const directory = join(workspace.path, 'broken');
    expect((await runCli(['new', 'broken', '--dir', workspace.path])).code).toBe(0);
    const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8'));
    manifest.objects.contacts.primaryKy = 'id';
    await writeFile(join(directory, 'manifest.json'), JSON.stringify(manifest, null, 2));

    const result = await runCli(['build', directory]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has 1 issue; fix it and run the command again');
    expect(result.stderr).toContain("#/objects/contacts/primaryKy: Unknown property 'primaryKy'.");
  });

  it('rejects a folder that does not exist with status 2', async () => {
    const result = await runCli(['build', join(workspace.path, 'nowhere')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist; pass a folder that contains manifest.json');
  });
});

describe('lumio-connector help', () => {
  it('gives units and defaults', async () => {
    const created = await runCli(['new', '--help']);
    const run = await runCli(['run', '--help']);
    const test = await runCli(['test', '--help']);
    // Commander wraps help at 80 columns, wherever a line gets long.
    const flat = (text: string) => text.replace(/\s+/g, ' ');

    expect(created.code).toBe(0);
    expect(flat(created.stdout)).toContain('(default: "connectors")');
    expect(flat(run.stdout)).toContain('--limit <records> stop after printing this many records; 0 reads the whole stream (default: 20)');
    expect(flat(run.stdout)).toContain('choices: "full", "incremental"');
    expect(flat(test.stdout)).toContain('--update write the results as the new snapshots');
  });
});
