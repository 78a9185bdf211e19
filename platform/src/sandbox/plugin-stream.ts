import type { JsonValue, ReadStreamRequest } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import { getObjectDefinition, readStream, type ConnectorContext, type ReadStreamOptions, type StreamPage, type StreamState } from '../runtime/index.js';
import { attachRequestHooks } from './plugin-request-hooks.js';
import type { PluginConnector, SandboxHost } from './sandbox-host.js';

/** Pages a plugin's readStream may return in one run before the run fails as a loop, as for declared listings. */
const MAX_PLUGIN_PAGES = 100_000;

/** A stream checkpoint of a plugin reader: the runtime's state plus the plugin's own, as JSON. */
export interface PluginStreamState extends StreamState {
  /** The `nextState` of the last page read; null before the first page. */
  pluginState: JsonValue | null;
  /** The last `cursor` the plugin returned in this run or an earlier one. */
  pluginCursor: JsonValue | null;
  /** The cursor this run started from, passed to every page of an incremental run. */
  pluginStartCursor: JsonValue | null;
}

export interface ReadObjectPagesOptions {
  /** The platform's sandbox; a connector with a plugin cannot be read without one. */
  sandbox: SandboxHost | undefined;
  connector: { id: string; plugin?: PluginConnector['plugin'] };
  context: ConnectorContext;
  stream: ReadStreamOptions;
}

/**
 * Reads an object's pages for a sync. The plugin's readStream reads objects whose
 * manifest declares no `list` request; the declared requests read the others. When the
 * plugin defines transformPage, each page goes through it, once per page, after record
 * selection and before field mapping.
 */
export async function* readObjectPages(options: ReadObjectPagesOptions): AsyncGenerator<StreamPage> {
  const { sandbox, context, stream } = options;
  const plugin = options.connector.plugin;
  if (!plugin) {
    yield* readStream(context, stream);
    return;
  }
  if (!sandbox) {
    // Reading without the plugin would store records its hooks were meant to change.
    throw new LumioError('PLUGIN_SANDBOX_UNAVAILABLE', `The "${options.connector.id}" connector has a plugin, but this process runs no sandbox, so it cannot sync "${stream.object}".`, {
      status: 503,
      fault: 'platform',
      details: { connectorId: options.connector.id },
    });
  }

  const connector: PluginConnector = { id: options.connector.id, plugin };
  const { hooks } = await sandbox.describe(connector);
  await attachRequestHooks(sandbox, connector, context);
  const declared = getObjectDefinition(context.manifest, stream.object).operations.list !== undefined;
  const pages = !declared && hooks.includes('readStream') ? readPluginStream(sandbox, connector, context, stream) : readStream(context, stream);
  if (!hooks.includes('transformPage')) {
    yield* pages;
    return;
  }

  for await (const page of pages) {
    const records = await sandbox.call(connector, 'transformPage', page.records, callOptions(context, stream));
    yield { ...page, records };
  }
}

/**
 * Reads an object with the plugin's readStream hook, one call per page. Each page's
 * checkpoint carries the plugin's `nextState`, so a resumed sync continues at the next
 * page, and a finished run keeps the plugin's last cursor for the next incremental run.
 */
async function* readPluginStream(sandbox: SandboxHost, connector: PluginConnector, context: ConnectorContext, options: ReadStreamOptions): AsyncGenerator<StreamPage> {
  const state = startPluginRun(options);
  const phase = state.mode === 'incremental' ? 'incremental' : 'list';
  context.logger.info({ connector: connector.id, object: options.object, mode: state.mode, reader: 'plugin' }, 'stream read started');

  for (let pages = 1; state.phase !== 'done'; pages += 1) {
    options.signal?.throwIfAborted();
    if (pages > MAX_PLUGIN_PAGES) throw pluginLoop(connector, options.object, `returned more than ${MAX_PLUGIN_PAGES} pages`);

    const request: ReadStreamRequest = { object: options.object, mode: state.mode, state: state.pluginState, cursor: state.mode === 'incremental' ? state.pluginStartCursor : null };
    const page = await sandbox.call(connector, 'readStream', request, callOptions(context, options));
    if (page.nextState !== null && JSON.stringify(page.nextState) === JSON.stringify(state.pluginState)) {
      throw pluginLoop(connector, options.object, `returned its input state ${JSON.stringify(state.pluginState)} as nextState, so it would read the same page forever`);
    }

    state.pluginState = page.nextState;
    if (page.cursor !== undefined) state.pluginCursor = page.cursor;
    if (page.nextState === null) state.phase = 'done';
    yield { records: page.records, deleted: false, phase, state: structuredClone(state) };
  }
  context.logger.info({ connector: connector.id, object: options.object, mode: state.mode, reader: 'plugin' }, 'stream read finished');
}

/** Continues an unfinished plugin run, or starts one: incremental only when a cursor is known, as for declared reads. */
function startPluginRun(options: ReadStreamOptions): PluginStreamState {
  const saved = options.state as Partial<PluginStreamState> | null | undefined;
  const usable = saved && saved.version === 1 && saved.object === options.object && 'pluginState' in saved ? (saved as PluginStreamState) : undefined;
  if (usable && usable.phase !== 'done' && !(options.mode === 'full' && usable.mode === 'incremental')) return structuredClone(usable);

  const cursor = usable?.pluginCursor ?? null;
  const mode = options.mode === 'incremental' && cursor !== null ? 'incremental' : 'full';
  return {
    version: 1,
    object: options.object,
    mode,
    phase: mode === 'incremental' ? 'incremental' : 'list',
    position: null,
    cursor: null,
    tieBreaker: null,
    startCursor: null,
    pluginState: null,
    pluginCursor: cursor,
    pluginStartCursor: cursor,
  };
}

function callOptions(context: ConnectorContext, stream: ReadStreamOptions) {
  return { context, object: stream.object, ...(stream.signal ? { signal: stream.signal } : {}) };
}

function pluginLoop(connector: PluginConnector, object: string, problem: string): LumioError {
  return new LumioError('PLUGIN_PAGINATION_LOOP', `The readStream hook of the "${connector.id}" plugin ${problem} for "${object}"; make it return nextState null after the last page.`, {
    status: 502,
    fault: 'connector',
    details: { connectorId: connector.id, hook: 'readStream', object, bundleHash: connector.plugin.sha256 },
  });
}
