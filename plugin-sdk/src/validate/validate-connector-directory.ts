import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

import { connectorManifestSchema } from '../generated/schemas.js';

import type { ManifestIssue, ValidationResult } from './issue.js';
import { toValidationResult } from './issue.js';
import { sortByDocumentOrder } from './issue-order.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { checkRecordPaths } from './semantic/index.js';
import { asRecord } from './semantic/read-json.js';
import { validateManifest } from './validate-manifest.js';

/** Result of validating one connector: the manifest file checked and its issues. */
export interface ConnectorDirectoryResult extends ValidationResult {
  /** Absolute path of the manifest.json that was read. */
  manifestPath: string;
}

/**
 * Reads and validates a connector's manifest.json. `path` is the connector directory or the
 * manifest file itself. Reports a missing or unreadable file, a JSON syntax error with its
 * line and column, every manifest issue, a `plugin.entry` that is missing or lies outside
 * the connector directory, and an id that differs from the connector folder's name. It
 * also reports mapping sources and incremental cursor fields that the object's
 * recordSchema does not contain, which the runtime would read as missing values.
 */
export async function validateConnectorDirectory(path: string): Promise<ConnectorDirectoryResult> {
  const manifestPath = await locateManifest(resolve(path));

  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    return { manifestPath, ...toValidationResult([readFailureIssue(manifestPath, error)]) };
  }

  // Editors on Windows may save a byte order mark, which JSON.parse rejects.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let manifest: unknown;
  try {
    manifest = JSON.parse(source);
  } catch (error) {
    return { manifestPath, ...toValidationResult([syntaxIssue(source, error)]) };
  }

  const result = validateManifest(manifest);
  const entryIssues = await checkPluginEntry(manifest, dirname(manifestPath));
  const folderIssues = checkFolderName(manifest, manifestPath);
  // NOTE: the platform loads manifests with validateManifest alone, so it still accepts
  // record paths outside the recordSchema. These checks run for authors, before publishing.
  const issues = [...folderIssues, ...result.errors, ...checkRecordPaths(manifest), ...entryIssues];
  return { manifestPath, ...toValidationResult(sortByDocumentOrder(issues, manifest)) };
}

async function locateManifest(path: string): Promise<string> {
  try {
    if ((await stat(path)).isDirectory()) return join(path, 'manifest.json');
  } catch {
    // A path that does not exist is reported when reading it.
  }
  return path;
}

function readFailureIssue(manifestPath: string, error: unknown): ManifestIssue {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOENT'
      ? `File ${manifestPath} does not exist; pass a connector directory that contains manifest.json, or the manifest file itself.`
      : `File ${manifestPath} could not be read: ${(error as Error).message}.`;
  return { pointer: '', keyword: 'file:read', message };
}

function syntaxIssue(source: string, parseError: unknown): ManifestIssue {
  const located = findJsonSyntaxError(source);
  if (located === undefined) {
    // The scanner and JSON.parse disagree only on input this scanner does not model.
    return { pointer: '', keyword: 'json:syntax', message: `The file is not valid JSON: ${(parseError as Error).message}.` };
  }
  return {
    pointer: '',
    keyword: 'json:syntax',
    line: located.line,
    column: located.column,
    message: `Invalid JSON at line ${located.line}, column ${located.column}: ${located.message}`,
  };
}

/**
 * Applies the platform's loading rule: it loads `<connectors>/<folder>/manifest.json` only
 * when the manifest's id equals the folder name. A manifest file with another name is not
 * in a connector folder layout, so the rule does not apply to it.
 */
/**
 * Checks that a manifest's id equals the name of the folder that contains its
 * manifest.json, the rule the platform applies when it loads connectors. Returns no issue
 * for a file with another name.
 */
export function checkFolderName(manifest: unknown, manifestPath: string): ManifestIssue[] {
  if (basename(manifestPath) !== 'manifest.json') return [];
  const id = asRecord(manifest)?.id;
  const folderName = basename(dirname(manifestPath));
  if (typeof id !== 'string' || id === folderName) return [];

  // Connections and stored mappings refer to the id, so renaming the folder is the safe fix.
  const idRule = asRecord(asRecord(connectorManifestSchema.properties)?.id)?.pattern;
  const folderIsValidId = typeof idRule === 'string' && new RegExp(idRule, 'u').test(folderName);
  const fix = folderIsValidId
    ? `rename the folder to "${id}", or, if no connection uses this connector yet, change the id to "${folderName}"`
    : `rename the folder to "${id}"`;
  return [
    {
      pointer: '/id',
      keyword: 'file:folderName',
      message: `The manifest id "${id}" must match its folder name "${folderName}", or the platform will not load the connector; ${fix}.`,
    },
  ];
}

async function checkPluginEntry(manifest: unknown, connectorDirectory: string): Promise<ManifestIssue[]> {
  const plugin = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>).plugin : undefined;
  const entry = typeof plugin === 'object' && plugin !== null ? (plugin as Record<string, unknown>).entry : undefined;
  if (typeof entry !== 'string' || entry === '') return [];
  const pointer = '/plugin/entry';

  const entryPath = resolve(connectorDirectory, entry);
  const inside = relative(connectorDirectory, entryPath);
  if (isAbsolute(entry) || inside.startsWith('..') || isAbsolute(inside)) {
    return [
      {
        pointer,
        keyword: 'file:pluginEntry',
        message: `Plugin entry '${entry}' lies outside the connector directory; give a path relative to manifest.json inside it.`,
      },
    ];
  }

  try {
    if ((await stat(entryPath)).isFile()) return [];
    return [{ pointer, keyword: 'file:pluginEntry', message: `Plugin entry '${entry}' is not a file.` }];
  } catch {
    return [
      {
        pointer,
        keyword: 'file:pluginEntry',
        message: `Plugin entry '${entry}' does not exist (looked for ${entryPath}).`,
      },
    ];
  }
}
