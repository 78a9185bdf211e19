import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';

import type { Loader, OnLoadArgs, OnLoadResult, OnResolveArgs, OnResolveResult, Plugin, PluginBuild } from 'esbuild';

// esbuild writes each module's path in a comment above the module's code in the bundle.
// For a file that path is relative to absWorkingDir, the entry's folder, so it stays the same
// for the plugin's own files wherever the connector folder lies. The SDK and npm packages
// lie elsewhere, so their relative paths change with the connector folder's location, and
// the bundle's hash with them. This esbuild plugin therefore loads those modules itself,
// under a namespace and a path that name only the module: esbuild then writes
// `lumio-plugin-sdk:plugin/index.ts` or `npm:lodash-es/chunk.js` as the comment.

/** Namespace of the SDK's modules, whose paths are relative to the SDK's src folder. */
export const SDK_NAMESPACE = 'lumio-plugin-sdk';

/** Namespace of npm package modules, whose paths start below the first `node_modules` folder. */
export const PACKAGE_NAMESPACE = 'npm';

const SDK_IMPORT = /^@lumio\/plugin-sdk$/;

// Loaders esbuild picks by default for these extensions. esbuild derives a module's type
// (CommonJS or ES module) from .cjs, .mjs, .cts and .mts, and from the "type" field of the
// nearest package.json, but it cannot for a module a plugin loads. So only modules with these
// extensions, in packages without "type", get a namespaced name, and all others keep their
// file path, whose comment can then depend on where the connector folder lies.
const LOADERS: Readonly<Record<string, Loader>> = {
  '.js': 'js',
  '.jsx': 'jsx',
  '.ts': 'ts',
  '.tsx': 'tsx',
  '.json': 'json',
};

// Marks the nested builder.resolve call, so the callback that makes it lets esbuild resolve.
const NESTED_RESOLVE = Symbol('nested resolve');

export interface ModulePathOptions {
  /** Real path of the SDK's src folder. */
  sdkSourceRoot: string;
  /** Real path of the module that `@lumio/plugin-sdk` imports resolve to, inside `sdkSourceRoot`. */
  sdkPluginModule: string;
}

interface ModuleName {
  namespace: string;
  path: string;
}

/**
 * Creates the esbuild plugin that resolves `@lumio/plugin-sdk` to the SDK's plugin module
 * and names SDK and npm package modules by namespaced paths that do not depend on where
 * the connector folder lies. Register it after any plugin that rejects imports.
 */
export function locationIndependentModules(options: ModulePathOptions): Plugin {
  return {
    name: 'lumio-location-independent-modules',
    setup(builder) {
      // setup runs once per build, so each build starts with empty tables.
      const names = new ModuleNames(options.sdkSourceRoot);

      builder.onResolve({ filter: SDK_IMPORT }, () => names.sdkModule(options.sdkPluginModule));
      builder.onResolve({ filter: /.*/ }, (args) => resolveStableName(builder, args, names));

      const load = (args: OnLoadArgs) => loadNamedModule(args, names);
      builder.onLoad({ filter: /.*/, namespace: SDK_NAMESPACE }, load);
      builder.onLoad({ filter: /.*/, namespace: PACKAGE_NAMESPACE }, load);
    },
  };
}

async function resolveStableName(builder: PluginBuild, args: OnResolveArgs, names: ModuleNames): Promise<OnResolveResult | undefined> {
  if (args.pluginData === NESTED_RESOLVE) return undefined;

  // Every import inside a namespaced module needs a namespaced name too. In the plugin's own
  // files only bare imports can reach the SDK or a package, and relative paths stay as they are.
  const fromNamedModule = args.namespace === SDK_NAMESPACE || args.namespace === PACKAGE_NAMESPACE;
  if (!fromNamedModule && (args.namespace !== 'file' || !isBareSpecifier(args.path))) return undefined;

  const resolved = await builder.resolve(args.path, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    namespace: 'file',
    with: args.with,
    pluginData: NESTED_RESOLVE,
  });
  // Returning nothing lets esbuild resolve the import again and report a failure at the import.
  if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') return undefined;

  const name = await names.nameOf(resolved.path);
  if (name !== undefined) return { ...name, sideEffects: resolved.sideEffects, suffix: resolved.suffix };
  return fromNamedModule ? { path: resolved.path, namespace: 'file', sideEffects: resolved.sideEffects, suffix: resolved.suffix } : undefined;
}

/** The namespaced names given out in one build, and the real file behind each. */
class ModuleNames {
  private readonly realPaths = new Map<string, string>();
  private readonly packageTypeSet = new Map<string, Promise<boolean>>();

