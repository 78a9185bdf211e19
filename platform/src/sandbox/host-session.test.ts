import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { HttpRequest, HttpResponse } from '../http/index.js';
import { silentLogger } from '../observability/index.js';
import type { ConnectorContext } from '../runtime/index.js';
import type { PluginStateEntry, PluginStateRepository } from '../store/index.js';
import { HostSession, MAX_LOG_LINES, type HostSessionOptions } from './host-session.js';
import { MAX_HOST_CALLS, type HostCallMessage } from './worker-protocol.js';

const TOKEN = 'tok_live_secret';

/** Builds a connection context whose HTTP client records requests and responds with `respond`. */
function fakeContext(respond: (request: HttpRequest) => Partial<HttpResponse> = () => ({})) {
  const sent: HttpRequest[] = [];
  const context = {
    manifest: { id: 'acme', name: 'Acme', connection: { baseUrl: 'https://api.acme.test/v2', configSchema: { type: 'object', properties: {} } } },
    config: {},
    credentials: { accessToken: TOKEN, signingSecret: 'sign-me' },
    authMethod: { type: 'bearer', credentialField: 'accessToken' },
    connectionId: 'conn_1',
    logger: silentLogger,
    http: {
      async send(request: HttpRequest): Promise<HttpResponse> {
        sent.push(request);
        return { status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true }, rawBody: '{"ok":true}', durationMs: 1, url: request.url, ...respond(request) };
      },
      async close() {},
    },
  } as unknown as ConnectorContext;
  return { context, sent };
}

