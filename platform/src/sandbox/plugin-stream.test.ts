import { describe, expect, it } from 'vitest';

import { isLumioError } from '../errors/index.js';
import { silentLogger } from '../observability/index.js';
import type { ConnectorContext, StreamPage } from '../runtime/index.js';
import type { LoadedPlugin } from './plugin-bundle.js';
import { readObjectPages, type PluginStreamState } from './plugin-stream.js';
import type { SandboxHost } from './sandbox-host.js';

const PLUGIN: LoadedPlugin = { entry: 'plugin/index.ts', code: '', sha256: 'b'.repeat(64), capabilities: [] };

const CONTEXT = {
  manifest: {
    id: 'acme',
    name: 'Acme',
    objects: { contacts: { primaryKey: 'id', operations: { get: { method: 'GET', path: '/contacts/{{ id }}' } } } },
  },
  logger: silentLogger,
} as unknown as ConnectorContext;

interface Call {
  hook: string;
  input: any;
}

/** Builds a sandbox stand-in whose readStream serves `pages` by the numeric state it receives. */
function fakeSandbox(hooks: string[], pages: { records: unknown[]; nextState: unknown; cursor?: unknown }[]) {
  const calls: Call[] = [];
  const sandbox = {
    async describe() {
      return { hooks, actions: [] };
    },
    async call(_connector: unknown, hook: string, input: any) {
      calls.push({ hook, input: structuredClone(input) });
      if (hook === 'transformPage') return input.map((record: { id: number }) => ({ ...record, transformed: true }));
      const index = input.state === null ? 0 : Number(input.state);
      return pages[index];
    },
  };
  return { sandbox: sandbox as unknown as SandboxHost, calls };
}

async function collect(pages: AsyncIterable<StreamPage>): Promise<StreamPage[]> {
  const all: StreamPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

const THREE_PAGES = [
  { records: [{ id: 1 }], nextState: '1' },
  { records: [{ id: 2 }], nextState: '2', cursor: 'c-2' },
  { records: [{ id: 3 }], nextState: null, cursor: 'c-3' },
];

describe('readObjectPages with a plugin reader', () => {
  it('reads every page and transforms each one', async () => {
    const { sandbox, calls } = fakeSandbox(['readStream', 'transformPage'], THREE_PAGES);

    const pages = await collect(readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full' } }));

    expect(pages.map((page) => page.records)).toEqual([[{ id: 1, transformed: true }], [{ id: 2, transformed: true }], [{ id: 3, transformed: true }]]);
    expect(calls.filter((call) => call.hook === 'readStream').map((call) => call.input.state)).toEqual([null, '1', '2']);
    const last = pages[2]?.state as PluginStreamState;
    expect(last.phase).toBe('done');
    expect(last.pluginCursor).toBe('c-3');
    expect(pages[0]?.state.phase).toBe('list');
  });

  it('resumes from a saved page state', async () => {
    const { sandbox, calls } = fakeSandbox(['readStream'], THREE_PAGES);
    const first = await collect(readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full' } }));
    calls.length = 0;

    const rest = await collect(readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full', state: first[0]?.state ?? null } }));

    expect(rest.map((page) => page.records)).toEqual([[{ id: 2 }], [{ id: 3 }]]);
    expect(calls.map((call) => call.input.state)).toEqual(['1', '2']);
  });

  it('starts an incremental run from the last cursor', async () => {
    const { sandbox, calls } = fakeSandbox(['readStream'], THREE_PAGES);
    const full = await collect(readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full' } }));
    calls.length = 0;

    const incremental = await collect(
      readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'incremental', state: full[2]?.state ?? null } }),
    );

    expect(calls.map((call) => [call.input.mode, call.input.cursor])).toEqual([
      ['incremental', 'c-3'],
      ['incremental', 'c-3'],
      ['incremental', 'c-3'],
    ]);
    expect(incremental[0]?.phase).toBe('incremental');
  });

  it('runs incremental as full without a cursor', async () => {
    const { sandbox, calls } = fakeSandbox(['readStream'], [{ records: [], nextState: null }]);

    await collect(readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'incremental' } }));

    expect(calls[0]?.input).toEqual({ object: 'contacts', mode: 'full', state: null, cursor: null });
  });

  it('stops a reader that repeats its state', async () => {
    const { sandbox } = fakeSandbox(['readStream'], [{ records: [], nextState: '1' }, { records: [], nextState: '1' }]);

    const error = await collect(readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full' } })).catch((caught: unknown) => caught);

    expect(isLumioError(error)).toBe(true);
    expect((error as { code?: string }).code).toBe('PLUGIN_PAGINATION_LOOP');
  });

  it('stops between pages when the sync is stopped', async () => {
    const { sandbox, calls } = fakeSandbox(['readStream'], THREE_PAGES);
    const abort = new AbortController();
    const seen: StreamPage[] = [];

    const error = await (async () => {
      for await (const page of readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full', signal: abort.signal } })) {
        seen.push(page);
        abort.abort();
      }
    })().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect(seen).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('fails for a plugin connector without a sandbox', async () => {
    const error = await collect(readObjectPages({ sandbox: undefined, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full' } })).catch((caught: unknown) => caught);

    expect(isLumioError(error)).toBe(true);
    expect((error as { code?: string }).code).toBe('PLUGIN_SANDBOX_UNAVAILABLE');
  });

  it('uses the declared reader when the plugin has no readStream', async () => {
    const { sandbox, calls } = fakeSandbox(['transformPage'], THREE_PAGES);

    const error = await collect(readObjectPages({ sandbox, connector: { id: 'acme', plugin: PLUGIN }, context: CONTEXT, stream: { object: 'contacts', mode: 'full' } })).catch((caught: unknown) => caught);

    // The object declares no list request, so the declared reader reports it.
    expect(isLumioError(error)).toBe(true);
    expect((error as { code?: string }).code).toBe('OPERATION_NOT_DEFINED');
    expect(calls).toHaveLength(0);
  });
});
