import { createContext, runInContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import { BOOTSTRAP_SOURCE } from './bootstrap-source.js';

// The bootstrap is plain JavaScript, so node:vm can run it without isolated-vm. A vm
// context is no security boundary; these tests check the envelope and host-call logic only.

interface HostCall {
  requestId: number;
  capability: string;
  method: string;
  args: unknown[];
}

interface Sandbox {
  calls: HostCall[];
  /** Calls `__lumioDispatch` itself: the envelope text, or null while an asynchronous hook runs. */
  dispatchText(hook: string, input: unknown): string | null;
  settle(): Promise<string>;
  dispatch(hook: string, input: unknown, options?: { action?: string; capabilities?: string[]; maxResultBytes?: number; maxHostCalls?: number; maxHostCallArgsLength?: number }): Promise<any>;
  resolve(requestId: number, ok: boolean, payload: unknown): void;
  globals(): string[];
  evaluate(source: string): unknown;
}

function loadPlugin(pluginSource: string): Sandbox {
  const calls: HostCall[] = [];
  const context = createContext({
    __lumioHostCall: (requestId: number, capability: string, method: string, argsJson: string) => calls.push({ requestId, capability, method, args: JSON.parse(argsJson) }),
  });
  runInContext(BOOTSTRAP_SOURCE, context);
  const dispatch = context.__lumioDispatch as (...args: unknown[]) => string | null;
  const settle = context.__lumioSettle as () => Promise<string>;
  const resolve = context.__lumioResolve as Sandbox['resolve'];
  runInContext('delete globalThis.__lumioDispatch; delete globalThis.__lumioSettle; delete globalThis.__lumioResolve;', context);
  runInContext(pluginSource, context);

  const info = (hook: string, options: Parameters<Sandbox['dispatch']>[2] = {}) => ({
    connectorId: 'acme',
    connectionId: 'conn_1',
    hook,
    action: options.action ?? null,
    object: 'contacts',
    config: { region: 'eu' },
    capabilities: options.capabilities ?? ['http', 'state', 'log', 'crypto'],
    maxResultBytes: options.maxResultBytes ?? 1024 * 1024,
    maxHostCalls: options.maxHostCalls ?? 100,
    maxHostCallArgsLength: options.maxHostCallArgsLength ?? 10_000,
  });

  return {
    calls,
    resolve,
    settle,
    dispatchText: (hook, input) => dispatch(hook, null, JSON.stringify(input ?? null), info(hook)),
    async dispatch(hook, input, options = {}) {
      const text = dispatch(hook, options.action ?? null, JSON.stringify(input ?? null), info(hook, options));
      return JSON.parse(text ?? (await settle()));
    },
    globals: () => runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[],
    evaluate: (source) => runInContext(source, context),
  };
}

const plugin = (hooks: string) => `var __lumioPlugin = { default: { ${hooks} } };`;

describe('sandbox bootstrap', () => {
  it('removes the host-call function from the global object', () => {
    const sandbox = loadPlugin(plugin(''));

    expect(sandbox.globals()).not.toContain('__lumioHostCall');
  });

  it('removes Atomics.waitAsync', () => {
    const sandbox = loadPlugin(plugin(''));

    expect(sandbox.evaluate('typeof Atomics.waitAsync')).toBe('undefined');
    expect(sandbox.evaluate('typeof Atomics.wait')).toBe('function');
  });

  it('returns a hook result as JSON', async () => {
    const sandbox = loadPlugin(plugin(`transformPage(records) { return records.map((record) => ({ ...record, seen: true })); }`));

    const envelope = await sandbox.dispatch('transformPage', [{ id: 1 }, { id: 2 }]);

    expect(envelope).toEqual({ ok: true, value: [{ id: 1, seen: true }, { id: 2, seen: true }] });
  });

  it('passes the call facts on the context', async () => {
    const sandbox = loadPlugin(plugin(`transformPage(records, context) { return [context.connectorId, context.connectionId, context.hook, context.object, context.config.region, Object.isFrozen(context)]; }`));

    expect((await sandbox.dispatch('transformPage', [])).value).toEqual(['acme', 'conn_1', 'transformPage', 'contacts', 'eu', true]);
  });

  it('calls actions by name with the actions object as this', async () => {
    const sandbox = loadPlugin(plugin(`actions: { double(input) { return input * this.factor(); }, factor() { return 2; } }`));

    expect(await sandbox.dispatch('action', 21, { action: 'double' })).toEqual({ ok: true, value: 42 });
  });

  it('leaves out value when the hook returns undefined', async () => {
    const sandbox = loadPlugin(plugin(`actions: { nothing() {} }`));

    expect(await sandbox.dispatch('action', null, { action: 'nothing' })).toEqual({ ok: true });
  });

  it('describes hooks and actions', async () => {
    const sandbox = loadPlugin(plugin(`transformPage() {}, readStream() {}, notAHook() {}, actions: { send() {}, label: 'x' }`));

    expect(await sandbox.dispatch('describe', null)).toEqual({ ok: true, value: { hooks: ['transformPage', 'readStream'], actions: ['send'] } });
  });

  it('reports a missing default export', async () => {
    const sandbox = loadPlugin('var __lumioPlugin = {};');

    const envelope = await sandbox.dispatch('describe', null);

    expect(envelope.ok).toBe(false);
    expect(envelope.kind).toBe('definition');
    expect(envelope.message).toContain('no default export');
  });

  it('reports a missing hook', async () => {
    const sandbox = loadPlugin(plugin(''));

    expect(await sandbox.dispatch('paginate', {})).toMatchObject({ ok: false, kind: 'hook-missing', message: 'The plugin defines no hook "paginate".' });
    expect(await sandbox.dispatch('action', {}, { action: 'send' })).toMatchObject({ ok: false, kind: 'hook-missing', message: 'The plugin defines no action "send".' });
  });

  it('reports what a hook threw', async () => {
    const sandbox = loadPlugin(plugin(`transformPage() { throw new RangeError('page too short'); }`));

    const envelope = await sandbox.dispatch('transformPage', []);

    expect(envelope).toMatchObject({ ok: false, kind: 'threw', name: 'RangeError', message: 'page too short' });
    expect(envelope.stack).toContain('page too short');
  });

  it('reports a thrown primitive', async () => {
    const sandbox = loadPlugin(plugin(`transformPage() { throw 'plain text'; }`));

    expect(await sandbox.dispatch('transformPage', [])).toMatchObject({ ok: false, kind: 'threw', name: 'Error', message: 'plain text' });
  });

  it.each([
    ['a function', `[{ id: 1, format: () => 1 }]`, '$[0].format', 'is a function'],
    ['a symbol', `[Symbol('x')]`, '$[0]', 'is a symbol'],
    ['a bigint', `({ total: 10n })`, '$.total', 'is a bigint'],
    ['NaN', `[{ score: NaN }]`, '$[0].score', 'is NaN'],
    ['Infinity', `[Infinity]`, '$[0]', 'is Infinity'],
    ['an undefined item', `[1, undefined]`, '$[1]', 'is undefined'],
    ['a Date', `[{ at: new Date(0) }]`, '$[0].at', 'is an instance of Date'],
    ['a Map', `[new Map()]`, '$[0]', 'is an instance of Map'],
    ['a class instance', `[new (class Contact {})()]`, '$[0]', 'is an instance of Contact'],
    ['symbol keys', `[{ [Symbol('k')]: 1 }]`, '$[0]', 'has symbol keys'],
    ['an odd key', `[{ 'first name': () => 1 }]`, '$[0]["first name"]', 'is a function'],
  ])('rejects %s in a result', async (_name, expression, path, problem) => {
    const sandbox = loadPlugin(plugin(`actions: { run() { return ${expression}; } }`));

    const envelope = await sandbox.dispatch('action', null, { action: 'run' });

    expect(envelope.ok).toBe(false);
    expect(envelope.kind).toBe('result');
    expect(envelope.path).toBe(path);
    expect(envelope.message).toContain(problem);
  });

  it('rejects a cycle', async () => {
    const sandbox = loadPlugin(plugin(`actions: { run() { const record = { id: 1 }; record.self = record; return [record]; } }`));

    expect(await sandbox.dispatch('action', null, { action: 'run' })).toMatchObject({ ok: false, kind: 'result', path: '$[0].self' });
  });

  it('accepts the same object twice without a cycle', async () => {
    const sandbox = loadPlugin(plugin(`actions: { run() { const shared = { a: 1 }; return [shared, shared]; } }`));

    expect(await sandbox.dispatch('action', null, { action: 'run' })).toEqual({ ok: true, value: [{ a: 1 }, { a: 1 }] });
  });

  it('rejects nesting over 100 levels', async () => {
    const sandbox = loadPlugin(plugin(`actions: { run() { let value = 1; for (let i = 0; i < 150; i++) value = [value]; return value; } }`));

    expect(await sandbox.dispatch('action', null, { action: 'run' })).toMatchObject({ ok: false, kind: 'result', message: expect.stringContaining('deeper than 100') });
  });

  it('drops undefined properties as JSON does', async () => {
    const sandbox = loadPlugin(plugin(`actions: { run() { return { kept: 1, dropped: undefined }; } }`));

    expect(await sandbox.dispatch('action', null, { action: 'run' })).toEqual({ ok: true, value: { kept: 1 } });
  });

  it('accepts objects without a prototype', async () => {
    const sandbox = loadPlugin(plugin(`actions: { run() { const value = Object.create(null); value.id = 7; return value; } }`));

    expect(await sandbox.dispatch('action', null, { action: 'run' })).toEqual({ ok: true, value: { id: 7 } });
  });

  it('stops a result over the size limit before serialising it', async () => {
    const sandbox = loadPlugin(plugin(`actions: { run() { return Array.from({ length: 200 }, () => 'x'.repeat(100)); } }`));

    const envelope = await sandbox.dispatch('action', null, { action: 'run', maxResultBytes: 10_000 });

    expect(envelope).toMatchObject({ ok: false, kind: 'too-large' });
    expect(envelope.message).toContain('10000 bytes');
  });

  it('sends capability calls to the host and settles them', async () => {
    const sandbox = loadPlugin(plugin(`async transformPage(records, context) { const value = await context.state.get('cursor'); return [value]; }`));

    const pending = sandbox.dispatch('transformPage', []);
    await Promise.resolve();
    expect(sandbox.calls).toEqual([{ requestId: 1, capability: 'state', method: 'get', args: ['cursor'] }]);
    sandbox.resolve(1, true, 'c-42');

    expect(await pending).toEqual({ ok: true, value: ['c-42'] });
  });

  it('rejects a host call with the host error', async () => {
    const sandbox = loadPlugin(plugin(`async transformPage(records, context) {
      try { await context.http.request({ method: 'GET', path: '/x' }); } catch (error) { return [error.message, error.code, error.status]; }
    }`));

    const pending = sandbox.dispatch('transformPage', []);
    await Promise.resolve();
    sandbox.resolve(1, false, { message: 'Acme returned HTTP 404', code: 'PROVIDER_REQUEST_FAILED', status: 404 });

    expect((await pending).value).toEqual(['Acme returned HTTP 404', 'PROVIDER_REQUEST_FAILED', 404]);
  });

  it('ignores answers to unknown requests', async () => {
    const sandbox = loadPlugin(plugin(''));

    expect(() => sandbox.resolve(99, true, 'late')).not.toThrow();
  });

  it('ignores host results after the call', async () => {
    const sandbox = loadPlugin(
      plugin(`transformPage(records, context) { context.state.get('k').then(() => { globalThis.lateRuns = (globalThis.lateRuns || 0) + 1; }); return records; },
      actions: { lateRuns() { return globalThis.lateRuns || 0; } }`),
    );

    await sandbox.dispatch('transformPage', []);
    sandbox.resolve(1, true, 'late');
    await Promise.resolve();

    expect(sandbox.calls).toHaveLength(1);
    expect(await sandbox.dispatch('action', null, { action: 'lateRuns' })).toEqual({ ok: true, value: 0 });
  });

  it('sends log lines without waiting for an answer', async () => {
    const sandbox = loadPlugin(plugin(`transformPage(records, context) { context.log.warn('odd record', { id: 3 }); context.log.info('done'); return records; }`));

    await sandbox.dispatch('transformPage', []);

    expect(sandbox.calls).toEqual([
      { requestId: 0, capability: 'log', method: 'warn', args: ['odd record', { id: 3 }] },
      { requestId: 0, capability: 'log', method: 'info', args: ['done'] },
    ]);
  });

  it('throws at once for log without the capability', async () => {
    const sandbox = loadPlugin(plugin(`transformPage(records, context) { try { context.log.info('x'); } catch (error) { return [error.code, error.message]; } }`));

    const envelope = await sandbox.dispatch('transformPage', [], { capabilities: ['http'] });

    expect(envelope.value[0]).toBe('PLUGIN_CAPABILITY_DENIED');
    expect(envelope.value[1]).toContain('add "log" to plugin.capabilities');
    // The host still receives the call, so it can name the denied capability in the call's error.
    expect(sandbox.calls).toHaveLength(1);
  });

  it('stops a flood of host calls', async () => {
    const sandbox = loadPlugin(plugin(`transformPage(records, context) {
      try { for (;;) context.log.info('storm'); } catch (error) { return [error.code, error.message]; }
    }`));

    const envelope = await sandbox.dispatch('transformPage', [], { maxHostCalls: 5 });

    expect(envelope.value).toEqual(['PLUGIN_HOST_CALL_LIMIT', 'One plugin call may make at most 5 host calls.']);
    // One call over the limit reaches the host, so it can report the overflow.
    expect(sandbox.calls).toHaveLength(6);
  });

  it('rejects requests over the host-call limit', async () => {
    const sandbox = loadPlugin(plugin(`async transformPage(records, context) {
      const results = await Promise.allSettled([1, 2, 3].map(() => context.state.get('k')));
      return results.map((result) => result.status === 'rejected' ? result.reason.code : 'pending');
    }`));

    const pending = sandbox.dispatch('transformPage', [], { maxHostCalls: 1 });
    await Promise.resolve();
    sandbox.resolve(1, true, 'a');
    sandbox.resolve(2, true, 'b');

    expect((await pending).value).toEqual(['pending', 'pending', 'PLUGIN_HOST_CALL_LIMIT']);
    expect(sandbox.calls).toHaveLength(2);
  });

  it('rejects host-call arguments over the length limit', async () => {
    const sandbox = loadPlugin(plugin(`async transformPage(records, context) {
      try { await context.state.set('big', 'x'.repeat(200)); } catch (error) { return [error.code, error.message]; }
    }`));

    const envelope = await sandbox.dispatch('transformPage', [], { maxHostCallArgsLength: 100 });

    expect(envelope.value).toEqual(['PLUGIN_HOST_CALL_INVALID', 'The arguments of one host call may take at most 100 characters of JSON.']);
    expect(sandbox.calls).toHaveLength(0);
  });

  it('sends arguments as JSON', async () => {
    const sandbox = loadPlugin(plugin(`transformPage(records, context) { context.log.info('shape', { when: new Date(0), skip: () => 1 }); return records; }`));

    await sandbox.dispatch('transformPage', []);

    expect(sandbox.calls[0]?.args).toEqual(['shape', { when: '1970-01-01T00:00:00.000Z' }]);
  });

  it('counts host calls per dispatch', async () => {
    const sandbox = loadPlugin(plugin(`transformPage(records, context) { context.log.info('once'); return records; }`));

    await sandbox.dispatch('transformPage', [], { maxHostCalls: 0 });
    const envelope = await sandbox.dispatch('transformPage', [], { maxHostCalls: 0 });

    expect(envelope).toEqual({ ok: true, value: [] });
  });

  it('keeps working when the plugin replaces JSON.stringify', async () => {
    const sandbox = loadPlugin(`JSON.stringify = () => 'tampered'; ${plugin(`transformPage(records) { return records; }`)}`);

    expect(await sandbox.dispatch('transformPage', [{ id: 1 }])).toEqual({ ok: true, value: [{ id: 1 }] });
  });

  it('returns the envelope of a synchronous hook at once', () => {
    const sandbox = loadPlugin(plugin(`transformPage(records) { return records.length; }`));

    expect(sandbox.dispatchText('transformPage', [1, 2])).toBe('{"ok":true,"value":2}');
  });

  it('returns the envelope of an asynchronous hook through settle', async () => {
    const sandbox = loadPlugin(plugin(`async transformPage(records) { return records.length; }`));

    expect(sandbox.dispatchText('transformPage', [1, 2, 3])).toBeNull();
    expect(await sandbox.settle()).toBe('{"ok":true,"value":3}');
  });

  it('reports an asynchronous rejection as thrown', async () => {
    const sandbox = loadPlugin(plugin(`async transformPage() { throw new TypeError('late'); }`));

    expect(sandbox.dispatchText('transformPage', [])).toBeNull();
    expect(JSON.parse(await sandbox.settle())).toMatchObject({ ok: false, kind: 'threw', name: 'TypeError', message: 'late' });
  });

  it('reports a then getter that throws as thrown', () => {
    const sandbox = loadPlugin(plugin(`transformPage() { return { get then() { throw new Error('no then'); } }; }`));

    expect(JSON.parse(sandbox.dispatchText('transformPage', []) ?? 'null')).toMatchObject({ ok: false, kind: 'threw', message: 'no then' });
  });

  it('drops host-call results after an asynchronous hook ends', async () => {
    const sandbox = loadPlugin(
      plugin(`async transformPage(records, context) { context.state.get('late').then(() => { globalThis.ranLate = true; }); return 'done'; }`) + ' globalThis.ranLate = false;',
    );

    expect(sandbox.dispatchText('transformPage', [])).toBeNull();
    expect(JSON.parse(await sandbox.settle())).toEqual({ ok: true, value: 'done' });
    sandbox.resolve(sandbox.calls[0]!.requestId, true, 'value');
    await Promise.resolve();

    expect(sandbox.globals()).toContain('ranLate');
    expect(sandbox.evaluate('globalThis.ranLate')).toBe(false);
  });
});
