import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, type Message, type Plugin, type TsconfigRaw } from 'esbuild';

import { locationIndependentModules, PACKAGE_NAMESPACE, SDK_NAMESPACE } from './module-paths.js';

/** Global variable the bundle assigns the entry's exports to; the sandbox reads the plugin from it. */
export const PLUGIN_GLOBAL_NAME = '__lumioPlugin';

/** JavaScript version of the bundle; the sandbox runs the V8 of Node.js 20. */
const TARGET = 'es2022';

/** The SDK's authoring module, which a plugin's `@lumio/plugin-sdk` imports resolve to. */
export const SDK_PLUGIN_MODULE = fileURLToPath(new URL('../plugin/index.ts', import.meta.url));

/** The SDK's src folder. The bundle names SDK modules by their path below it. */
const SDK_SOURCE_ROOT = fileURLToPath(new URL('../', import.meta.url));

// The TypeScript settings esbuild compiles every module with. Setting them here stops esbuild
// from reading tsconfig.json files above the plugin, such as a repository's, which would make
// the bundle depend on where the connector folder lies. They match the type check of
// `lumio-connector build`: strict mode, and class fields as ES2022 defines them.
const TSCONFIG: TsconfigRaw = { compilerOptions: { alwaysStrict: true, useDefineForClassFields: true } };

export interface PluginBundle {
  /** One classic script, without imports or exports, that assigns the plugin to `__lumioPlugin`. */
  code: string;
  /** SHA-256 of the UTF-8 code, in hex: the bundle's content address. */
  sha256: string;
  /**
   * Source map of the code (JSON text, version 3, without sources' contents). Its `sources`
   * are relative to the entry's folder, or namespaced names such as
   * `lumio-plugin-sdk:plugin/define-plugin.ts`. It is not part of the hash.
   */
  sourceMap: string;
}

/** One problem esbuild reported, with the file position when it has one. */
export interface PluginBundleIssue {
  message: string;
  /** Path relative to the entry's folder when `namespace` is "file", else `namespace:path`, as for an SDK or npm package module. */
  file?: string;
  /** Namespace of the module: "file" for the plugin's files, else `SDK_NAMESPACE` or `PACKAGE_NAMESPACE`. */
  namespace?: string;
  /** Line number, counted from 1. */
  line?: number;
  /** Column in bytes, counted from 0 as esbuild counts it. */
  column?: number;
}

/** A plugin that could not be bundled; `issues` lists every problem. */
export class PluginBundleError extends Error {
  readonly issues: PluginBundleIssue[];

  constructor(entryPath: string, issues: PluginBundleIssue[]) {
    const first = issues[0];
    const where = first?.file ? ` (${first.file}:${first.line ?? 0}:${first.column ?? 0})` : '';
    const others = issues.length - 1;
    const more = others === 0 ? '' : ` ${others} more ${others === 1 ? 'problem follows' : 'problems follow'} in \`issues\`.`;
    super(`The plugin ${entryPath} could not be bundled: ${first?.message ?? 'unknown esbuild failure'}${where}.${more}`);
    this.name = 'PluginBundleError';
    this.issues = issues;
  }
}

/**
 * Bundles a plugin entry and everything it imports into one platform-neutral script for
 * the sandbox. Node built-in modules are rejected with an error naming the import,
 * because the sandbox has no Node API. Imports of `@lumio/plugin-sdk` resolve to the
 * SDK's authoring module, which has no Node dependency. The same plugin files give the
 * same bundle, and so the same hash, wherever the connector folder lies.
 */
export async function bundlePlugin(entryPath: string): Promise<PluginBundle> {
  const entry = await realPathOrResolved(entryPath);
  const sdkSourceRoot = await realpath(SDK_SOURCE_ROOT);
  const sdkPluginModule = await realpath(SDK_PLUGIN_MODULE);
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      // esbuild writes each module's path, relative to this folder, in a comment above its
      // code, so the plugin's own files get the same comments wherever its folder lies.
      absWorkingDir: dirname(entry),
      bundle: true,
      write: false,
      // An external map leaves the code without a sourceMappingURL comment, so the hash is
      // the same as without a map. esbuild needs an output path to name the map; with
      // write: false nothing is written there.
      sourcemap: 'external',
      sourcesContent: false,
      outfile: join(dirname(entry), 'plugin.bundle.js'),
      format: 'iife',
      globalName: PLUGIN_GLOBAL_NAME,
      platform: 'neutral',
      // Neutral resolves no package entry fields by default; these let plugins use ordinary npm packages.
      mainFields: ['module', 'main'],
      target: TARGET,
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'silent',
      tsconfigRaw: TSCONFIG,
      // The rejection comes first, so no later plugin resolves a built-in module.
      plugins: [rejectNodeBuiltins(), locationIndependentModules({ sdkSourceRoot, sdkPluginModule })],
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors)) throw error;
    throw new PluginBundleError(entryPath, errors.map(toIssue));
  }

  const output = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
  if (!output || !map) throw new PluginBundleError(entryPath, [{ message: 'esbuild produced no bundle or no source map' }]);
  const code = output.text;
  return { code, sha256: createHash('sha256').update(code, 'utf8').digest('hex'), sourceMap: map.text };
}

/**
 * Returns the entry's real path, so a connector folder reached through a symbolic link
 * bundles as the folder itself does. A missing entry keeps its resolved path, and esbuild
 * reports it.
 */
async function realPathOrResolved(entryPath: string): Promise<string> {
  const resolved = resolve(entryPath);
  try {
    return await realpath(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return resolved;
    throw error;
  }
}

function rejectNodeBuiltins(): Plugin {
  const names = new Set(builtinModules);
  return {
    name: 'lumio-reject-node-builtins',
    setup(builder) {
      builder.onResolve({ filter: /^[a-z_]/ }, (args) => {
        const bare = args.path.startsWith('node:') ? args.path.slice('node:'.length) : args.path;
        if (!args.path.startsWith('node:') && !names.has(bare)) return undefined;
        return {
          errors: [
            {
              text: `Plugins cannot import the Node built-in module "${args.path}", because the sandbox has no Node API; use the host functions on the hook's context (http, state, log, crypto) instead`,
            },
          ],
        };
      });
    },
  };
}

function toIssue(message: Message): PluginBundleIssue {
  const issue: PluginBundleIssue = { message: message.text };
  if (message.location) {
    issue.file = message.location.file;
    issue.namespace = namespaceOf(message.location.file);
    issue.line = message.location.line;
    issue.column = message.location.column;
  }
  return issue;
}

// esbuild writes a namespaced module's location as `namespace:path` and leaves
// Location.namespace empty, so the namespace is read from the path.
function namespaceOf(file: string): string {
  return [SDK_NAMESPACE, PACKAGE_NAMESPACE].find((namespace) => file.startsWith(`${namespace}:`)) ?? 'file';
}
