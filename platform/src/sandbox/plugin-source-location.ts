import { SourceMap, type SourceMapPayload } from 'node:module';
import { posix } from 'node:path';

/** A position in one of the plugin's own files, relative to the connector folder, counted from 1. */
export interface PluginSourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A plugin's entry and source map, which map a bundle position back to the plugin's files. */
export interface PluginSource {
  /** Entry path relative to the connector folder, as the manifest gives it. */
  entry: string;
  /** The bundle's source map (JSON text), whose sources are relative to the entry's folder. */
  sourceMap?: string;
}

// Sources of the SDK and of npm packages get namespaced names (see the SDK's module-paths.ts),
// such as "lumio-plugin-sdk:plugin/define-plugin.ts". They are not the author's files.
const NAMESPACED_SOURCE = /^[a-z][a-z0-9-]*:/;

/**
 * Finds where in the plugin's own files an error was thrown. The isolate compiles the
 * bundle under the file name `plugin:<connectorId>`, so the stack's frames name positions
 * in the bundle. Each frame is mapped through the bundle's source map, and the first one
 * that lands in the author's files wins, skipping frames inside the SDK or npm packages.
 * Returns undefined without a source map or a frame that maps.
 */
export function locatePluginError(stack: string | undefined, connectorId: string, source: PluginSource): PluginSourceLocation | undefined {
  if (stack === undefined || source.sourceMap === undefined) return undefined;

  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(source.sourceMap) as SourceMapPayload);
  } catch {
    return undefined;
  }

  const frame = new RegExp(`plugin:${escapeRegExp(connectorId)}:(\\d+):(\\d+)`, 'g');
  const folder = posix.dirname(source.entry.replaceAll('\\', '/'));
  for (const match of stack.matchAll(frame)) {
    // Stack positions count from 1; source map entries count from 0.
    const entry = map.findEntry(Number(match[1]) - 1, Number(match[2]) - 1);
    if (!('originalSource' in entry) || typeof entry.originalSource !== 'string') continue;
    if (NAMESPACED_SOURCE.test(entry.originalSource)) continue;
    return { file: posix.normalize(posix.join(folder, entry.originalSource)), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
