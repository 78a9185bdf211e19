import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SandboxConfig } from '../../platform/src/config/index.js';
import { LumioError } from '../../platform/src/errors/index.js';
import { createLogger } from '../../platform/src/observability/index.js';
import type { ConnectorContext } from '../../platform/src/runtime/index.js';
import { loadPluginBundle, SandboxHost, type LoadedPlugin, type PluginCallOptions, type PluginConnector } from '../../platform/src/sandbox/index.js';
import type { PluginStateEntry, PluginStateRepository } from '../../platform/src/store/index.js';
import { FIXTURES_DIR, HEAVY_LIMITS, HOSTILE_LIMITS } from './support/plugin-connectors.js';

// The sandbox host against its real worker process and isolated-vm. The platform-level
// suite (hostile-plugins.integration.test.ts) runs the same attacks inside syncs.

const SETTINGS: SandboxConfig = {
  defaults: { memoryMb: 64, cpuTimeMs: 1000, wallTimeMs: 5000 },
  maximums: { memoryMb: 256, cpuTimeMs: 10_000, wallTimeMs: 20_000 },
  maxResultBytes: 8 * 1024 * 1024,
};

const TOKEN = 'pat-na1-sandbox-secret-token';
const CANARY = 'LUMIO_SANDBOX_TEST_CANARY';

function captureLogs() {
  const lines: any[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** Plugin state in memory; `delayMs` slows writes down to the pace of a database. */
function memoryState(): PluginStateRepository & { values: Map<string, unknown>; delayMs: number } {
  const values = new Map<string, unknown>();
  return {
    values,
    delayMs: 0,
    async get(connectionId, key): Promise<PluginStateEntry | null> {
      return values.has(key) ? { connectionId, key, value: values.get(key), updatedAt: '' } : null;
    },
    async set(_connectionId, key, value) {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      values.set(key, value);
    },
    async delete(_connectionId, key) {
      return values.delete(key);
    },
    async count() {
      return values.size;
    },
  };
}

/** Builds a connection context with a credential. Its HTTP client fails, because no test here needs the network. */
function connectionContext(): ConnectorContext {
  return {
    manifest: { id: 'hostile', name: 'Hostile', connection: { baseUrl: 'https://api.hostile.test', configSchema: { type: 'object', properties: {} } } },
    config: { region: 'eu' },
    credentials: { accessToken: TOKEN },
    authMethod: { type: 'bearer', credentialField: 'accessToken' },
    connectionId: 'conn_hostile',
    logger: createLogger({ level: 'silent' }),
    http: {
      send: () => Promise.reject(new Error('no network in this test')),
      close: async () => undefined,
    },
  } as unknown as ConnectorContext;
}

async function failure(promise: Promise<unknown>): Promise<LumioError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof LumioError) return error;
  throw new Error(`expected a LumioError, got ${String(error)}`);
}