  constructor(private readonly sdkSourceRoot: string) {}

  /** Names the SDK module at `realPath`, which lies inside the SDK's src folder. */
  sdkModule(realPath: string): ModuleName {
    const name = { namespace: SDK_NAMESPACE, path: toPosixPath(relative(this.sdkSourceRoot, realPath)) };
    this.realPaths.set(nameKey(name), realPath);
    return name;
  }

  /** Returns the namespaced name of an SDK or npm package module, or undefined when the file keeps its file path. */
  async nameOf(realPath: string): Promise<ModuleName | undefined> {
    if (LOADERS[extname(realPath)] === undefined) return undefined;

    // The SDK's package.json sets "type": "module". esbuild uses it only when an ES module
    // imports a CommonJS module, and the SDK's plugin module imports none, so the SDK's
    // modules load the same under the namespace.
    const inSdk = relative(this.sdkSourceRoot, realPath);
    if (inSdk !== '' && inSdk !== '..' && !inSdk.startsWith(`..${sep}`) && !isAbsolute(inSdk)) return this.sdkModule(realPath);

    // The path below the first node_modules folder, so a package hoisted to a parent folder
    // and the same package installed in the connector folder get the same name. Nested
    // copies, as in a/node_modules/b/, keep the part that distinguishes them.
    const segments = realPath.split(sep);
    const first = segments.indexOf('node_modules');
    if (first === -1 || first === segments.length - 1) return undefined;
    // A JSON module has no module type, so "type" does not change how it loads.
    if (extname(realPath) !== '.json' && (await this.setsPackageType(dirname(realPath)))) return undefined;

    const name = { namespace: PACKAGE_NAMESPACE, path: segments.slice(first + 1).join('/') };
    return this.claim(name, realPath) ? name : undefined;
  }

  /** Returns the real file behind a namespaced name, or undefined for a name this build never gave out. */
  realPathOf(name: ModuleName): string | undefined {
    return this.realPaths.get(nameKey(name));
  }

  /**
   * Records `realPath` as the file behind `name`. Returns false when the name already belongs
   * to another file, as when two node_modules folders at different levels contain the same
   * package path. The second file then keeps its file path, so the bundled code stays correct.
   */
  private claim(name: ModuleName, realPath: string): boolean {
    const key = nameKey(name);
    const claimed = this.realPaths.get(key);
    if (claimed === undefined) {
      this.realPaths.set(key, realPath);
      return true;
    }
    // NOTE: esbuild resolves imports in parallel, so which of two such copies gets the short
    // name can vary between builds, and with it the bundle's hash.
    return claimed === realPath;
  }

  /**
   * Returns whether the package.json nearest to `directory` sets "type", as esbuild looks it
   * up. A package.json that cannot be read or parsed counts as setting it, so the module
   * keeps its file path and esbuild reports the problem itself.
   */
  private setsPackageType(directory: string): Promise<boolean> {
    let pending = this.packageTypeSet.get(directory);
    if (pending === undefined) {
      pending = readPackageType(directory, (parent) => this.setsPackageType(parent));
      this.packageTypeSet.set(directory, pending);
    }
    return pending;
  }
}

async function readPackageType(directory: string, checkParent: (parent: string) => Promise<boolean>): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(join(directory, 'package.json'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return true;
    const parent = dirname(directory);
    return parent === directory ? false : checkParent(parent);
  }

  try {
    const manifest = JSON.parse(text) as unknown;
    return typeof manifest !== 'object' || manifest === null || 'type' in manifest;
  } catch {
    return true;
  }
}

async function loadNamedModule(args: OnLoadArgs, names: ModuleNames): Promise<OnLoadResult> {
  const realPath = names.realPathOf(args);
  if (realPath === undefined) {
    return { errors: [{ text: `No file is recorded for the module ${args.namespace}:${args.path}; this is a bug in the Lumio plugin bundler.` }] };
  }
  return {
    contents: await readFile(realPath),
    loader: LOADERS[extname(realPath)] ?? 'js',
    // Imports inside the module resolve from its real folder, as they would without this plugin.
    resolveDir: dirname(realPath),
    watchFiles: [realPath],
  };
}

function isBareSpecifier(path: string): boolean {
  return !path.startsWith('.') && !isAbsolute(path);
}

function nameKey(name: ModuleName): string {
  return `${name.namespace}:${name.path}`;
}

function toPosixPath(path: string): string {
  return path.split(sep).join('/');
}
