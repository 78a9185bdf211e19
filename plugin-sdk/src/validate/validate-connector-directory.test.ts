import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { crmManifestText, loadCrmManifest } from './fixtures/manifest-fixture.js';
import { validateConnectorDirectory } from './validate-connector-directory.js';

let workspace: string;
/** Connector folder, named after the sample manifest's id as the platform requires. */
let directory: string;

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lumio-connector-'));
  directory = join(workspace, 'hubspot');
  await mkdir(directory);
});

afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
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

  it('reports record paths in document order', async () => {
    const manifest = loadCrmManifest();
    manifest.objects.contacts!.incremental!.cursorField = 'properties.updatedAt';
    manifest.mappings![0]!.fields[0]!.source = 'properties.first_name';
    manifest.category = 'crn' as typeof manifest.category;
    await writeManifest(JSON.stringify(manifest));

    const result = await validateConnectorDirectory(directory);

    expect(result.errors.map((issue) => [issue.pointer, issue.keyword])).toEqual([
      ['/category', 'enum'],
      ['/objects/contacts/incremental/cursorField', 'semantic:unknownCursorField'],
      ['/mappings/0/fields/0/source', 'semantic:unknownMappingSource'],
    ]);
    expect(result.errors[2]?.suggestion).toBe('properties.firstname');
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

describe('connector folder name', () => {
  async function writeConnector(folderName: string, id: string): Promise<string> {
    const folder = join(workspace, folderName);
    await mkdir(folder, { recursive: true });
    const manifest = loadCrmManifest();
    manifest.id = id;
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
    return folder;
  }

  it('rejects an id unlike the folder', async () => {
    const folder = await writeConnector('guide-mismatch', 'guide-mismatched-id');

    const result = await validateConnectorDirectory(folder);

    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ pointer: '/id', keyword: 'file:folderName' })]);
    expect(result.errors[0]?.message).toBe(
      'The manifest id "guide-mismatched-id" must match its folder name "guide-mismatch", or the platform will not load the connector; ' +
        'rename the folder to "guide-mismatched-id", or, if no connection uses this connector yet, change the id to "guide-mismatch".',
    );
  });

  it('applies to a manifest.json path', async () => {
    const folder = await writeConnector('guide-mismatch', 'guide-mismatched-id');

    const result = await validateConnectorDirectory(join(folder, 'manifest.json'));

    expect(result.errors.map((issue) => issue.keyword)).toEqual(['file:folderName']);
  });

  it('accepts a matching folder', async () => {
    const folder = await writeConnector('guide-match', 'guide-match');

    expect(await validateConnectorDirectory(folder)).toMatchObject({ valid: true, errors: [] });
  });

  it('compares names case-sensitively', async () => {
    const folder = await writeConnector('Guide-Match', 'guide-match');

    const result = await validateConnectorDirectory(folder);

    expect(result.errors.map((issue) => issue.keyword)).toEqual(['file:folderName']);
  });

  it('only suggests valid ids', async () => {
    const folder = await writeConnector('guide_mismatch', 'guide-mismatch');

    const [issue] = (await validateConnectorDirectory(folder)).errors;

    expect(issue?.message).toContain('rename the folder to "guide-mismatch".');
    expect(issue?.message).not.toContain('change the id');
  });

  it('ignores other manifest file names', async () => {
    const path = join(workspace, 'hubspot-draft.json');
    await writeFile(path, crmManifestText());

    expect((await validateConnectorDirectory(path)).valid).toBe(true);
  });

  it('reports it beside schema issues', async () => {
    const folder = join(workspace, 'other-folder');
    await mkdir(folder);
    const manifest = loadCrmManifest();
    manifest.category = 'crn' as typeof manifest.category;
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));

    const result = await validateConnectorDirectory(folder);

    expect(result.errors.map((issue) => issue.pointer).sort()).toEqual(['/category', '/id']);
  });
});
