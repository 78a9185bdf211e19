import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// A type-only import, which tsx and tsc erase, so the SDK does not depend on TypeScript.
// It loads TypeScript at run time when TypeScript is installed.
import type * as TypeScript from 'typescript';

import { SDK_PLUGIN_MODULE } from '../bundle/bundle-plugin.js';

/** Oldest TypeScript release with `moduleResolution: "bundler"` and `allowImportingTsExtensions`. */
const MIN_TYPESCRIPT_VERSION = [5, 0] as const;

/** The SDK's src folder. Type errors in its files are not reported, because the plugin author cannot fix them. */
const SDK_SOURCE_ROOT = realpathSync(dirname(dirname(SDK_PLUGIN_MODULE)));

/**
 * Compiler options for a plugin, in tsconfig.json form. A plugin runs in an isolate that
 * offers ES2022 and nothing else, so there are no DOM or Node types. The module settings
 * match how esbuild bundles the plugin. esbuild resolves imports as a bundler does, accepts
 * imports ending in .ts, and compiles each file on its own, which isolatedModules checks.
 */
export const PLUGIN_COMPILER_OPTIONS = {
  strict: true,
  target: 'ES2022',
  lib: ['ES2022'],
  types: [],
  module: 'ESNext',
  moduleResolution: 'bundler',
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  isolatedModules: true,
  noEmit: true,
  // The plugin author cannot fix errors in the declaration files of npm packages.
  skipLibCheck: true,
  paths: { '@lumio/plugin-sdk': [SDK_PLUGIN_MODULE] },
};

/** A type error in a plugin file. */
export interface PluginTypeError {
  /** Path relative to the connector folder, absent for an error that belongs to no file. */
  file?: string;
  /** Line number, counted from 1. */
  line?: number;
  /** Column in characters, counted from 1. */
  column?: number;
  /** TypeScript's message. A chain of explanations follows on further, indented lines. */
  message: string;
}

export type PluginTypeCheckResult =
  /** TypeScript could not be loaded, and `reason` is one line saying why and how to fix it. */
  | { status: 'skipped'; reason: string }
  | { status: 'passed'; typescriptVersion: string; files: string[] }
  | { status: 'failed'; typescriptVersion: string; files: string[]; errors: PluginTypeError[] };

export interface PluginTypeCheckOptions {
  /** Connector folder, which reported paths are relative to. */
  directory: string;
  /** Plugin entry file. */
  entry: string;
  /**
   * Folders to load the `typescript` package from, tried in order. Default: the connector
   * folder, then the SDK's own folder.
   */
  typescriptSearchPaths?: string[];
}

/**
 * Type-checks a plugin entry and every file it imports with the TypeScript compiler API,
 * with settings that fit the sandbox. Reports errors in the plugin's files, including files
 * it imports from outside the connector folder, but not in the SDK or in npm packages.
 * Returns `skipped` when no TypeScript 5.0 or later can be loaded.
 */
export function checkPluginTypes(options: PluginTypeCheckOptions): PluginTypeCheckResult {
  const searchPaths = options.typescriptSearchPaths ?? [options.directory, dirname(fileURLToPath(import.meta.url))];
  const loaded = loadTypeScript(searchPaths);
  if ('reason' in loaded) return { status: 'skipped', reason: loaded.reason };
  const ts = loaded.typescript;

  const converted = ts.convertCompilerOptionsFromJson(PLUGIN_COMPILER_OPTIONS, options.directory);
  if (converted.errors.length > 0) {
    const messages = converted.errors.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
    throw new Error(`TypeScript ${ts.version} rejected the plugin compiler options: ${messages.join('; ')}`);
  }

  // TypeScript gives imported files by their real paths, so the paths they are reported
  // relative to must be real too.
  const directory = realpathSync(options.directory);
  const program = ts.createProgram({ rootNames: [realpathSync(options.entry)], options: converted.options });
  const isPluginFile = (file: TypeScript.SourceFile): boolean =>
    !program.isSourceFileDefaultLibrary(file) && !program.isSourceFileFromExternalLibrary(file) && !isInside(SDK_SOURCE_ROOT, file.fileName);

  const files = program
    .getSourceFiles()
    .filter(isPluginFile)
    .map((file) => relativePath(directory, file.fileName));
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .filter((diagnostic) => diagnostic.file === undefined || isPluginFile(diagnostic.file))
    .map((diagnostic) => toTypeError(ts, diagnostic, directory));

  if (errors.length === 0) return { status: 'passed', typescriptVersion: ts.version, files };
  return { status: 'failed', typescriptVersion: ts.version, files, errors };
}

type LoadedTypeScript = { typescript: typeof TypeScript } | { reason: string };

/** Loads the first TypeScript 5.0 or later found from `searchPaths`, or returns why none could be loaded. */
function loadTypeScript(searchPaths: string[]): LoadedTypeScript {
  const tooOld: string[] = [];
  for (const searchPath of searchPaths) {
    // createRequire resolves from the folder of the file it is given; the file need not exist.
    const require = createRequire(join(resolve(searchPath), 'package.json'));
    let modulePath: string;
    try {
      modulePath = require.resolve('typescript');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') continue;
      throw error;
    }

    const typescript = require(modulePath) as typeof TypeScript;
    if (isSupportedVersion(typescript.version)) return { typescript };
    tooOld.push(`${typescript.version} (${modulePath})`);
  }

  if (tooOld.length > 0) {
    return {
      reason: `Type check skipped: TypeScript ${tooOld.join(' and ')} is older than ${MIN_TYPESCRIPT_VERSION.join('.')}; update it with "npm install --save-dev typescript@latest".`,
    };
  }
  return { reason: 'Type check skipped: TypeScript is not installed; install it with "npm install --save-dev typescript" in the connector folder or a folder above it.' };
}

function isSupportedVersion(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [minMajor, minMinor] = MIN_TYPESCRIPT_VERSION;
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

function toTypeError(ts: typeof TypeScript, diagnostic: TypeScript.Diagnostic, directory: string): PluginTypeError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) return { message };

  const position = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: relativePath(directory, diagnostic.file.fileName), line: position.line + 1, column: position.character + 1, message };
}

/** Returns `path` relative to `directory`, with forward slashes as TypeScript writes paths. */
function relativePath(directory: string, path: string): string {
  return relative(directory, path).split(sep).join('/');
}

function isInside(directory: string, path: string): boolean {
  const inside = relative(directory, path);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}
