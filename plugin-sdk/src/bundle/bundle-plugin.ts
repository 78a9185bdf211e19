import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, type Message, type Plugin } from 'esbuild';

/** Global variable the bundle assigns the entry's exports to; the sandbox reads the plugin from it. */
export const PLUGIN_GLOBAL_NAME = '__lumioPlugin';

/** JavaScript version of the bundle; the sandbox runs the V8 of Node.js 20. */
const TARGET = 'es2022';

/** The SDK's authoring module, which a plugin's `@lumio/plugin-sdk` imports resolve to. */
const SDK_PLUGIN_MODULE = fileURLToPath(new URL('../plugin/index.ts', import.meta.url));

export interface PluginBundle {
  /** One classic script, without imports or exports, that assigns the plugin to `__lumioPlugin`. */
  code: string;
  /** SHA-256 of the UTF-8 code, in hex: the bundle's content address. */
  sha256: string;
}

/** One problem esbuild reported, with the file position when it has one. */
export interface PluginBundleIssue {
  message: string;
  file?: string;
  line?: number;
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
 * SDK's authoring module, which has no Node dependency.
 */
export async function bundlePlugin(entryPath: string): Promise<PluginBundle> {
  const entry = resolve(entryPath);
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      // esbuild writes each module's path, relative to this folder, in a comment above its
      // code. Relative to the entry, the same plugin gets the same bundle and hash wherever
      // its folder lies.
      absWorkingDir: dirname(entry),
      bundle: true,
      write: false,
      format: 'iife',
      globalName: PLUGIN_GLOBAL_NAME,
      platform: 'neutral',
      // Neutral resolves no package entry fields by default; these let plugins use ordinary npm packages.
      mainFields: ['module', 'main'],
      target: TARGET,
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [resolveSdkImports(), rejectNodeBuiltins()],
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors)) throw error;
    throw new PluginBundleError(entryPath, errors.map(toIssue));
  }

  const output = result.outputFiles[0];
  if (!output) throw new PluginBundleError(entryPath, [{ message: 'esbuild produced no output file' }]);
  const code = output.text;
  return { code, sha256: createHash('sha256').update(code, 'utf8').digest('hex') };
}

function resolveSdkImports(): Plugin {
  return {
    name: 'lumio-plugin-sdk',
    setup(builder) {
      builder.onResolve({ filter: /^@lumio\/plugin-sdk$/ }, () => ({ path: SDK_PLUGIN_MODULE }));
    },
  };
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
    issue.line = message.location.line;
    issue.column = message.location.column;
  }
  return issue;
}
