import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

import { bundlePlugin, PluginBundleError, type PluginBundle, type PluginBundleIssue } from '../bundle/index.js';
import { AuthoringError } from './authoring-error.js';
import { checkPluginTypes, type PluginTypeError } from './check-plugin-types.js';
import { count, type CommandOutput } from './command-support.js';
import { displayPath, readConnectorFolder } from './connector-folder.js';

export interface BuildOptions {
  /** Connector folder. */
  directory: string;
  /** File to write the bundle to; default none, so only the hash and size are printed. */
  outFile?: string;
  /** Whether to type-check the plugin with TypeScript before printing and writing the bundle. Default true. */
  typecheck?: boolean;
  out: CommandOutput;
}

/**
 * Bundles the plugin a connector's manifest declares, as the platform does when it loads
 * the connector, type-checks it, and prints the bundle's SHA-256 and size. Raises
 * PLUGIN_NOT_DECLARED without a `plugin` entry, PLUGIN_BUNDLE_FAILED listing esbuild's
 * problems, and PLUGIN_TYPE_ERRORS listing TypeScript's errors. After any of these
 * failures nothing is written.
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
      details: error.issues.map((issue) => formatBundleIssue(issue, relative(folder.directory, dirname(entry)))),
      cause: error,
    });
  }

  // Bundling comes first, because its errors for a Node built-in, a missing import or a
  // syntax error are clearer than TypeScript's errors for the same mistakes.
  if (options.typecheck !== false) checkTypes(folder.directory, entry, options.out);

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

/** Runs the type check and prints its outcome. Raises PLUGIN_TYPE_ERRORS when there are type errors. */
function checkTypes(directory: string, entry: string, out: CommandOutput): void {
  const result = checkPluginTypes({ directory, entry });
  if (result.status === 'skipped') {
    out(result.reason);
    return;
  }

  const checked = `${count(result.files.length, 'file')} with TypeScript ${result.typescriptVersion}`;
  if (result.status === 'passed') {
    out(`Type-checked ${checked}: no errors`);
    return;
  }

  const errors = count(result.errors.length, 'type error');
  const pronoun = result.errors.length === 1 ? 'it' : 'them';
  throw new AuthoringError(
    'PLUGIN_TYPE_ERRORS',
    `The plugin ${displayPath(entry)} has ${errors} (checked ${checked}, for ES2022 without DOM or Node types, as the sandbox runs it); fix ${pronoun}, or pass --no-typecheck to bundle without the check.`,
    { details: result.errors.flatMap(formatTypeError) },
  );
}

/**
 * Formats a bundling problem as `file:line:column: message`, with a file's path relative
 * to the connector folder like the type errors. `entryFolder` is the entry's folder relative
 * to the connector folder, because esbuild gives file paths relative to the entry's folder.
 */
function formatBundleIssue(issue: PluginBundleIssue, entryFolder: string): string {
  if (issue.file === undefined) return issue.message;
  const file = issue.namespace === 'file' ? join(entryFolder, issue.file).split(sep).join('/') : issue.file;
  // esbuild counts columns from 0, while editors and tsc count from 1.
  return `${file}:${issue.line ?? 0}:${(issue.column ?? 0) + 1}: ${issue.message}`;
}

/** Formats a type error as `file:line:column: message`, with the rest of a message chain on further, indented lines. */
function formatTypeError(error: PluginTypeError): string[] {
  const [first = '', ...rest] = error.message.split('\n');
  const location = error.file === undefined ? '' : `${error.file}:${error.line ?? 0}:${error.column ?? 0}: `;
  return [`${location}${first}`, ...rest.map((line) => `  ${line}`)];
}
