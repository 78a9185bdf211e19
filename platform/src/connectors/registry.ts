import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { checkFolderName, validateManifest, type ConnectorManifest, type ManifestIssue } from '@lumio/plugin-sdk';

import type { Logger } from '../observability/index.js';
import { loadPluginBundle, type LoadedPlugin } from '../sandbox/index.js';

/** A connector whose manifest passed validation, ready to run. */
export interface LoadedConnector {
  id: string;
  manifest: ConnectorManifest;
  directory: string;
  /** SHA-256 of the manifest file's bytes, so every worker can tell it runs the same version. */
  manifestHash: string;
  /** The bundled plugin, when the manifest declares one. */
  plugin?: LoadedPlugin;
}

/** A connector folder the platform refused, with every reason. */
export interface RejectedConnector {
  directory: string;
  /** The manifest's `id` when it could be read, else the folder name. */
  id: string;
  issues: ManifestIssue[];
}

export class ConnectorRegistry {
  readonly #loaded = new Map<string, LoadedConnector>();
  readonly #rejected: RejectedConnector[] = [];

  constructor(loaded: LoadedConnector[], rejected: RejectedConnector[]) {
    for (const connector of loaded) this.#loaded.set(connector.id, connector);
    this.#rejected.push(...rejected);
  }

  get(id: string): LoadedConnector | undefined {
    return this.#loaded.get(id);
  }

  list(): LoadedConnector[] {
    return [...this.#loaded.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  rejected(): readonly RejectedConnector[] {
    return this.#rejected;
  }

  /**
   * Finds a rejected connector by its manifest id or its folder name. A manifest whose id no
   * longer matches its folder is listed under the id, but existing connections still name
   * the folder, which was the id when they connected.
   */
  findRejected(id: string): RejectedConnector | undefined {
    return this.#rejected.find((entry) => entry.id === id) ?? this.#rejected.find((entry) => basename(entry.directory) === id);
  }
}

/**
 * Loads every `<dir>/<connector>/manifest.json`. An invalid connector is logged with all its
 * issues and left out; the others still load, so one bad manifest never stops the platform.
 */
export async function loadConnectorRegistry(dir: string, logger: Logger): Promise<ConnectorRegistry> {
  const loaded: LoadedConnector[] = [];
  const rejected: RejectedConnector[] = [];

  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      logger.warn({ dir }, 'connectors folder not found; no connector is loaded');
      return [];
    }
    throw error;
  });

  for (const entry of entries) {
    if (!entry.isDirectory()) continue;

    const directory = join(dir, entry.name);
    const result = await loadConnector(directory, entry.name);
    if ('issues' in result) {
      rejected.push(result);
      logger.error({ connectorId: result.id, directory, issues: result.issues }, 'connector rejected: its manifest is invalid');
      continue;
    }

    loaded.push(result);
    logger.info({ connectorId: result.id, version: result.manifest.version, pluginHash: result.plugin?.sha256 }, 'connector loaded');
  }

  return new ConnectorRegistry(loaded, rejected);
}

async function loadConnector(directory: string, folderName: string): Promise<LoadedConnector | RejectedConnector> {
  const file = join(directory, 'manifest.json');

  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return reject(directory, folderName, 'The folder has no readable manifest.json.');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return reject(directory, folderName, `manifest.json is not valid JSON: ${(error as Error).message}`);
  }

  const id = readId(parsed) ?? folderName;
  const result = validateManifest(parsed);
  if (!result.valid) return { directory, id, issues: result.errors };

  // The SDK's validate command applies the same rule, with the same message.
  const folderIssues = checkFolderName(parsed, join(directory, 'manifest.json'));
  if (folderIssues.length > 0) return { directory, id, issues: folderIssues };

  const manifest = parsed as ConnectorManifest;
  const connector: LoadedConnector = { id, manifest, directory, manifestHash: createHash('sha256').update(bytes).digest('hex') };
  if (manifest.plugin) {
    // The plugin is bundled once here; the sandbox runs that bundle, keyed by its hash.
    try {
      connector.plugin = await loadPluginBundle(directory, manifest.plugin);
    } catch (error) {
      return { directory, id, issues: [{ pointer: '/plugin/entry', message: (error as Error).message, keyword: 'plugin:bundle' }] };
    }
  }
  return connector;
}

function readId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

function reject(directory: string, id: string, message: string): RejectedConnector {
  return { directory, id, issues: [{ pointer: '', message, keyword: 'file' }] };
}
