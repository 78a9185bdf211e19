import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';

import { formatIssueLine } from '../cli/format-report.js';
import type { ConnectorManifest } from '../generated/manifest.js';
import { validateConnectorDirectory } from '../validate/index.js';
import { AuthoringError, usageError } from './authoring-error.js';

/** A connector folder whose manifest passed validation. */
export interface ConnectorFolder {
  /** Absolute path of the folder. */
  directory: string;
  manifestPath: string;
  manifest: ConnectorManifest;
}

/**
 * Reads and validates a connector folder (or its manifest.json). Raises a usage error
 * when the path does not exist, and MANIFEST_INVALID listing every issue when the
 * manifest is invalid, because the other commands cannot run on it.
 */
export async function readConnectorFolder(path: string): Promise<ConnectorFolder> {
  try {
    await stat(path);
  } catch {
    throw usageError('CONNECTOR_NOT_FOUND', `The connector folder ${path} does not exist; pass a folder that contains manifest.json.`);
  }

  const result = await validateConnectorDirectory(path);
  const manifestLabel = displayPath(result.manifestPath);
  if (!result.valid) {
    const count = result.errors.length;
    throw new AuthoringError('MANIFEST_INVALID', `The manifest ${manifestLabel} has ${count} issue${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} and run the command again.`, {
      details: result.errors.map((issue) => formatIssueLine(manifestLabel, issue)),
    });
  }

  const text = await readFile(result.manifestPath, 'utf8');
  const manifest = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as ConnectorManifest;
  return { directory: dirname(result.manifestPath), manifestPath: result.manifestPath, manifest };
}

/** Returns a path relative to the working directory when it lies below it, for messages. */
export function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), resolve(path));
  return relativePath === '' || relativePath.startsWith('..') ? resolve(path) : relativePath;
}
