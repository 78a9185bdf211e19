import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ConnectorManifest, PluginEntry } from '@lumio/plugin-sdk';

import { CONNECTORS_DIR } from '../../e2e/platform-harness.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures', import.meta.url));

/** Limits of the hostile connectors: low, so each attack ends within a second or two. */
export const HOSTILE_LIMITS = { memoryMb: 32, cpuTimeMs: 500, wallTimeMs: 1500 };

/**
 * Limits of `hostile-heavy`, which runs the memory bomb. V8 collects garbage again and again
 * before it gives up on a full heap. That took 0.1 to 1.9 s of isolate time on a loaded
 * two-core machine, so the time limits here leave the memory limit room to act first.
 */
export const HEAVY_LIMITS = { memoryMb: 32, cpuTimeMs: 10_000, wallTimeMs: 15_000 };

async function readHubSpotManifest(): Promise<ConnectorManifest> {
  return JSON.parse(await readFile(join(CONNECTORS_DIR, 'hubspot', 'manifest.json'), 'utf8')) as ConnectorManifest;
}

async function writeConnector(root: string, manifest: ConnectorManifest, pluginSource?: string): Promise<void> {
  const dir = join(root, manifest.id);
  await mkdir(join(dir, 'plugin'), { recursive: true });
  const { $schema: _schema, ...rest } = manifest as ConnectorManifest & { $schema?: string };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(rest, null, 2));
  if (!pluginSource) return;

  await copyFile(join(FIXTURES_DIR, pluginSource), join(dir, 'plugin', 'index.ts'));
  // The transform plugin imports its transform from a module next to it.
  await copyFile(join(FIXTURES_DIR, 'shape-contacts.ts'), join(dir, 'plugin', 'shape-contacts.ts'));
}

/** Copies the HubSpot manifest under a new id and adds a plugin. */
function withPlugin(base: ConnectorManifest, id: string, plugin: PluginEntry): ConnectorManifest {
  const manifest = structuredClone(base);
  manifest.id = id;
  manifest.name = `HubSpot (${id})`;
  manifest.plugin = plugin;
  return manifest;
}

/**
 * Writes a connectors folder for the plugin benchmarks: the real HubSpot connector, and
 * `hubspot-bench-shaped`, a copy whose plugin runs the benchmark's transform on every page
 * and calls no host function.
 */
export async function writeBenchConnectors(root: string): Promise<void> {
  const hubspot = await readHubSpotManifest();
  await writeConnector(root, hubspot);
  await writeConnector(root, withPlugin(hubspot, 'hubspot-bench-shaped', { entry: 'plugin/index.ts', capabilities: [] }), 'bench-transform-plugin.ts');
}

/**
 * Writes a connectors folder for the sandbox tests: the real HubSpot connector, and
 * copies of it with plugins. `hubspot-shaped` transforms pages. `hostile`, `hostile-twin`
 * and `hostile-heavy` run the attack their connection config names, with one bundle for
 * three connectors and higher time limits for the last. `hubspot-reader` reads contacts
 * with a plugin instead of a list request.
 */
export async function writePluginConnectors(root: string): Promise<void> {
  const hubspot = await readHubSpotManifest();
  await writeConnector(root, hubspot);

  await writeConnector(root, withPlugin(hubspot, 'hubspot-shaped', { entry: 'plugin/index.ts', capabilities: ['log'] }), 'transform-plugin.ts');

  for (const [id, limits] of [['hostile', HOSTILE_LIMITS], ['hostile-twin', HOSTILE_LIMITS], ['hostile-heavy', HEAVY_LIMITS]] as const) {
    const hostile = withPlugin(hubspot, id, { entry: 'plugin/index.ts', capabilities: ['state', 'log'], limits });
    hostile.connection.configSchema.properties.attack = { type: 'string', description: 'Attack the plugin runs in transformPage.' };
    await writeConnector(root, hostile, 'hostile-plugin.ts');
  }

  const reader = withPlugin(hubspot, 'hubspot-reader', { entry: 'plugin/index.ts', capabilities: ['http', 'state'] });
  const contacts = reader.objects.contacts;
  if (!contacts) throw new Error('The HubSpot manifest has no contacts object.');
  reader.objects = { contacts: { ...contacts, operations: { get: contacts.operations.get! } } };
  delete reader.objects.contacts!.incremental;
  delete reader.objects.contacts!.deletions;
  reader.mappings = (reader.mappings ?? []).filter((mapping) => mapping.object === 'contacts');
  delete reader.webhooks;
  // Without the search request, the budget of its endpoint group would limit nothing.
  if (reader.rateLimits) reader.rateLimits.budgets = reader.rateLimits.budgets.filter((budget) => budget.scope !== 'endpointGroup');
  await writeConnector(root, reader, 'reader-plugin.ts');
}