describe('sandbox host', () => {
  const logs = captureLogs();
  const state = memoryState();
  let host: SandboxHost;
  let hostile: PluginConnector;
  let twin: PluginConnector;
  let heavy: PluginConnector;
  let shaped: PluginConnector;

  const attack = (connector: PluginConnector, name: string, options: PluginCallOptions = {}) => host.call(connector, 'action', null, { action: name, ...options });

  beforeAll(async () => {
    process.env[CANARY] = 'must-not-reach-the-worker';
    const plugin = await loadPluginBundle(FIXTURES_DIR, { entry: 'hostile-plugin.ts', capabilities: ['state', 'log'], limits: HOSTILE_LIMITS });
    hostile = { id: 'hostile', plugin };
    twin = { id: 'hostile-twin', plugin };
    heavy = { id: 'hostile-heavy', plugin: { ...plugin, limits: HEAVY_LIMITS } };
    shaped = { id: 'hubspot-shaped', plugin: await loadPluginBundle(FIXTURES_DIR, { entry: 'transform-plugin.ts', capabilities: ['log'] }) };
    host = new SandboxHost({ settings: SETTINGS, logger: logs.logger, pluginState: state });
  });

  afterAll(async () => {
    delete process.env[CANARY];
    await host?.close();
  });

  it('describes hooks and actions', async () => {
    const description = await host.describe(hostile);

    expect(description.hooks).toEqual(['transformPage']);
    expect(description.actions).toContain('infinite-loop');
    expect(description.actions).toContain('read-credentials');
  });

  it('transforms a page and reuses the isolate', async () => {
    const records = [{ id: '1', properties: { lastname: 'Silva', email: ' Ana@Example.COM ' } }];
    const before = logs.lines.filter((line) => line.msg === 'plugin isolate created' && line.connectorId === 'hubspot-shaped').length;

    const first = await host.call(shaped, 'transformPage', records);
    const second = await host.call(shaped, 'transformPage', records);

    expect(first).toEqual([{ id: '1', properties: { lastname: 'SILVA', email: 'ana@example.com' }, shapedBy: 'plugin' }]);
    expect(second).toEqual(first);
    const created = logs.lines.filter((line) => line.msg === 'plugin isolate created' && line.connectorId === 'hubspot-shaped');
    expect(created.length - before).toBe(1);
    expect(created[0]).toMatchObject({ bundleHash: shaped.plugin.sha256, memoryMb: 64 });
    const pluginLine = logs.lines.find((line) => line.msg === 'plugin: shaping contacts');
    expect(pluginLine).toMatchObject({ connectorId: 'hubspot-shaped', hook: 'transformPage', pluginFields: { count: 1 } });
  });

  it('stops an infinite loop at the CPU limit and recreates the isolate', async () => {
    const error = await failure(attack(hostile, 'infinite-loop'));

    expect(error.code).toBe('PLUGIN_CPU_LIMIT');
    expect(error.details).toMatchObject({ connectorId: 'hostile', hook: 'action', action: 'infinite-loop', limit: 'cpuTimeMs', limitValue: HOSTILE_LIMITS.cpuTimeMs, bundleHash: hostile.plugin.sha256 });
    const kill = logs.lines.find((line) => line.msg === 'plugin call stopped at its limit; its isolate is disposed' && line.limit === 'cpuTimeMs');
    expect(kill).toMatchObject({ connectorId: 'hostile', bundleHash: hostile.plugin.sha256 });
    expect(logs.lines.some((line) => line.msg === 'plugin isolate disposed' && line.connectorId === 'hostile' && line.reason === 'cpuTimeMs')).toBe(true);

    expect(await attack(hostile, 'check-pollution')).toMatchObject({ objectPrototype: null });
  });

  it('stops a memory bomb at the memory limit', async () => {
    const error = await failure(attack(heavy, 'memory-bomb'));

    expect(error.code).toBe('PLUGIN_MEMORY_LIMIT');
    expect(error.details).toMatchObject({ connectorId: 'hostile-heavy', limit: 'memoryMb', limitValue: HEAVY_LIMITS.memoryMb });
    expect(logs.lines.some((line) => line.msg === 'plugin call stopped at its limit; its isolate is disposed' && line.limit === 'memoryMb')).toBe(true);
  });

  it('stops a pending promise at the time limit', async () => {
    const started = Date.now();
    const error = await failure(attack(hostile, 'pending-promise'));

    expect(error.code).toBe('PLUGIN_TIMEOUT');
    expect(error.details).toMatchObject({ limit: 'wallTimeMs', limitValue: HOSTILE_LIMITS.wallTimeMs });
    expect(Date.now() - started).toBeGreaterThanOrEqual(HOSTILE_LIMITS.wallTimeMs - 100);
    expect(Date.now() - started).toBeLessThan(HOSTILE_LIMITS.wallTimeMs + 1900);
  });

  it('stops host calls after the time limit', async () => {
    // At 2 ms a write, the loop stays under the host-call limit until its time runs out.
    state.delayMs = 2;
    const error = await failure(attack(hostile, 'host-calls-forever', { context: connectionContext() })).finally(() => {
      state.delayMs = 0;
    });
    const ticks = state.values.get('ticks');
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(error.code).toBe('PLUGIN_TIMEOUT');
    expect(ticks).toBeGreaterThan(10);
    expect(state.values.get('ticks')).toBe(ticks);
  });

  it('caps host calls per call', async () => {
    // The connector with the long time limits, so the flood ends at the host-call limit even on a loaded machine.
    const error = await failure(attack(heavy, 'host-call-flood', { context: connectionContext() }));

    expect(error.code).toBe('PLUGIN_HOST_CALL_LIMIT');
    expect(error.details).toMatchObject({ connectorId: 'hostile-heavy', action: 'host-call-flood', limit: 'hostCalls', limitValue: 10_000 });
  });

  it('stops a log storm at the host-call limit', async () => {
    const before = logs.lines.length;
    const pid = host.workerPid;

    const error = await failure(attack(hostile, 'log-storm'));
    const storm = logs.lines.slice(before).filter((line) => line.msg === 'plugin: storm');

    expect(error.code).toBe('PLUGIN_HOST_CALL_LIMIT');
    expect(storm).toHaveLength(100);
    expect(host.workerPid).toBe(pid);
  });

  it('offers no timed Atomics.waitAsync', async () => {
    await attack(hostile, 'check-pollution');
    const pid = host.workerPid;

    expect(await attack(hostile, 'atomics-wait-async')).toBe('unavailable');
    expect(await attack(hostile, 'count-calls')).toBe(1);
    expect(host.workerPid).toBe(pid);
  });

  it('stops a blocked Atomics.wait', async () => {
    // isolated-vm counts the time an isolate holds its thread as CPU time, blocked or not.
    expect((await failure(attack(hostile, 'atomics-wait'))).code).toBe('PLUGIN_CPU_LIMIT');
    expect(await attack(hostile, 'check-pollution')).toMatchObject({ objectPrototype: null });
  });

  it('reports deep recursion as thrown', async () => {
    const error = await failure(attack(hostile, 'deep-recursion'));

    expect(error.code).toBe('PLUGIN_THREW');
    expect(error.details).toMatchObject({ errorName: 'RangeError', error: 'Maximum call stack size exceeded' });
  });

  it('rejects a result over the size limit', async () => {
    const error = await failure(attack(hostile, 'huge-result'));

    expect(error.code).toBe('PLUGIN_RESULT_INVALID');
    expect(error.details).toMatchObject({ limit: 'maxResultBytes', limitValue: SETTINGS.maxResultBytes });
  });

  it('rejects a function in a result', async () => {
    const error = await failure(attack(hostile, 'function-result'));

    expect(error.code).toBe('PLUGIN_RESULT_INVALID');
    expect(error.details.path).toBe('$[0].format');
  });

  it('checks the result of an asynchronous hook', async () => {
    const tooLarge = await failure(attack(hostile, 'async-huge-result'));
    expect(tooLarge.code).toBe('PLUGIN_RESULT_INVALID');
    expect(tooLarge.details).toMatchObject({ limit: 'maxResultBytes', limitValue: SETTINGS.maxResultBytes, connectorId: 'hostile', action: 'async-huge-result' });

    const notData = await failure(attack(hostile, 'async-function-result'));
    expect(notData.code).toBe('PLUGIN_RESULT_INVALID');
    expect(notData.details.path).toBe('$[0].format');
  });

  it('rejects a class instance in a result', async () => {
    const error = await failure(attack(hostile, 'date-result'));

    expect(error.code).toBe('PLUGIN_RESULT_INVALID');
    expect(error.details.path).toBe('$[0].at');
    expect(error.message).toContain('instance of Date');
  });

  it('awaits a thenable result', async () => {
    expect(await attack(hostile, 'thenable-result')).toEqual(['settled by then']);
  });

  it('keeps lone surrogates and line separators', async () => {
    const awkward = ['\ud800', 'a\udfffb', '\u2028\u2029', '\u0000', '😀', '\\"quoted\\"', '</script>'];
    const records = awkward.map((text, index) => ({ id: String(index), properties: { firstname: text, lastname: text, email: ` ${text} ` } }));

    const shapedRecords = (await host.call(shaped, 'transformPage', records)) as { properties: Record<string, string> }[];

    expect(shapedRecords.map((record) => record.properties.firstname)).toEqual(awkward);
    expect(shapedRecords.map((record) => record.properties.lastname)).toEqual(awkward.map((text) => text.toUpperCase()));
    expect(shapedRecords.map((record) => record.properties.email)).toEqual(awkward.map((text) => text.trim().toLowerCase()));
  });

  it('transforms a page of 20000 records', async () => {
    const records = Array.from({ length: 20_000 }, (_, index) => ({ id: String(index), properties: { firstname: `Çağla ${index}`, lastname: `o'brien ${index}`, email: ` Person.${index}@Example.test ` } }));

    const shapedRecords = (await host.call(shaped, 'transformPage', records)) as { id: string; properties: Record<string, string>; shapedBy: string }[];

    expect(shapedRecords).toHaveLength(20_000);
    expect(shapedRecords[19_999]).toEqual({ id: '19999', properties: { firstname: 'Çağla 19999', lastname: "O'BRIEN 19999", email: 'person.19999@example.test' }, shapedBy: 'plugin' });
  });

  it('rejects a transformed page over the size limit', async () => {
    // The transform adds about 36 bytes of JSON per record, so the page passes 8 MB only after it.
    const records = Array.from({ length: 30_000 }, (_, index) => ({ id: String(index), properties: { firstname: 'x'.repeat(100), email: 'y'.repeat(100) } }));
    expect(Buffer.byteLength(JSON.stringify(records))).toBeLessThan(SETTINGS.maxResultBytes);

    // Limits at the maximum, so only the result size can stop an 8 MB page on a loaded machine.
    const large: PluginConnector = { id: 'hubspot-shaped-large', plugin: { ...shaped.plugin, limits: SETTINGS.maximums } };
    const error = await failure(host.call(large, 'transformPage', records));

    expect(error.code).toBe('PLUGIN_RESULT_INVALID');
    expect(error.details).toMatchObject({ connectorId: 'hubspot-shaped-large', hook: 'transformPage', limit: 'maxResultBytes', limitValue: SETTINGS.maxResultBytes });
  });

  it('denies a capability the manifest does not grant', async () => {
    const error = await failure(attack(hostile, 'denied-capability', { context: connectionContext() }));

    expect(error.code).toBe('PLUGIN_CAPABILITY_DENIED');
    expect(error.details).toMatchObject({ capability: 'http', method: 'request', connectorId: 'hostile' });
  });

  it('reports a hook the plugin lacks', async () => {
    expect((await failure(host.call(hostile, 'paginate', { status: 200 }))).code).toBe('PLUGIN_HOOK_MISSING');
    expect((await failure(attack(hostile, 'no-such-attack'))).code).toBe('PLUGIN_HOOK_MISSING');
  });

  it('keeps prototype pollution inside one call', async () => {
    expect(await attack(hostile, 'pollute')).toBe('polluted');

    const clean = { objectPrototype: null, arrayPrototype: null, jsonParse: '{"a":1}', leftBehind: null };
    expect(await attack(hostile, 'check-pollution')).toEqual(clean);
    expect(await attack(twin, 'check-pollution')).toEqual(clean);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse('{"a":1}')).toEqual({ a: 1 });
  });

  it('shares a warm realm per connection context', async () => {
    const context = connectionContext();
    const sameConnection = connectionContext();

    expect(await attack(hostile, 'count-calls', { context })).toBe(1);
    expect(await attack(hostile, 'count-calls', { context })).toBe(2);
    // Another context object gets its own realm, even for the same connection id.
    expect(await attack(hostile, 'count-calls', { context: sameConnection })).toBe(1);
    expect(await attack(twin, 'count-calls', { context })).toBe(1);
    expect(await attack(hostile, 'count-calls', { context })).toBe(3);
  });

  it('gives calls without a context a fresh realm', async () => {
    expect(await attack(hostile, 'count-calls')).toBe(1);
    expect(await attack(hostile, 'count-calls')).toBe(1);
  });

  it('shares a warm realm per stored connection id', async () => {
    expect(await attack(hostile, 'count-calls', { connectionId: 'conn_webhook_a' })).toBe(1);
    expect(await attack(hostile, 'count-calls', { connectionId: 'conn_webhook_a' })).toBe(2);
    expect(await attack(hostile, 'count-calls', { connectionId: 'conn_webhook_b' })).toBe(1);
    expect(await attack(twin, 'count-calls', { connectionId: 'conn_webhook_a' })).toBe(1);
    // A context takes precedence over the id, and a connection test's id gets no warm realm.
    expect(await attack(hostile, 'count-calls', { connectionId: 'conn_webhook_a', context: connectionContext() })).toBe(1);
    expect(await attack(hostile, 'count-calls', { connectionId: 'new:hostile' })).toBe(1);
    expect(await attack(hostile, 'count-calls', { connectionId: 'new:hostile' })).toBe(1);
    expect(await attack(hostile, 'count-calls', { connectionId: 'conn_webhook_a' })).toBe(3);
  });

  it('keeps pollution inside one stored connection id', async () => {
    const clean = { objectPrototype: null, arrayPrototype: null, jsonParse: '{"a":1}', leftBehind: null };

    expect(await attack(hostile, 'pollute', { connectionId: 'conn_polluter' })).toBe('polluted');

    expect(await attack(hostile, 'check-pollution', { connectionId: 'conn_bystander' })).toEqual(clean);
    expect(await attack(hostile, 'check-pollution')).toEqual(clean);
    expect(await attack(hostile, 'check-pollution', { connectionId: 'conn_polluter' })).toMatchObject({ objectPrototype: 'yes', leftBehind: 'from an earlier call' });
  });

  it('keeps pollution inside one connection context', async () => {
    const polluted = connectionContext();
    const clean = { objectPrototype: null, arrayPrototype: null, jsonParse: '{"a":1}', leftBehind: null };

    expect(await attack(hostile, 'pollute', { context: polluted })).toBe('polluted');

    expect(await attack(hostile, 'check-pollution', { context: connectionContext() })).toEqual(clean);
    expect(await attack(hostile, 'check-pollution')).toEqual(clean);
    expect(await attack(twin, 'check-pollution', { context: polluted })).toEqual(clean);
    // The polluting connection's own later calls see what it left, as the realm is shared on purpose.
    expect(await attack(hostile, 'check-pollution', { context: polluted })).toMatchObject({ objectPrototype: 'yes', leftBehind: 'from an earlier call' });
  });

  it('starts a fresh realm after a limit stops a call', async () => {
    const context = connectionContext();
    await attack(hostile, 'count-calls', { context });
    expect(await attack(hostile, 'count-calls', { context })).toBe(2);

    expect((await failure(attack(hostile, 'infinite-loop', { context }))).code).toBe('PLUGIN_CPU_LIMIT');

    expect(await attack(hostile, 'count-calls', { context })).toBe(1);
  });

  it('drops warm realms over half the heap', async () => {
    const context = connectionContext();
    expect(await attack(hostile, 'count-calls', { context })).toBe(1);
    expect(await attack(hostile, 'count-calls', { context })).toBe(2);

    expect(await attack(hostile, 'hoard', { context })).toBe('hoarded');

    expect(await attack(hostile, 'count-calls', { context })).toBe(1);
  });

  it('drops the least recently used warm realm', async () => {
    // A connector id of its own, so its isolate serves only this test's calls.
    const connector: PluginConnector = { id: 'hostile-realms', plugin: hostile.plugin };
    const contexts = Array.from({ length: 5 }, () => connectionContext());
    for (const context of contexts) expect(await attack(connector, 'count-calls', { context })).toBe(1);

    // An isolate keeps 4 warm realms, so the first context's realm is gone and the last one's is kept.
    expect(await attack(connector, 'count-calls', { context: contexts[4] })).toBe(2);
    expect(await attack(connector, 'count-calls', { context: contexts[0] })).toBe(1);
  });

  it('offers no Node API, timers or network', async () => {
    const seen = (await attack(hostile, 'read-environment')) as Record<string, unknown>;

    for (const name of ['process', 'require', 'module', 'Buffer', 'setTimeout', 'setInterval', 'fetch', 'XMLHttpRequest', 'WebSocket', 'importScripts']) {
      expect(seen[name], name).toBe('undefined');
    }
    expect(seen.globalNames).not.toContain('__lumioHostCall');
    expect(seen.globalNames).not.toContain('__lumioDispatch');
    expect(seen.globalNames).not.toContain('__lumioResolve');
  });

  it('finds only the isolate global through constructors', async () => {
    const seen = (await attack(hostile, 'escape-constructor')) as Record<string, unknown>;

    expect(seen).toMatchObject({ sameGlobal: true, process: 'undefined', require: 'undefined' });
  });

  it('refuses dynamic imports', async () => {
    expect(await attack(hostile, 'dynamic-import')).toMatch(/^refused: /);
  });

  it('gives the plugin no credential', async () => {
    const seen = await attack(hostile, 'read-credentials', { context: connectionContext() });

    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    expect((seen as { contextKeys: string[] }).contextKeys).toEqual(['connectorId', 'connectionId', 'hook', 'action', 'object', 'config', 'http', 'state', 'log', 'crypto']);
    expect((seen as { config: unknown }).config).toEqual({ region: 'eu' });
  });

  it('starts the worker without the platform environment', async () => {
    await attack(hostile, 'check-pollution');
    const pid = host.workerPid;
    expect(pid).toBeGreaterThan(0);

    const environment = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');

    expect(environment.some((entry) => entry.startsWith(`${CANARY}=`))).toBe(false);
    expect(environment.some((entry) => entry.startsWith('PATH='))).toBe(true);
  });

  it('runs calls of several connectors at once', async () => {
    const results = await Promise.all([
      host.call(shaped, 'transformPage', [{ id: '1', properties: { lastname: 'a' } }]),
      attack(hostile, 'check-pollution'),
      attack(twin, 'check-pollution'),
      host.call(shaped, 'transformPage', [{ id: '2', properties: { lastname: 'b' } }]),
    ]);

    expect((results[0] as any[])[0].properties.lastname).toBe('A');
    expect((results[3] as any[])[0].properties.lastname).toBe('B');
  });

  it('survives a worker crash and starts a new worker', async () => {
    await attack(hostile, 'check-pollution');
    const pid = host.workerPid!;
    const pending = failure(attack(hostile, 'pending-promise'));
    await new Promise((resolve) => setTimeout(resolve, 200));

    process.kill(pid, 'SIGKILL');
    const error = await pending;

    expect(error.code).toBe('PLUGIN_CRASHED');
    expect(error.details).toMatchObject({ connectorId: 'hostile', signal: 'SIGKILL' });
    expect(await host.call(shaped, 'transformPage', [])).toEqual([]);
    expect(host.workerPid).not.toBe(pid);
    expect(logs.lines.some((line) => line.msg === 'plugin sandbox worker exited; the next plugin call starts a new one' && line.workerPid === pid)).toBe(true);
  });

  it('lowers limits above the maximum and says so', async () => {
    const greedy: PluginConnector = { id: 'greedy', plugin: { ...shaped.plugin, limits: { cpuTimeMs: 999_999 } } };

    await host.call(greedy, 'transformPage', []);

    const warning = logs.lines.find((line) => line.msg === 'plugin limits above the platform maximum were lowered to it');
    expect(warning).toMatchObject({ connectorId: 'greedy', lowered: ['cpuTimeMs'], limits: { cpuTimeMs: SETTINGS.maximums.cpuTimeMs } });
  });

  it('reports a plugin without a default export', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-plugin-'));
    await writeFile(join(dir, 'index.ts'), 'export const transformPage = (records: unknown[]) => records;');
    const plugin: LoadedPlugin = await loadPluginBundle(dir, { entry: 'index.ts', capabilities: [] });

    const error = await failure(host.describe({ id: 'exportless', plugin }));

    expect(error.code).toBe('PLUGIN_DEFINITION_INVALID');
    expect(error.message).toContain('no default export');
  });

  it('reports an error at the plugin top level as thrown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-plugin-'));
    await writeFile(join(dir, 'index.ts'), "import { definePlugin } from '@lumio/plugin-sdk';\nexport default definePlugin({ transfromPage: (records: unknown[]) => records } as never);");
    const plugin: LoadedPlugin = await loadPluginBundle(dir, { entry: 'index.ts', capabilities: [] });

    const error = await failure(host.describe({ id: 'misspelt', plugin }));

    expect(error.code).toBe('PLUGIN_THREW');
    expect(error.message).toContain('unknown key "transfromPage"');
  });

  it('names the file and line a hook threw at', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-plugin-'));
    await mkdir(join(dir, 'plugin'));
    const tags = ['// Reads tags from the provider\'s comma list.', 'export function readTags(value: unknown): string[] {', "  if (typeof value !== 'string') throw new TypeError('tag list malformed');", "  return value.split(',');", '}'];
    await writeFile(join(dir, 'plugin', 'tags.ts'), tags.join('\n'));
    await writeFile(
      join(dir, 'plugin', 'index.ts'),
      "import { definePlugin } from '@lumio/plugin-sdk';\nimport { readTags } from './tags.js';\nexport default definePlugin({ transformPage: (records: Array<{ tags: unknown }>) => records.map((record) => ({ ...record, tags: readTags(record.tags) })) });",
    );
    const plugin: LoadedPlugin = await loadPluginBundle(dir, { entry: 'plugin/index.ts', capabilities: [] });

    const error = await failure(host.call({ id: 'tagger', plugin }, 'transformPage', [{ tags: 'a,b' }, { tags: 7 }]));

    // The throw is on the third line of tags.ts; the column is that of `throw` or of `new`.
    const line = tags.findIndex((text) => text.includes('throw new TypeError')) + 1;
    const columns = [tags[line - 1]!.indexOf('throw') + 1, tags[line - 1]!.indexOf('new TypeError') + 1];
    expect(error.code).toBe('PLUGIN_THREW');
    expect(error.message).toMatch(new RegExp(`threw TypeError: tag list malformed \\(at plugin/tags\\.ts:${line}:(${columns.join('|')})\\)$`));
    expect(error.details.location).toEqual({ file: 'plugin/tags.ts', line, column: expect.any(Number) });
  });

  it('names a busy loop at the elapsed-time limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-plugin-'));
    await writeFile(join(dir, 'index.ts'), 'export default { transformPage(records: unknown[]) { for (;;) { if (records.length < 0) return records; } } };');
    // A CPU limit longer than the elapsed-time limit lets the loop reach the latter first.
    const plugin: LoadedPlugin = { ...(await loadPluginBundle(dir, { entry: 'index.ts', capabilities: [] })), limits: { cpuTimeMs: 5000, wallTimeMs: 1000 } };

    const error = await failure(host.call({ id: 'spinner', plugin }, 'transformPage', []));

    expect(error.code).toBe('PLUGIN_TIMEOUT');
    const computed = Number(/within 1000 ms of elapsed time, of which it computed for (\d+) ms\./.exec(error.message)?.[1]);
    expect(computed).toBeGreaterThan(50);
    // How much CPU time the loop gets depends on the machine's load; the advice must follow it.
    expect(error.message).toContain(computed >= 250 ? 'It was busy computing' : 'It spent most of that time waiting');
  });

  it('refuses an entry outside the connector folder', async () => {
    const error = await failure(loadPluginBundle(join(FIXTURES_DIR, '..', 'support'), { entry: '../fixtures/transform-plugin.ts', capabilities: [] }));

    expect(error.code).toBe('PLUGIN_BUNDLE_FAILED');
    expect(error.message).toContain('lies outside the connector folder');
  });
});