function memoryState(): PluginStateRepository {
  const values = new Map<string, unknown>();
  return {
    async get(connectionId, key): Promise<PluginStateEntry | null> {
      return values.has(key) ? { connectionId, key, value: values.get(key), updatedAt: '' } : null;
    },
    async set(_connectionId, key, value) {
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

function session(options: Partial<HostSessionOptions> = {}): HostSession {
  return new HostSession({ connectorId: 'acme', capabilities: ['http', 'state', 'log', 'crypto'], object: 'contacts', logger: silentLogger, ...options });
}

let nextRequestId = 0;
function hostCall(capability: string, method: string, args: unknown[], requestId = (nextRequestId += 1)): HostCallMessage {
  return { type: 'host-call', callId: 7, requestId, capability, method, argsJson: JSON.stringify(args) };
}

describe('HostSession', () => {
  it('sends a request with the connection auth and hides it from the plugin', async () => {
    const { context, sent } = fakeContext();
    const answer = await session({ context }).handle(hostCall('http', 'request', [{ method: 'GET', path: '/contacts', query: { limit: 10 } }]));

    expect(answer).toMatchObject({ type: 'host-result', callId: 7, ok: true, value: { status: 200, body: { ok: true } } });
    expect(sent[0]?.url).toBe('https://api.acme.test/v2/contacts');
    expect(sent[0]?.query).toEqual({ limit: 10 });
    expect(sent[0]?.headers?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
  });

  it('refuses a host the connector does not allow', async () => {
    const { context, sent } = fakeContext();
    const host = session({ context });

    const answer = await host.handle(hostCall('http', 'request', [{ method: 'GET', url: 'https://attacker.test/steal' }]));

    expect(answer).toMatchObject({ ok: false, error: { code: 'HOST_NOT_ALLOWED' } });
    expect(sent).toHaveLength(0);
    expect(host.hostFailure?.code).toBe('HOST_NOT_ALLOWED');
  });

  it('passes a provider error status to the plugin', async () => {
    const { context } = fakeContext(() => ({ status: 404, body: { message: 'not found' }, rawBody: '{"message":"not found"}' }));
    const host = session({ context });

    const answer = await host.handle(hostCall('http', 'request', [{ method: 'GET', path: '/contacts/9' }]));

    expect(answer).toMatchObject({ ok: false, error: { code: 'PROVIDER_REQUEST_FAILED', status: 404 } });
    expect(host.hostFailure?.code).toBe('PROVIDER_REQUEST_FAILED');
  });

  it('denies a capability the manifest does not grant', async () => {
    const { context, sent } = fakeContext();
    const host = session({ context, capabilities: ['log'] });

    const answer = await host.handle(hostCall('http', 'request', [{ method: 'GET', path: '/x' }]));

    expect(answer).toMatchObject({ ok: false, error: { code: 'PLUGIN_CAPABILITY_DENIED' } });
    expect(answer?.error?.message).toContain('add "http" to plugin.capabilities');
    expect(host.denial).toEqual({ capability: 'http', method: 'request' });
    expect(host.hostFailure).toBeUndefined();
    expect(sent).toHaveLength(0);
  });

  it('records a denied log line without answering', async () => {
    const host = session({ capabilities: [] });

    expect(await host.handle(hostCall('log', 'info', ['x'], 0))).toBeNull();
    expect(host.denial).toEqual({ capability: 'log', method: 'info' });
  });

  it('keeps plugin state per connection', async () => {
    const { context } = fakeContext();
    const host = session({ context, pluginState: memoryState() });

    await host.handle(hostCall('state', 'set', ['cursor', { after: 5 }]));

    expect(await host.handle(hostCall('state', 'get', ['cursor']))).toMatchObject({ ok: true, value: { after: 5 } });
  });

  it('refuses state without a connection', async () => {
    const answer = await session({ pluginState: memoryState() }).handle(hostCall('state', 'get', ['cursor']));

    expect(answer).toMatchObject({ ok: false, error: { code: 'PLUGIN_HOST_CALL_UNAVAILABLE' } });
  });

  it('signs with a credential named by reference', async () => {
    const { context } = fakeContext();
    const expected = createHash('sha256').update('abc').digest('hex');

    const hash = await session({ context }).handle(hostCall('crypto', 'hash', ['sha256', 'abc']));
    const hmac = await session({ context }).handle(hostCall('crypto', 'hmac', ['signingSecret', 'sha256', 'payload']));
    const prototypeKey = await session({ context }).handle(hostCall('crypto', 'hmac', ['toString', 'sha256', 'payload']));

    expect(hash).toMatchObject({ ok: true, value: expected });
    expect(hmac?.ok).toBe(true);
    expect(hmac?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(prototypeKey).toMatchObject({ ok: false, error: { code: 'PLUGIN_HOST_CALL_INVALID' } });
  });

  it('uses a key resolver when the caller gives one', async () => {
    const answer = await session({ resolveKey: (keyRef) => (keyRef === 'webhook' ? 'whsec' : undefined) }).handle(hostCall('crypto', 'hmac', ['webhook', 'sha1', 'x']));

    expect(answer?.ok).toBe(true);
  });

  it.each([
    ['{"not":"a list"}', 'the arguments are not a list'],
    ['[1,', 'the arguments are not valid JSON'],
  ])('rejects the arguments %s', async (argsJson, problem) => {
    const answer = await session().handle({ ...hostCall('crypto', 'hash', []), argsJson });

    expect(answer).toMatchObject({ ok: false, error: { code: 'PLUGIN_HOST_CALL_INVALID' } });
    expect(answer?.error?.message).toContain(problem);
  });

  it('rejects an unknown host function', async () => {
    expect(await session().handle(hostCall('fs', 'readFile', ['/etc/passwd']))).toMatchObject({ ok: false, error: { code: 'PLUGIN_HOST_CALL_INVALID' } });
    expect(await session().handle(hostCall('state', 'clear', []))).toMatchObject({ ok: false, error: { code: 'PLUGIN_HOST_CALL_INVALID' } });
  });

  it('refuses calls after the plugin call ended', async () => {
    const host = session();
    await host.close();

    expect(await host.handle(hostCall('crypto', 'hash', ['sha256', 'x']))).toMatchObject({ ok: false, error: { code: 'PLUGIN_CALL_ENDED' } });
  });

  it('waits for running host calls when it closes', async () => {
    let finishWrite: () => void = () => undefined;
    const written: unknown[] = [];
    const slowState = {
      ...memoryState(),
      set: (_connectionId: string, _key: string, value: unknown) =>
        new Promise<void>((resolve) => {
          finishWrite = () => {
            written.push(value);
            resolve();
          };
        }),
      get: async () => null,
    };
    const { context } = fakeContext();
    const host = session({ context, pluginState: slowState });

    const answer = host.handle(hostCall('state', 'set', ['ticks', 1]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = host.close();
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(isClosed).toBe(false);
    finishWrite();
    await closed;

    expect(written).toEqual([1]);
    expect(await answer).toMatchObject({ ok: true });
  });

  it('aborts pending requests when the call ends', async () => {
    let seen: AbortSignal | undefined;
    const { context } = fakeContext((request) => {
      seen = request.signal;
      return {};
    });
    const host = session({ context });

    await host.handle(hostCall('http', 'request', [{ method: 'GET', path: '/x' }]));
    await host.close();

    expect(seen?.aborted).toBe(true);
  });

  it('caps host calls per plugin call', async () => {
    const host = session();
    for (let index = 0; index < MAX_HOST_CALLS; index += 1) await host.handle(hostCall('crypto', 'timingSafeEqual', ['a', 'a']));

    expect(host.overCallLimit).toBe(false);
    expect(await host.handle(hostCall('crypto', 'timingSafeEqual', ['a', 'a']))).toMatchObject({ ok: false, error: { code: 'PLUGIN_HOST_CALL_LIMIT' } });
    expect(host.overCallLimit).toBe(true);
  });

  it('caps log lines per plugin call', async () => {
    const lines: unknown[] = [];
    const logger = { ...silentLogger, info: (...args: unknown[]) => lines.push(args), warn: (...args: unknown[]) => lines.push(['warn', ...args]) } as unknown as typeof silentLogger;
    const host = session({ logger });

    for (let index = 0; index < MAX_LOG_LINES + 20; index += 1) await host.handle(hostCall('log', 'info', [`line ${index}`], 0));

    expect(lines).toHaveLength(MAX_LOG_LINES + 1);
    expect(lines[MAX_LOG_LINES]).toEqual(['warn', { limit: MAX_LOG_LINES }, 'plugin log lines over the per-call limit are dropped']);
  });
});
