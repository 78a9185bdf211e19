import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundlePlugin } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { locatePluginError } from './plugin-source-location.js';

/** Bundles a plugin whose helper throws on its second line, and returns the bundle and that line's position in the code. */
async function throwingBundle() {
  const dir = await mkdtemp(join(tmpdir(), 'lumio-source-location-'));
  await mkdir(join(dir, 'plugin'));
  await writeFile(join(dir, 'plugin', 'fail.ts'), "export function fail(): never {\n  throw new Error('boom');\n}\n");
  await writeFile(join(dir, 'plugin', 'index.ts'), "import { fail } from './fail.js';\nexport default { transformPage: () => fail() };\n");
  const bundle = await bundlePlugin(join(dir, 'plugin', 'index.ts'));

  const lines = bundle.code.split('\n');
  const line = lines.findIndex((text) => text.includes("throw new Error(\"boom\")")) + 1;
  const column = lines[line - 1]!.indexOf('throw') + 1;
  return { bundle, line, column };
}

describe('locatePluginError', () => {
  it('maps a bundle frame to the plugin file', async () => {
    const { bundle, line, column } = await throwingBundle();
    const stack = `Error: boom\n    at fail (plugin:acme.v2:${line}:${column})\n    at transformPage (plugin:acme.v2:9999:1)`;

    expect(locatePluginError(stack, 'acme.v2', { entry: 'plugin/index.ts', sourceMap: bundle.sourceMap })).toEqual({ file: 'plugin/fail.ts', line: 2, column: 3 });
  });

  it('matches only frames of its own connector', async () => {
    const { bundle, line, column } = await throwingBundle();
    // "." in the id must not match any character.
    const stack = `Error: boom\n    at fail (plugin:acmeXv2:${line}:${column})`;

    expect(locatePluginError(stack, 'acme.v2', { entry: 'plugin/index.ts', sourceMap: bundle.sourceMap })).toBeUndefined();
  });

  it('returns nothing without a usable map or stack', () => {
    const stack = 'Error: boom\n    at fail (plugin:acme:3:5)';

    expect(locatePluginError(undefined, 'acme', { entry: 'index.ts', sourceMap: '{}' })).toBeUndefined();
    expect(locatePluginError(stack, 'acme', { entry: 'index.ts' })).toBeUndefined();
    expect(locatePluginError(stack, 'acme', { entry: 'index.ts', sourceMap: 'not json' })).toBeUndefined();
  });
});
