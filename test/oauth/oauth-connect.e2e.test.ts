import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ALL_SCOPES } from '../../platform/src/app/index.js';
import { createOAuthTokenSimulator, SIMULATED_CONTACTS, type OAuthTokenSimulator, type RunningOAuthTokenSimulator } from '../simulators/oauth/index.js';
import { forEachDatabase } from '../store/databases.js';
import { writeConnectorsFolder, type ConnectorsFolder } from '../webhooks/support/fixture-connectors.js';
import { BASIC_CONNECTOR, OPERATOR_CLIENT, oauthConnectorManifests, PKCE_CLIENT, PKCE_CONNECTOR } from './support/oauth-connectors.js';
import { startOAuthTestPlatform, type OAuthTestPlatform } from './support/oauth-platform.js';

/** SHA-256 in hex, computed here independently of the platform, as the state rows store it. */
function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** RFC 7636 S256 challenge, computed independently of the platform and the simulator. */
function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

forEachDatabase((database) => {
  describe('OAuth connect flow', () => {
    let simulator: OAuthTokenSimulator;
    let server: RunningOAuthTokenSimulator;
    let folder: ConnectorsFolder;
    let test: OAuthTestPlatform;
    /** Every state and token the flows produced, checked against every response and log line at the end. */
    const secrets = new Set<string>();

    beforeAll(async () => {
      simulator = createOAuthTokenSimulator({ clients: [PKCE_CLIENT, OPERATOR_CLIENT] });
      server = await simulator.start();
      // The simulator is also the provider's API, whose base URL reaches the platform as `instance_url`.
      simulator.setExtraTokenFields({ instance_url: server.url });
      folder = await writeConnectorsFolder(oauthConnectorManifests(server.url));
      test = await startOAuthTestPlatform(database.storeOptions(), folder.dir, {
        LUMIO_OAUTH_OAUTH_BASIC_CLIENT_ID: OPERATOR_CLIENT.clientId,
        LUMIO_OAUTH_OAUTH_BASIC_CLIENT_SECRET: OPERATOR_CLIENT.clientSecret,
      });
    });

    afterAll(async () => {
      await test?.close();
      await server?.close();
      await folder?.remove();
    });

    async function startConnect(connector: string, body: Record<string, unknown>) {
      const response = await test.call('POST', `/v1/integrations/${connector}/connect`, body);
      if (response.status === 200) secrets.add(response.body.state);
      return response;
    }

    /** Follows the authorization URL at the simulator and returns the callback URL it redirects to. */
    async function authorizeAtProvider(authorizationUrl: string): Promise<URL> {
      const answer = await test.get(authorizationUrl);
      expect(answer.status).toBe(302);
      const callback = new URL(answer.location!);
      const code = callback.searchParams.get('code');
      if (code) secrets.add(code);
      return callback;
    }

    /** Opens the callback URL as the browser would and returns the studio URL it redirects to. */
    async function openCallback(callback: URL | string): Promise<URL> {
      const answer = await test.get(callback.toString());
      expect(answer.status).toBe(302);
      return new URL(answer.location!);
    }

    async function connectFully(connector: string, body: Record<string, unknown>): Promise<{ studio: URL; connectionId: string; callback: URL }> {
      const started = await startConnect(connector, body);
      expect(started.status).toBe(200);
      const callback = await authorizeAtProvider(started.body.authorizationUrl);
      const studio = await openCallback(callback);
      const connectionId = studio.pathname.split('/').at(-1)!;
      const credentials = await test.readCredentials(connectionId);
      for (const field of ['accessToken', 'refreshToken']) secrets.add(String(credentials[field]));
      return { studio, connectionId, callback };
    }

    async function findConnection(connector: string, name: string) {
      const workspace = (await test.platform.store.workspaces.getOrCreateDefault()).id;
      return (await test.platform.store.connections.findByConnector(workspace, connector)).find((connection) => connection.name === name) ?? null;
    }

    it('connects end to end with PKCE', async () => {
      const before = Date.now();
      const started = await startConnect(PKCE_CONNECTOR, { name: 'happy', credentials: PKCE_CLIENT });

      expect(started.status).toBe(200);
      expect(started.body.status).toBe('authorization_required');
      const authorization = new URL(started.body.authorizationUrl);
      expect(`${authorization.origin}${authorization.pathname}`).toBe(server.authorizeUrl);
      expect(authorization.searchParams.get('response_type')).toBe('code');
      expect(authorization.searchParams.get('client_id')).toBe(PKCE_CLIENT.clientId);
      expect(authorization.searchParams.get('redirect_uri')).toBe(`${test.url}/v1/oauth/callback`);
      expect(authorization.searchParams.get('scope')).toBe('contacts.read profile');
      expect(authorization.searchParams.get('access_type')).toBe('offline');
      expect(authorization.searchParams.get('state')).toBe(started.body.state);
      expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorization.searchParams.has('code_verifier')).toBe(false);
      expect(started.body.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(started.body.expiresAt)).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1000);
      expect(Date.parse(started.body.expiresAt)).toBeLessThanOrEqual(Date.now() + 10 * 60_000);

      const callback = await authorizeAtProvider(started.body.authorizationUrl);
      expect(`${callback.origin}${callback.pathname}`).toBe(`${test.url}/v1/oauth/callback`);
      expect(callback.searchParams.get('state')).toBe(started.body.state);
      const studio = await openCallback(callback);

      expect(`${studio.origin}${studio.pathname}`).toMatch(new RegExp(`^${test.url}/studio/integrations/conn_[0-9a-z]+$`));
      expect(studio.searchParams.get('connected')).toBe('1');
      const connectionId = studio.pathname.split('/').at(-1)!;

      const view = await test.call('GET', `/v1/integrations/${connectionId}`);
      expect(view.status).toBe(200);
      expect(view.body.status).toBe('connected');
      const stored = await test.platform.store.connections.get(connectionId);
      expect(stored?.authMethod).toBe('oauth2AuthorizationCode');
      expect(stored?.config.instance_url).toBe(server.url);

      // The verifier reached the token endpoint and hashes to the challenge of the URL.
      const exchange = simulator.tokenRequests.find((request) => request.grantType === 'authorization_code' && request.form.code === callback.searchParams.get('code'));
      expect(exchange?.status).toBe(200);
      const verifier = exchange!.form.code_verifier!;
      secrets.add(verifier);
      expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
      expect(s256(verifier)).toBe(authorization.searchParams.get('code_challenge'));
      expect(exchange!.form.redirect_uri).toBe(`${test.url}/v1/oauth/callback`);

      const credentials = await test.readCredentials(connectionId);
      secrets.add(String(credentials.accessToken));
      secrets.add(String(credentials.refreshToken));
      expect(simulator.isAccessTokenValid(String(credentials.accessToken))).toBe(true);
      expect(simulator.isRefreshTokenValid(String(credentials.refreshToken))).toBe(true);
      expect(credentials.clientId).toBe(PKCE_CLIENT.clientId);
      expect(credentials.clientSecret).toBe(PKCE_CLIENT.clientSecret);
      expect(Number(credentials.expiresAt)).toBeGreaterThanOrEqual(before + 1_800_000);
      expect(Number(credentials.expiresAt)).toBeLessThanOrEqual(Date.now() + 1_800_000);

      const state = await test.platform.store.oauthStates.findByStateHash(sha256Hex(started.body.state));
      expect(state?.usedAt).not.toBeNull();
      const workspaceId = (await test.platform.store.workspaces.getOrCreateDefault()).id;
      const events = await test.platform.store.lumioEvents.list({ workspaceId, type: 'integration.connected', limit: 100 });
      expect(events.events.some((event) => event.connectionId === connectionId)).toBe(true);
      const audit = await test.platform.store.auditLog.list({ workspaceId, action: 'integration.oauth_callback', resource: connectionId, limit: 10 });
      expect(audit.entries).toHaveLength(1);
      expect(audit.entries[0]).toMatchObject({ status: 'success', actor: expect.stringMatching(/^key:/), metadata: { connector: PKCE_CONNECTOR, connectionName: 'happy' } });
    });

    it('syncs with the new tokens', async () => {
      const { connectionId } = await connectFully(PKCE_CONNECTOR, { name: 'sync', credentials: PKCE_CLIENT });

      const sync = await test.call('POST', `/v1/integrations/${connectionId}/sync`, { type: 'contacts', mode: 'full' });
      expect(sync.status).toBe(202);
      const records = await waitFor(
        async () => (await test.call('GET', `/v1/records?integration=${connectionId}&object=contact`)).body.records ?? [],
        (list: any[]) => list.length === SIMULATED_CONTACTS.length,
      );

      expect(records.map((record: any) => record.data.email).sort()).toEqual(SIMULATED_CONTACTS.map((contact) => contact.email).sort());
    });

    it('uses the operator client with Basic', async () => {
      const started = await startConnect(BASIC_CONNECTOR, { name: 'operator' });
      expect(started.status).toBe(200);
      const authorization = new URL(started.body.authorizationUrl);
      expect(authorization.searchParams.get('client_id')).toBe(OPERATOR_CLIENT.clientId);
      expect(authorization.searchParams.has('code_challenge')).toBe(false);

      const callback = await authorizeAtProvider(started.body.authorizationUrl);
      const studio = await openCallback(callback);

      expect(studio.searchParams.get('connected')).toBe('1');
      const exchange = simulator.tokenRequests.at(-1)!;
      expect(exchange).toMatchObject({ grantType: 'authorization_code', clientAuthentication: 'basic', clientId: OPERATOR_CLIENT.clientId, status: 200 });
      expect(exchange.form.code_verifier).toBeUndefined();
      const credentials = await test.readCredentials(studio.pathname.split('/').at(-1)!);
      secrets.add(String(credentials.accessToken));
      secrets.add(String(credentials.refreshToken));
      expect(credentials.clientSecret).toBe(OPERATOR_CLIENT.clientSecret);
    });

    it('rejects an unknown state', async () => {
      const tokenRequests = simulator.tokenRequests.length;

      const studio = await openCallback(`${test.url}/v1/oauth/callback?code=anything&state=${randomBytes(32).toString('base64url')}`);

      expect(`${studio.origin}${studio.pathname}`).toBe(`${test.url}/studio/integrations`);
      expect(studio.searchParams.get('error')).toBe('OAUTH_STATE_INVALID');
      expect(simulator.tokenRequests).toHaveLength(tokenRequests);
    });

    it('rejects a missing state', async () => {
      const studio = await openCallback(`${test.url}/v1/oauth/callback?code=anything`);

      expect(studio.searchParams.get('error')).toBe('OAUTH_STATE_INVALID');
    });

    it('rejects a reused state', async () => {
      const { connectionId, callback } = await connectFully(PKCE_CONNECTOR, { name: 'replayed', credentials: PKCE_CLIENT });
      const before = await test.readCredentials(connectionId);
      const tokenRequests = simulator.tokenRequests.length;

      const studio = await openCallback(callback);

      expect(studio.searchParams.get('error')).toBe('OAUTH_STATE_USED');
      expect(studio.pathname).toBe('/studio/integrations/oauth-pkce');
      expect(simulator.tokenRequests).toHaveLength(tokenRequests);
      expect(await test.readCredentials(connectionId)).toEqual(before);
    });

    it('rejects a reused code', async () => {
      const first = await connectFully(PKCE_CONNECTOR, { name: 'code-a', credentials: PKCE_CLIENT });
      const second = await startConnect(PKCE_CONNECTOR, { name: 'code-b', credentials: PKCE_CLIENT });
      const replay = new URL(`${test.url}/v1/oauth/callback`);
      replay.searchParams.set('code', first.callback.searchParams.get('code')!);
      replay.searchParams.set('state', second.body.state);

      const studio = await openCallback(replay);

      expect(studio.searchParams.get('error')).toBe('OAUTH_TOKEN_EXCHANGE_FAILED');
      expect(studio.pathname).toBe('/studio/integrations/oauth-pkce');
      const exchange = simulator.tokenRequests.at(-1)!;
      expect(exchange.status).toBe(400);
      expect(await findConnection(PKCE_CONNECTOR, 'code-b')).toBeNull();
    });

    it('reports denied consent', async () => {
      const started = await startConnect(PKCE_CONNECTOR, { name: 'denied', credentials: PKCE_CLIENT });
      simulator.denyNextAuthorizations(1);
      const tokenRequests = simulator.tokenRequests.length;

      const callback = await authorizeAtProvider(started.body.authorizationUrl);
      const studio = await openCallback(callback);

      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(studio.searchParams.get('error')).toBe('OAUTH_ACCESS_DENIED');
      expect(simulator.tokenRequests).toHaveLength(tokenRequests);
      expect(await findConnection(PKCE_CONNECTOR, 'denied')).toBeNull();
      const workspaceId = (await test.platform.store.workspaces.getOrCreateDefault()).id;
      const audit = await test.platform.store.auditLog.list({ workspaceId, action: 'integration.oauth_callback', limit: 1 });
      expect(audit.entries[0]).toMatchObject({ status: 'failure', resource: PKCE_CONNECTOR, metadata: { error: 'OAUTH_ACCESS_DENIED', connectionName: 'denied' } });
    });

    it('keeps the connection on token errors', async () => {
      const { connectionId } = await connectFully(PKCE_CONNECTOR, { name: 'kept', credentials: PKCE_CLIENT });
      const credentialsBefore = await test.readCredentials(connectionId);
      const connectionBefore = await test.platform.store.connections.get(connectionId);

      const started = await startConnect(connectionId, { credentials: PKCE_CLIENT });
      simulator.failNextTokenRequests(1, 'server_error');
      const studio = await openCallback(await authorizeAtProvider(started.body.authorizationUrl));

      expect(studio.pathname).toBe(`/studio/integrations/${connectionId}`);
      expect(studio.searchParams.get('error')).toBe('OAUTH_TOKEN_EXCHANGE_FAILED');
      expect(await test.readCredentials(connectionId)).toEqual(credentialsBefore);
      expect(await test.platform.store.connections.get(connectionId)).toEqual(connectionBefore);
    });

    it('reconnects an existing connection', async () => {
      const { connectionId } = await connectFully(PKCE_CONNECTOR, { name: 'again', credentials: PKCE_CLIENT });
      const before = await test.readCredentials(connectionId);

      const started = await startConnect(connectionId, { credentials: PKCE_CLIENT });
      const studio = await openCallback(await authorizeAtProvider(started.body.authorizationUrl));

      expect(studio.pathname).toBe(`/studio/integrations/${connectionId}`);
      expect(studio.searchParams.get('connected')).toBe('1');
      const after = await test.readCredentials(connectionId);
      secrets.add(String(after.accessToken));
      secrets.add(String(after.refreshToken));
      expect(after.accessToken).not.toBe(before.accessToken);
    });

    it('rejects a flow whose key was revoked', async () => {
      const workspaceId = (await test.platform.store.workspaces.getOrCreateDefault()).id;
      const created = await test.platform.store.apiKeys.create(workspaceId, 'short-lived', ALL_SCOPES);
      const response = await fetch(`${test.url}/v1/integrations/${PKCE_CONNECTOR}/connect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'revoked', credentials: PKCE_CLIENT }),
      });
      const started = (await response.json()) as { authorizationUrl: string; state: string };
      secrets.add(started.state);
      await test.platform.store.apiKeys.revoke(created.record.id);

      const studio = await openCallback(await authorizeAtProvider(started.authorizationUrl));

      expect(response.status).toBe(200);
      expect(studio.searchParams.get('error')).toBe('OAUTH_STARTER_REVOKED');
      expect(await findConnection(PKCE_CONNECTOR, 'revoked')).toBeNull();
    });

    it('rejects an expired state', async () => {
      const started = await startConnect(PKCE_CONNECTOR, { name: 'expired', credentials: PKCE_CLIENT });
      await test.platform.store.knex('oauth_states').where({ state_hash: sha256Hex(started.body.state) }).update({ expires_at: Date.now() - 1 });
      const tokenRequests = simulator.tokenRequests.length;

      const studio = await openCallback(await authorizeAtProvider(started.body.authorizationUrl));

      expect(studio.searchParams.get('error')).toBe('OAUTH_STATE_EXPIRED');
      expect(simulator.tokenRequests).toHaveLength(tokenRequests);
      expect(await findConnection(PKCE_CONNECTOR, 'expired')).toBeNull();
    });

    it('fails when the challenge was swapped', async () => {
      const started = await startConnect(PKCE_CONNECTOR, { name: 'swapped', credentials: PKCE_CLIENT });
      const tampered = new URL(started.body.authorizationUrl);
      tampered.searchParams.set('code_challenge', s256(randomBytes(32).toString('base64url')));

      const studio = await openCallback(await authorizeAtProvider(tampered.toString()));

      expect(studio.searchParams.get('error')).toBe('OAUTH_TOKEN_EXCHANGE_FAILED');
      expect(simulator.tokenRequests.at(-1)).toMatchObject({ grantType: 'authorization_code', status: 400 });
      expect(await findConnection(PKCE_CONNECTOR, 'swapped')).toBeNull();
    });

    it.each([
      ['no client', PKCE_CONNECTOR, {}, 'OAUTH_CLIENT_MISSING', 'credentials.clientId'],
      ['a refresh token', PKCE_CONNECTOR, { credentials: { refreshToken: 'rt-value' } }, 'CREDENTIALS_INVALID', 'credentials.refreshToken'],
      ['a secret without id', BASIC_CONNECTOR, { credentials: { clientSecret: 'secret' } }, 'CREDENTIALS_INVALID', 'credentials.clientId'],
      ['an unknown config field', PKCE_CONNECTOR, { credentials: PKCE_CLIENT, config: { region: 'eu' } }, 'CONNECTION_CONFIG_INVALID', undefined],
    ])('rejects a start with %s', async (_name, connector, body, code, field) => {
      const states = await test.platform.store.knex('oauth_states').count<{ count: unknown }[]>({ count: '*' });

      const response = await startConnect(connector, body);

      expect(response.status).toBe(400);
      expect(response.body.code).toBe(code);
      if (field !== undefined) expect(response.body.field).toBe(field);
      expect(await test.platform.store.knex('oauth_states').count<{ count: unknown }[]>({ count: '*' })).toEqual(states);
    });

    it('stores tokens given directly', async () => {
      const response = await test.call('POST', `/v1/integrations/${BASIC_CONNECTOR}/connect`, { name: 'direct', credentials: { accessToken: simulator.authorize(OPERATOR_CLIENT.clientId).accessToken } });

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('connected');
    });

    // Runs last: it checks every log line and response of the flows above.
    it('never shows a token', async () => {
      expect(secrets.size).toBeGreaterThan(10);
      for (const request of simulator.tokenRequests) {
        if (request.form.code) secrets.add(request.form.code);
        if (request.form.code_verifier) secrets.add(request.form.code_verifier);
      }
      const forbidden = [...secrets, PKCE_CLIENT.clientSecret, OPERATOR_CLIENT.clientSecret].filter((value) => value.length >= 8);

      const platformResponses = test.responses.filter((response) => !response.text.includes('"authorization_required"'));
      const startResponses = test.responses.filter((response) => response.text.includes('"authorization_required"'));
      expect(test.logLines.length).toBeGreaterThan(50);
      for (const secret of forbidden) {
        for (const line of test.logLines) expect(line).not.toContain(secret);
        for (const response of platformResponses) {
          expect(response.text).not.toContain(secret);
          expect(response.location ?? '').not.toContain(secret);
        }
      }
      // A start response carries its own state by contract, and nothing else secret.
      for (const response of startResponses) {
        const state = JSON.parse(response.text).state as string;
        for (const secret of forbidden.filter((value) => value !== state)) expect(response.text).not.toContain(secret);
      }
    });
  });
});
