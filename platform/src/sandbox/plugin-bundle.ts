import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

import { bundlePlugin, PluginBundleError, type PluginCapability, type PluginEntry, type PluginLimits } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';

/** A connector's plugin, bundled when the connector loads. */
export interface LoadedPlugin {
  /** Entry path relative to the connector folder, as the manifest gives it. */
  entry: string;
  /** The bundled script the sandbox runs. */
  code: string;
  /** SHA-256 of `code` in hex; isolates are pooled and bundles cached by it. */
  sha256: string;
  /** Source map of `code` (JSON text), which error messages use to name the plugin's file and line. */
  sourceMap?: string;
  capabilities: PluginCapability[];
  limits?: PluginLimits;
}

/**
 * Bundles the plugin a manifest declares. The entry must resolve, after symbolic links,
 * to a file inside the connector folder. Raises PLUGIN_BUNDLE_FAILED naming the problem.
 */
export async function loadPluginBundle(directory: string, plugin: PluginEntry): Promise<LoadedPlugin> {
  const entryPath = await resolveEntry(directory, plugin.entry);

  let bundle;
  try {
    bundle = await bundlePlugin(entryPath);
  } catch (error) {
    const issues = error instanceof PluginBundleError ? error.issues : [];
    throw new LumioError('PLUGIN_BUNDLE_FAILED', (error as Error).message, { status: 500, fault: 'connector', details: { entry: plugin.entry, issues }, cause: error });
  }

  const loaded: LoadedPlugin = { entry: plugin.entry, code: bundle.code, sha256: bundle.sha256, sourceMap: bundle.sourceMap, capabilities: [...plugin.capabilities] };
  if (plugin.limits) loaded.limits = { ...plugin.limits };
  return loaded;
}

async function resolveEntry(directory: string, entry: string): Promise<string> {
  let root: string;
  let target: string;
  try {
    root = await realpath(directory);
    target = await realpath(resolve(directory, entry));
  } catch (error) {
    throw new LumioError('PLUGIN_BUNDLE_FAILED', `The plugin entry "${entry}" does not exist in ${directory}; fix plugin.entry in manifest.json.`, {
      status: 500,
      fault: 'connector',
      details: { entry },
      cause: error,
    });
  }

  const inside = relative(root, target);
  if (isAbsolute(entry) || inside.startsWith('..') || isAbsolute(inside)) {
    throw new LumioError('PLUGIN_BUNDLE_FAILED', `The plugin entry "${entry}" lies outside the connector folder ${directory}; give a path inside it, relative to manifest.json.`, {
      status: 500,
      fault: 'connector',
      details: { entry },
    });
  }
  return target;
}
