import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import { bundlePlugin, PluginBundleError } from './bundle-plugin.js';

async function writePlugin(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lumio-bundle-'));
  for (const [name, source] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), source);
  }
  return dir;
}

async function bundleError(entry: string): Promise<PluginBundleError> {
  const error = await bundlePlugin(entry).catch((caught: unknown) => caught);
  if (error instanceof PluginBundleError) return error;
  throw new Error(`expected a PluginBundleError, got ${String(error)}`);
}

const TRANSFORM = `
import { definePlugin } from '@lumio/plugin-sdk';
import { shout } from './helpers/shout';

export default definePlugin({
  transformPage(records: Array<{ name: string }>) {
    return records.map((record) => ({ ...record, name: shout(record.name) }));
  },
});
`;

describe('bundlePlugin', () => {
  it('bundles the entry and its imports into one script', async () => {
    const dir = await writePlugin({ 'plugin/index.ts': TRANSFORM, 'plugin/helpers/shout.ts': 'export const shout = (text: string): string => text.toUpperCase();' });

    const { code } = await bundlePlugin(join(dir, 'plugin/index.ts'));
    // A vm context has no require, module or import, like the sandbox.
    const context: Record<string, any> = {};
    runInNewContext(code, context);
    const plugin = context.__lumioPlugin.default;

    expect(code).not.toMatch(/\bimport\s*[{('"]/);
    expect(code).not.toContain('require(');
    expect(plugin.transformPage([{ name: 'ana' }])).toEqual([{ name: 'ANA' }]);
  });

  it('addresses the bundle by the SHA-256 of its code', async () => {
    const dir = await writePlugin({ 'index.ts': TRANSFORM, 'helpers/shout.ts': 'export const shout = (text: string): string => text + "!";' });

    const first = await bundlePlugin(join(dir, 'index.ts'));
    const second = await bundlePlugin(join(dir, 'index.ts'));

    expect(first.sha256).toBe(createHash('sha256').update(Buffer.from(first.code, 'utf8')).digest('hex'));
    expect(second.sha256).toBe(first.sha256);
  });

  it('maps the code back to the plugin files', async () => {
    const dir = await writePlugin({ 'plugin/index.ts': TRANSFORM, 'plugin/helpers/shout.ts': 'export const shout = (text: string): string => text.toUpperCase();' });

    const { code, sourceMap } = await bundlePlugin(join(dir, 'plugin/index.ts'));
    const map = JSON.parse(sourceMap) as { version: number; sources: string[]; sourcesContent?: unknown };

    expect(map.version).toBe(3);
    expect(map.sources).toEqual(expect.arrayContaining(['index.ts', 'helpers/shout.ts']));
    expect(map.sources.filter((source) => source.startsWith('lumio-plugin-sdk:')).length).toBeGreaterThan(0);
    expect(map.sourcesContent).toBeUndefined();
    // The map stays out of the code, so it cannot change the hash.
    expect(code).not.toContain('sourceMappingURL');
  });

  it('changes the hash when the code changes', async () => {
    const firstDir = await writePlugin({ 'index.ts': 'export default { a: 1 };' });
    const secondDir = await writePlugin({ 'index.ts': 'export default { a: 2 };' });

    expect((await bundlePlugin(join(firstDir, 'index.ts'))).sha256).not.toBe((await bundlePlugin(join(secondDir, 'index.ts'))).sha256);
  });

  it('serves the SDK from its authoring module only', async () => {
    const dir = await writePlugin({ 'index.ts': TRANSFORM, 'helpers/shout.ts': 'export const shout = (text: string): string => text;' });

    const { code } = await bundlePlugin(join(dir, 'index.ts'));

    expect(code).toContain('function definePlugin');
    expect(code).not.toContain('ajv');
    expect(code).not.toContain('validateManifest');
  });

  it.each([
    ["import 'fs';", 'fs'],
    ["import { readFileSync } from 'node:fs';\nexport default readFileSync;", 'node:fs'],
    ["import { request } from 'http';\nexport default request;", 'http'],
    ["export default require('child_process');", 'child_process'],
    ["import { join } from 'path/posix';\nexport default join;", 'path/posix'],
  ])('rejects a Node built-in import: %s', async (source, name) => {
    const dir = await writePlugin({ 'index.ts': source });

    const error = await bundleError(join(dir, 'index.ts'));

    expect(error.message).toContain(`Plugins cannot import the Node built-in module "${name}"`);
    expect(error.issues[0]?.line).toBeGreaterThanOrEqual(1);
    expect(error.issues[0]?.file).toContain('index.ts');
  });

  it('names an import that does not resolve', async () => {
    const dir = await writePlugin({ 'index.ts': "import missing from './missing';\nexport default missing;" });

    const error = await bundleError(join(dir, 'index.ts'));

    expect(error.message).toContain('./missing');
  });

  it('reports a syntax error with its position', async () => {
    const dir = await writePlugin({ 'index.ts': 'export default {\n  a: ,\n};' });

    const error = await bundleError(join(dir, 'index.ts'));

    expect(error.issues[0]?.line).toBe(2);
  });

  it('counts further problems in the message', async () => {
    const dir = await writePlugin({ 'index.ts': "import 'fs';\nimport 'net';\nimport 'tls';" });

    const error = await bundleError(join(dir, 'index.ts'));

    expect(error.issues).toHaveLength(3);
    expect(error.message).toContain('2 more problems follow');
  });
});

/** Copies `folder` into `parent`, creating `parent` first, and returns the copy's path. */
async function copyFolder(folder: string, parent: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  const copy = join(parent, 'acme');
  await cp(folder, copy, { recursive: true });
  return copy;
}

function runBundle(code: string): any {
  const context: Record<string, any> = {};
  runInNewContext(code, context);
  return context.__lumioPlugin.default;
}

const SHOUT = 'export const shout = (text: string): string => text.toUpperCase();';

// A CommonJS package with a relative require and a JSON file, as npm installs one.
const PAD_PACKAGE = {
  'node_modules/pad-lite/package.json': '{"name": "pad-lite", "version": "1.0.0", "main": "index.js"}',
  'node_modules/pad-lite/index.js': 'const { fill } = require("./lib/fill.js");\nmodule.exports = (text, width) => fill(width - text.length) + text;\n',
  'node_modules/pad-lite/lib/fill.js': 'exports.fill = (count) => " ".repeat(Math.max(0, count));\n',
  'node_modules/pad-lite/widths.json': '{"name": 6}',
};

const PAD_PLUGIN = `
import { definePlugin } from '@lumio/plugin-sdk';
import pad from 'pad-lite';
import widths from 'pad-lite/widths.json';

export default definePlugin({
  transformPage(records: Array<{ name: string }>) {
    return records.map((record) => ({ name: pad(record.name, widths.name) }));
  },
});
`;

describe('bundlePlugin across folder locations', () => {
  it('gives the same hash at any depth', async () => {
    const source = await writePlugin({ 'plugin/index.ts': TRANSFORM, 'plugin/helpers/shout.ts': SHOUT });
    const shallow = await copyFolder(source, await mkdtemp(join(tmpdir(), 'lumio-bundle-')));
    const deep = await copyFolder(source, join(await mkdtemp(join(tmpdir(), 'lumio-bundle-')), 'a', 'b', 'c', 'd'));

    const first = await bundlePlugin(join(shallow, 'plugin/index.ts'));
    const second = await bundlePlugin(join(deep, 'plugin/index.ts'));

    expect(second.sha256).toBe(first.sha256);
    expect(second.code).toBe(first.code);
    expect(first.sha256).toBe(createHash('sha256').update(Buffer.from(first.code, 'utf8')).digest('hex'));
  });

  it('names SDK modules by their path in the SDK', async () => {
    const dir = await writePlugin({ 'plugin/index.ts': TRANSFORM, 'plugin/helpers/shout.ts': SHOUT });

    const { code } = await bundlePlugin(join(dir, 'plugin/index.ts'));

    expect(code).toContain('// lumio-plugin-sdk:plugin/define-plugin.ts');
    expect(code).toContain('// helpers/shout.ts');
    expect(code).not.toContain(tmpdir());
    expect(code).not.toMatch(/\/\/ \.\.\//);
    expect(runBundle(code).transformPage([{ name: 'ana' }])).toEqual([{ name: 'ANA' }]);
  });

  it('gives the same hash through a symbolic link', async () => {
    const source = await writePlugin({ 'plugin/index.ts': TRANSFORM, 'plugin/helpers/shout.ts': SHOUT });
    const link = join(await mkdtemp(join(tmpdir(), 'lumio-bundle-')), 'linked');
    await symlink(source, link, 'dir');

    const direct = await bundlePlugin(join(source, 'plugin/index.ts'));
    const linked = await bundlePlugin(join(link, 'plugin/index.ts'));

    expect(linked.sha256).toBe(direct.sha256);
  });

  it('ignores tsconfig.json files above the plugin', async () => {
    const plugin = {
      'plugin/index.ts': "import type { Shape } from './shape';\nclass Box { size = 1; }\nconst shape: Shape = { size: new Box().size };\nexport default shape;\n",
      'plugin/shape.ts': 'export interface Shape { size: number }\n',
    };
    const bare = await writePlugin(plugin);
    const repository = await mkdtemp(join(tmpdir(), 'lumio-bundle-'));
    await writeFile(join(repository, 'tsconfig.json'), '{"compilerOptions": {"strict": false, "alwaysStrict": false, "useDefineForClassFields": false, "verbatimModuleSyntax": true}}');
    const inRepository = await copyFolder(bare, join(repository, 'connectors'));

    const outside = await bundlePlugin(join(bare, 'plugin/index.ts'));
    const inside = await bundlePlugin(join(inRepository, 'plugin/index.ts'));

    expect(inside.code).toBe(outside.code);
    expect(outside.code.startsWith('"use strict";')).toBe(true);
    expect(outside.code).toContain('size = 1;');
  });

  it('gives the same hash for a local or a hoisted package', async () => {
    const local = await writePlugin({ 'plugin/index.ts': PAD_PLUGIN, ...PAD_PACKAGE });
    // As in a repository whose root node_modules contains the packages of all its connectors.
    const root = await writePlugin(PAD_PACKAGE);
    const hoisted = await copyFolder(join(local, 'plugin'), join(root, 'connectors', 'acme'));

    const first = await bundlePlugin(join(local, 'plugin/index.ts'));
    const second = await bundlePlugin(join(hoisted, 'index.ts'));

    expect(second.sha256).toBe(first.sha256);
    expect(first.code).toContain('// npm:pad-lite/index.js');
    expect(first.code).toContain('// npm:pad-lite/lib/fill.js');
    expect(first.code).toContain('// npm:pad-lite/widths.json');
    expect(runBundle(first.code).transformPage([{ name: 'ana' }])).toEqual([{ name: '   ana' }]);
  });

  it('keeps the CommonJS interop of a package that sets "type"', async () => {
    // esbuild gives a CommonJS module's whole exports as the default import to a module of a
    // "type": "module" package, even when the CommonJS module sets __esModule.
    const dir = await writePlugin({
      'plugin/index.ts': "import kind from 'esm-pkg';\nexport default { kind };\n",
      'node_modules/esm-pkg/package.json': '{"name": "esm-pkg", "type": "module", "main": "index.js"}',
      'node_modules/esm-pkg/index.js': 'import exported from "cjs-pkg";\nexport default typeof exported === "object" ? "node interop" : "babel interop";\n',
      'node_modules/cjs-pkg/package.json': '{"name": "cjs-pkg", "main": "index.js"}',
      'node_modules/cjs-pkg/index.js': 'Object.defineProperty(exports, "__esModule", { value: true });\nexports.default = "default export";\n',
    });

    const { code } = await bundlePlugin(join(dir, 'plugin/index.ts'));

    expect(runBundle(code).kind).toBe('node interop');
    expect(code).toContain('// ../node_modules/esm-pkg/index.js');
    expect(code).toContain('// npm:cjs-pkg/index.js');
  });

  it('rejects a Node built-in that a package imports', async () => {
    const dir = await writePlugin({
      'plugin/index.ts': "import read from 'reads-files';\nexport default read;\n",
      'node_modules/reads-files/package.json': '{"name": "reads-files", "main": "index.js"}',
      'node_modules/reads-files/index.js': 'module.exports = require("fs").readFileSync;\n',
    });

    const error = await bundleError(join(dir, 'plugin/index.ts'));

    expect(error.message).toContain('Plugins cannot import the Node built-in module "fs"');
    expect(error.issues[0]?.file).toBe('npm:reads-files/index.js');
    expect(error.issues[0]?.namespace).toBe('npm');
  });
});
