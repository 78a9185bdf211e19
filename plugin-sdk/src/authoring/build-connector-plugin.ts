import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { bundlePlugin, PluginBundleError, type PluginBundle } from '../bundle/index.js';
import { AuthoringError } from './authoring-error.js';
import { count, type CommandOutput } from './command-support.js';
import { displayPath, readConnectorFolder } from './connector-folder.js';

export interface BuildOptions {
  /** Connector folder. */
  directory: string;
  /** File to write the bundle to; default none, so only the hash and size are printed. */
  outFile?: string;
  out: CommandOutput;
}

/**
 * Bundles the plugin a connector's manifest declares, as the platform does when it loads
 * the connector, and prints the bundle's SHA-256 and size. Raises PLUGIN_NOT_DECLARED
 * without a `plugin` entry, and PLUGIN_BUNDLE_FAILED listing esbuild's problems.
 */
export async function buildConnectorPlugin(options: BuildOptions): Promise<PluginBundle> {
  const folder = await readConnectorFolder(options.directory);
  const plugin = folder.manifest.plugin;
  if (!plugin) {
    throw new AuthoringError(
      'PLUGIN_NOT_DECLARED',
      `The manifest ${displayPath(folder.manifestPath)} declares no plugin, so there is nothing to build; add "plugin": {"entry": "plugin/index.ts", "capabilities": []} to it.`,
    );
  }

  const entry = resolve(folder.directory, plugin.entry);
  let bundle: PluginBundle;
  try {
    bundle = await bundlePlugin(entry);
  } catch (error) {
    if (!(error instanceof PluginBundleError)) throw error;
    throw new AuthoringError('PLUGIN_BUNDLE_FAILED', `The plugin ${displayPath(entry)} could not be bundled; fix the problems below.`, {
      details: error.issues.map((issue) => (issue.file ? `${issue.file}:${issue.line ?? 0}:${issue.column ?? 0}: ${issue.message}` : issue.message)),
      cause: error,
    });
  }

  options.out(`Bundled ${displayPath(entry)}`);
  options.out(`  sha256: ${bundle.sha256}`);
  options.out(`  size:   ${count(Buffer.byteLength(bundle.code, 'utf8'), 'byte')}`);
  if (options.outFile !== undefined) {
    await mkdir(dirname(resolve(options.outFile)), { recursive: true });
    await writeFile(options.outFile, bundle.code);
    options.out(`  written to ${displayPath(options.outFile)}`);
  }
  return bundle;
}
