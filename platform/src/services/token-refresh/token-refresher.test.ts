import { randomBytes } from 'node:crypto';
import type { ConnectorManifest, OAuth2AuthorizationCodeAuth, OAuth2ClientCredentialsAuth } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/index.js';
import { createLogger, silentLogger, type Logger } from '../../observability/index.js';
import { createCredentialCipher, type CredentialEnvelope } from '../../security/index.js';
import type { Connection, ConnectionPatch, Store } from '../../store/index.js';
import { createMemoryLock, type DistributedLock } from '../locks/index.js';
import { createTokenRefresher, type TokenRefresherOptions } from './token-refresher.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const CONNECTION_ID = 'conn_test';

const manifest: Pick<ConnectorManifest, 'id' | 'name' | 'connection'> = {
  id: 'acme',
  name: 'Acme',
  connection: {
    baseUrl: 'https://api.acme.example',
    configSchema: { type: 'object', properties: { region: { type: 'string', description: 'Data region.', default: 'eu' } } },
  },
};

const authorizationCode: OAuth2AuthorizationCodeAuth = {
  type: 'oauth2AuthorizationCode',
  authorizationUrl: 'https://auth.acme.example/authorize',
  tokenUrl: 'https://{{ config.region }}.auth.acme.example/token',
  scopes: ['contacts'],
  pkce: false,
  refresh: { rotatesRefreshToken: true },
};

const clientCredentials: OAuth2ClientCredentialsAuth = { type: 'oauth2ClientCredentials', tokenUrl: 'https://auth.acme.example/token', scopes: ['reports'], refresh: {} };

const STORED = {
  accessToken: 'stale-access-token',
  refreshToken: 'stored-refresh-token',
  expiresAt: String(NOW - 1000),
  clientId: 'acme-client',
  clientSecret: 'acme-client-secret',
};

const cipher = createCredentialCipher({ keys: [{ id: 'test-key', key: randomBytes(32) }], activeKeyId: 'test-key' });

function makeConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: CONNECTION_ID,
    workspaceId: 'ws_test',
    connectorId: 'acme',
    name: 'default',
    config: {},
    authMethod: 'oauth2AuthorizationCode',
    status: 'connected',
    health: null,
    webhookToken: 'webhook-token',
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    lastSyncAt: null,
    lastSyncStatus: null,
    ...overrides,
  };
}

/** Creates an in-memory stand-in for the two repositories the refresher uses. */
function createFakeStore(connection: Connection, credentials: Record<string, string> | undefined) {
  const state = {
    connection,
    envelope: credentials === undefined ? undefined : cipher.encrypt(connection.id, credentials),
    saves: 0,
    updates: [] as ConnectionPatch[],
  };
  const store = {
    connections: {
      get: async (id: string) => (id === state.connection.id ? state.connection : null),
      update: async (id: string, patch: ConnectionPatch) => {
        state.updates.push(patch);
        state.connection = { ...state.connection, ...patch };
        return id === state.connection.id ? state.connection : null;
      },
    },
    credentials: {
      getEncrypted: async () => state.envelope ?? null,
      saveEncrypted: async (_id: string, envelope: CredentialEnvelope) => {
        state.saves += 1;
        state.envelope = envelope;
      },
      delete: async () => true,
    },
  } as unknown as Pick<Store, 'connections' | 'credentials'>;
  return { store, state, stored: () => cipher.decrypt(connection.id, state.envelope!) };
}

type Responder = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

function jsonResponse(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body, rawBody: JSON.stringify(body), durationMs: 1, url: 'https://auth.acme.example/token' };
}

function createFakeHttp(responder: Responder) {
  const requests: HttpRequest[] = [];
  const http: HttpClient = {
    send: async (request) => {
      requests.push(request);
      return responder(request);
    },
    close: async () => undefined,
  };
  return { http, requests };
}

function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(line) } }), lines };
}

function setup(options: { connection?: Partial<Connection>; credentials?: Record<string, string> | undefined; responder?: Responder; lock?: DistributedLock; logger?: Logger } = {}) {
  const fake = createFakeStore(makeConnection(options.connection), 'credentials' in options ? options.credentials : STORED);
  const http = createFakeHttp(options.responder ?? (() => jsonResponse(200, { access_token: 'fresh-access-token', refresh_token: 'rotated-refresh-token', expires_in: 1800 })));
  const refresherOptions: TokenRefresherOptions = {
    store: fake.store,
    cipher,
    lock: options.lock ?? createMemoryLock({ logger: silentLogger }),
    http: http.http,
    logger: options.logger ?? silentLogger,
    clock: () => NOW,
  };
  return { ...fake, ...http, refresher: createTokenRefresher(refresherOptions) };
}

const expiring = { reason: 'expiring' as const, staleAccessToken: STORED.accessToken };

