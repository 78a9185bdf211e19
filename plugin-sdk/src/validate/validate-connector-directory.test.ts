import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { crmManifestText, loadCrmManifest } from './fixtures/manifest-fixture.js';
import { validateConnectorDirectory } from './validate-connector-directory.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'lumio-connector-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function writeManifest(text: string): Promise<string> {
  const path = join(directory, 'manifest.json');
  await writeFile(path, text);
  return path;
}

describe('validateConnectorDirectory', () => {
  it('validates a connector directory', async () => {
    const path = await writeManifest(crmManifestText());

    const result = await validateConnectorDirectory(directory);

    expect(result).toEqual({ manifestPath: path, valid: true, errors: [] });
  });

  it('accepts a manifest file path', async () => {
    const path = await writeManifest(crmManifestText());

    expect((await validateConnectorDirectory(path)).manifestPath).toBe(path);
  });

  it('reports JSON syntax position', async () => {
    const text = crmManifestText().replace('"name": "HubSpot",', '"name": "HubSpot"');
    await writeManifest(text);
    const offset = text.indexOf('"version"');
    const before = text.slice(0, offset).split('\n');

    const result = await validateConnectorDirectory(directory);

    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({ pointer: '', keyword: 'json:syntax', line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }),
    ]);
    expect(result.errors[0]?.message).toContain(`line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`);
  });

  it('accepts a byte order mark', async () => {
    await writeManifest(`\uFEFF${crmManifestText()}`);

    expect((await validateConnectorDirectory(directory)).valid).toBe(true);
  });

  it('reports a missing manifest', async () => {
    const result = await validateConnectorDirectory(join(directory, 'absent'));

    expect(result.errors).toEqual([expect.objectContaining({ keyword: 'file:read' })]);
    expect(result.errors[0]?.message).toContain('does not exist');
  });

  it('reports schema and semantic issues', async () => {
    const manifest = loadCrmManifest();
    manifest.category = 'crn' as typeof manifest.category;
    manifest.mappings![0]!.object = 'people';
    await writeManifest(JSON.stringify(manifest));

    const result = await validateConnectorDirectory(directory);

    expect(result.errors.map((issue) => issue.pointer)).toEqual(['/category', '/mappings/0/object']);
  });

  it('checks that the plugin entry exists', async () => {
    const manifest = loadCrmManifest();
    manifest.plugin = { entry: 'plugin/index.ts', capabilities: ['http'] };
    await writeManifest(JSON.stringify(manifest));

    const missing = await validateConnectorDirectory(directory);
    expect(missing.errors).toEqual([expect.objectContaining({ pointer: '/plugin/entry', keyword: 'file:pluginEntry' })]);

    await mkdir(join(directory, 'plugin'));
    await writeFile(join(directory, 'plugin', 'index.ts'), 'export {};\n');
    expect((await validateConnectorDirectory(directory)).valid).toBe(true);
  });

  it('rejects a plugin entry outside', async () => {
    const manifest = loadCrmManifest();
    manifest.plugin = { entry: '../shared/plugin.ts', capabilities: ['log'] };
    await writeManifest(JSON.stringify(manifest));

    const result = await validateConnectorDirectory(directory);

    expect(result.errors).toEqual([expect.objectContaining({ pointer: '/plugin/entry' })]);
    expect(result.errors[0]?.message).toContain('outside the connector directory');
  });

  it('rejects a directory as plugin entry', async () => {
    const manifest = loadCrmManifest();
    manifest.plugin = { entry: 'plugin', capabilities: ['log'] };
    await writeManifest(JSON.stringify(manifest));
    await mkdir(join(directory, 'plugin'));

    const result = await validateConnectorDirectory(directory);

    expect(result.errors[0]?.message).toBe("Plugin entry 'plugin' is not a file.");
  });
});
