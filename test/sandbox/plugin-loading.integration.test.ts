import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { loadConnectorRegistry, type ConnectorRegistry } from '../../platform/src/connectors/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { CONNECTORS_DIR } from '../e2e/platform-harness.js';

// The registry bundles each declared plugin when it loads the connector, and rejects the
// connector, naming the problem, when the plugin does not bundle.

async function writeConnector(root: string, id: string, entry: string, files: Record<string, string>): Promise<void> {
  const manifest = JSON.parse(await readFile(join(CONNECTORS_DIR, 'hubspot', 'manifest.json'), 'utf8'));
  delete manifest.$schema;
  manifest.id = id;
  manifest.plugin = { entry, capabilities: ['log'] };

  const dir = join(root, id);
  await mkdir(join(dir, 'plugin'), { recursive: true });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  for (const [name, source] of Object.entries(files)) await writeFile(join(dir, name), source);
}

describe('plugin loading', () => {
  let root: string;
  let registry: ConnectorRegistry;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lumio-plugin-loading-'));
    await writeFile(join(root, 'outside.ts'), 'export default {};');
    await writeConnector(root, 'good', 'plugin/index.ts', {
      'plugin/index.ts': "import { definePlugin } from '@lumio/plugin-sdk';\nexport default definePlugin({ transformPage: (records) => records });",
    });
    await writeConnector(root, 'uses-fs', 'plugin/index.ts', { 'plugin/index.ts': "import 'fs';\nexport default {};" });
    await writeConnector(root, 'escapes', '../outside.ts', {});
    await writeConnector(root, 'missing', 'plugin/absent.ts', {});
    registry = await loadConnectorRegistry(root, silentLogger);
  });

  it('bundles a plugin and addresses it by hash', () => {
    const plugin = registry.get('good')?.plugin;

    expect(plugin?.sha256).toBe(createHash('sha256').update(plugin?.code ?? '', 'utf8').digest('hex'));
    expect(plugin?.code).toContain('var __lumioPlugin');
    expect(plugin?.capabilities).toEqual(['log']);
    expect(plugin?.entry).toBe('plugin/index.ts');
  });

  it('rejects a plugin that imports a Node module', () => {
    const rejected = registry.findRejected('uses-fs');

    expect(registry.get('uses-fs')).toBeUndefined();
    expect(rejected?.issues[0]?.pointer).toBe('/plugin/entry');
    expect(rejected?.issues[0]?.message).toContain('Node built-in module "fs"');
  });

  it('rejects an entry outside the connector folder', () => {
    expect(registry.findRejected('escapes')?.issues[0]?.message).toContain('lies outside the connector folder');
  });

  it('rejects a missing entry', () => {
    expect(registry.findRejected('missing')?.issues[0]?.message).toContain('does not exist');
  });

  it('loads the connectors without plugins as before', async () => {
    const plain = await loadConnectorRegistry(CONNECTORS_DIR, silentLogger);

    expect(plain.get('hubspot')?.plugin).toBeUndefined();
  });
});
