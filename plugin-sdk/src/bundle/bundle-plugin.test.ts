import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
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