describe('createTokenRefresher', () => {
  it('stores the new tokens encrypted', async () => {
    const { refresher, stored, state, requests } = setup();

    const credentials = await refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring);

    expect(credentials).toEqual({ ...STORED, accessToken: 'fresh-access-token', refreshToken: 'rotated-refresh-token', expiresAt: String(NOW + 1_800_000) });
    expect(stored()).toEqual(credentials);
    expect(state.saves).toBe(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('https://eu.auth.acme.example/token');
    expect(Object.fromEntries(requests[0]?.body as URLSearchParams)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'stored-refresh-token',
      client_id: 'acme-client',
      client_secret: 'acme-client-secret',
    });
  });

  it('updates connection fields it returns', async () => {
    const method = { ...authorizationCode, connectionFields: ['instance_url', 'api_domain'] };
    const { refresher, state } = setup({
      connection: { config: { region: 'us', instance_url: 'https://old.my.example', api_domain: 'https://kept.example' } },
      responder: () => jsonResponse(200, { access_token: 'fresh-access-token', instance_url: 'https://new.my.example' }),
    });

    await refresher.refresh(CONNECTION_ID, manifest, method, expiring);

    expect(state.connection.config).toEqual({ region: 'us', instance_url: 'https://new.my.example', api_domain: 'https://kept.example' });
    expect(state.updates).toHaveLength(1);
  });

  it('leaves unchanged connection fields alone', async () => {
    const method = { ...authorizationCode, connectionFields: ['instance_url'] };
    const { refresher, state } = setup({
      connection: { config: { instance_url: 'https://same.my.example' } },
      responder: () => jsonResponse(200, { access_token: 'fresh-access-token', instance_url: 'https://same.my.example' }),
    });

    await refresher.refresh(CONNECTION_ID, manifest, method, expiring);

    expect(state.updates).toEqual([]);
  });

  it('renders the token URL from config', async () => {
    const { refresher, requests } = setup({ connection: { config: { region: 'us' } } });

    await refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring);

    expect(requests[0]?.url).toBe('https://us.auth.acme.example/token');
  });

  it('returns tokens another caller stored', async () => {
    const { refresher, requests, state } = setup({ credentials: { ...STORED, accessToken: 'already-fresh-token' } });

    const credentials = await refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring);

    expect(credentials.accessToken).toBe('already-fresh-token');
    expect(requests).toHaveLength(0);
    expect(state.saves).toBe(0);
  });

  it('shares one request between concurrent callers', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { refresher, requests } = setup({
      responder: async () => {
        await gate;
        return jsonResponse(200, { access_token: 'fresh-access-token', expires_in: 60 });
      },
    });

    const calls = Array.from({ length: 5 }, () => refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const results = await Promise.all(calls);

    expect(requests).toHaveLength(1);
    expect(new Set(results.map((credentials) => credentials.accessToken))).toEqual(new Set(['fresh-access-token']));
  });

  it('refreshes client credentials', async () => {
    const { refresher, requests, stored } = setup({
      connection: { authMethod: 'oauth2ClientCredentials' },
      credentials: { clientId: 'acme-client', clientSecret: 'acme-client-secret' },
      responder: () => jsonResponse(200, { access_token: 'machine-token', expires_in: 3600 }),
    });

    const credentials = await refresher.refresh(CONNECTION_ID, manifest, clientCredentials, { reason: 'expiring', staleAccessToken: undefined });

    expect(Object.fromEntries(requests[0]?.body as URLSearchParams)).toEqual({ grant_type: 'client_credentials', scope: 'reports', client_id: 'acme-client', client_secret: 'acme-client-secret' });
    expect(credentials).toEqual({ clientId: 'acme-client', clientSecret: 'acme-client-secret', accessToken: 'machine-token', expiresAt: String(NOW + 3_600_000) });
    expect(stored()).toEqual(credentials);
  });

  it('marks needs_reauth on invalid_grant', async () => {
    const { refresher, requests, state } = setup({ responder: () => jsonResponse(400, { error: 'invalid_grant', error_description: 'Refresh token revoked' }) });

    const attempt = refresher.refresh(CONNECTION_ID, manifest, authorizationCode, { reason: 'expired', staleAccessToken: STORED.accessToken });

    await expect(attempt).rejects.toMatchObject({ code: 'OAUTH_REAUTHORIZATION_REQUIRED', status: 409, fault: 'caller' });
    await expect(attempt).rejects.toThrow('must be connected again');
    expect(requests).toHaveLength(1);
    expect(state.connection.status).toBe('needs_reauth');
    expect(state.updates[0]?.health).toMatchObject({ status: 'needs_reauth', reason: 'Acme rejected its refresh token (invalid_grant)' });
    expect(state.saves).toBe(0);
  });

  it('skips the provider after needs_reauth', async () => {
    const { refresher, requests } = setup({ connection: { status: 'needs_reauth' } });

    await expect(refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring)).rejects.toMatchObject({ code: 'OAUTH_REAUTHORIZATION_REQUIRED' });

    expect(requests).toHaveLength(0);
  });

  it('asks for reauth without a refresh token', async () => {
    const { refreshToken: _refreshToken, ...withoutRefreshToken } = STORED;
    const { refresher, requests, state } = setup({ credentials: withoutRefreshToken });

    await expect(refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring)).rejects.toMatchObject({ code: 'OAUTH_REAUTHORIZATION_REQUIRED' });

    expect(requests).toHaveLength(0);
    expect(state.connection.status).toBe('needs_reauth');
  });

  it('keeps the connection when the grant was replaced', async () => {
    const replaced = { ...STORED, accessToken: 'other-process-token', refreshToken: 'other-process-refresh' };
    const { refresher, state } = setup({
      responder: () => {
        // Another process stores new tokens while this token request is on the way.
        state.envelope = cipher.encrypt(CONNECTION_ID, replaced);
        return jsonResponse(400, { error: 'invalid_grant' });
      },
    });

    const credentials = await refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring);

    expect(credentials).toEqual(replaced);
    expect(state.connection.status).toBe('connected');
  });

  it('raises OAUTH_REFRESH_FAILED without secrets', async () => {
    const { refresher, state } = setup({
      responder: () => jsonResponse(503, { error: 'temporarily_unavailable', error_description: `cannot refresh ${STORED.refreshToken} for ${STORED.clientSecret}` }),
    });

    const error = (await refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring).catch((caught: unknown) => caught)) as LumioError;

    expect(error).toBeInstanceOf(LumioError);
    expect(error).toMatchObject({ code: 'OAUTH_REFRESH_FAILED', fault: 'provider', details: { providerStatus: 503, error: 'temporarily_unavailable' } });
    const text = `${error.message} ${JSON.stringify(error.details)}`;
    for (const secret of [STORED.accessToken, STORED.refreshToken, STORED.clientSecret]) expect(text).not.toContain(secret);
    expect(state.connection.status).toBe('connected');
  });

  it('reports an unreachable token endpoint', async () => {
    const { refresher } = setup({
      responder: () => {
        throw new LumioError('PROVIDER_UNREACHABLE', 'The request to https://eu.auth.acme.example/token failed before a response arrived (ECONNREFUSED).');
      },
    });

    await expect(refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring)).rejects.toMatchObject({ code: 'OAUTH_REFRESH_FAILED', fault: 'provider' });
  });

  it('reports a response without a token', async () => {
    const { refresher, state } = setup({ responder: () => jsonResponse(200, { token: 'misplaced' }) });

    await expect(refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring)).rejects.toMatchObject({
      code: 'OAUTH_REFRESH_FAILED',
      fault: 'connector',
      details: { accessTokenPath: 'access_token' },
    });
    expect(state.saves).toBe(0);
  });

  it('logs one line without tokens', async () => {
    const { logger, lines } = captureLogger();
    const { refresher } = setup({ logger });

    await refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring);

    const infos = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 30);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      msg: 'refreshed OAuth access token',
      connectionId: CONNECTION_ID,
      connector: 'acme',
      reason: 'expiring',
      refreshTokenRotated: true,
      expiresAt: new Date(NOW + 1_800_000).toISOString(),
    });
    for (const secret of ['fresh-access-token', 'rotated-refresh-token', STORED.accessToken, STORED.refreshToken, STORED.clientSecret]) {
      expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('warns about unexpected rotation', async () => {
    const { logger, lines } = captureLogger();
    const { refresher } = setup({ logger });

    await refresher.refresh(CONNECTION_ID, manifest, { ...authorizationCode, refresh: {} }, expiring);

    expect(lines.some((line) => line.includes('rotatesRefreshToken to false'))).toBe(true);
  });

  it('rechecks the store after LOCK_TIMEOUT', async () => {
    const timedOut: DistributedLock = {
      withLock: async () => {
        throw new LumioError('LOCK_TIMEOUT', 'The lock stayed held.', { status: 503 });
      },
    };
    const fresh = setup({ lock: timedOut, credentials: { ...STORED, accessToken: 'stored-meanwhile' } });
    const stale = setup({ lock: timedOut });

    const credentials = await fresh.refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring);

    expect(credentials.accessToken).toBe('stored-meanwhile');
    await expect(stale.refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring)).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
  });

  it('refuses non-OAuth methods', async () => {
    const { refresher } = setup();

    await expect(refresher.refresh(CONNECTION_ID, manifest, { type: 'bearer' }, expiring)).rejects.toMatchObject({ code: 'TOKEN_REFRESH_UNSUPPORTED' });
  });

  it('rejects a disconnected connection', async () => {
    const { refresher, requests } = setup({ connection: { status: 'disconnected' } });

    await expect(refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring)).rejects.toMatchObject({ code: 'CONNECTION_DISCONNECTED' });
    expect(requests).toHaveLength(0);
  });

  it('reports missing credentials', async () => {
    const { refresher } = setup({ credentials: undefined });

    await expect(refresher.refresh(CONNECTION_ID, manifest, authorizationCode, expiring)).rejects.toMatchObject({ code: 'CREDENTIALS_MISSING' });
  });
});
