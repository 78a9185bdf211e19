import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createDatabaseLock } from '../../platform/src/services/locks/index.js';
import { createTokenRefresher, type TokenRefresher } from '../../platform/src/services/token-refresh/index.js';
import type { CredentialCipher } from '../../platform/src/security/index.js';
import type { Store } from '../../platform/src/store/index.js';
import { createOAuthTokenSimulator, type OAuthTokenSimulator, type OAuthTokenSimulatorOptions, type RunningOAuthTokenSimulator } from '../simulators/oauth/index.js';
import { forEachDatabase } from '../store/databases.js';
import { buildAuthorizationCodeMethod, buildManifest, CLIENT, createOAuthConnection, createTestCipher, createTestKeyHex } from './token-refresh-support.js';

const MACHINE = { clientId: 'lumio-machine', clientSecret: 'lumio-machine-secret', scopes: ['reports.read'] };

forEachDatabase((database) => {
  describe('token refresh against the simulator', () => {
    let store: Store;
    let http: HttpClient;
    let cipher: CredentialCipher;
    let refresher: TokenRefresher;
    let running: RunningOAuthTokenSimulator | undefined;

    beforeAll(async () => {
      store = await database.openStore();
      http = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-token-refresh-test', logger: silentLogger, timeoutMs: 5000 });
      cipher = createTestCipher(createTestKeyHex());
      refresher = createTokenRefresher({ store, cipher, http, logger: silentLogger, lock: createDatabaseLock({ locks: store.locks, logger: silentLogger }) });
    });

    afterEach(async () => {
      await running?.close();
      running = undefined;
    });

    afterAll(async () => {
      await http?.close();
    });

    async function startSimulator(options: Partial<OAuthTokenSimulatorOptions> = {}): Promise<{ simulator: OAuthTokenSimulator; tokenUrl: string; url: string }> {
      const simulator = createOAuthTokenSimulator({ clients: [CLIENT, MACHINE], ...options });
      running = await simulator.start();
      return { simulator, tokenUrl: running.tokenUrl, url: running.url };
    }

    async function connect(simulator: OAuthTokenSimulator) {
      const issued = simulator.authorize(CLIENT.clientId, ['contacts']);
      const initial = { accessToken: issued.accessToken, refreshToken: issued.refreshToken!, expiresAt: String(Date.now() + 60_000), ...CLIENT };
      const connection = await createOAuthConnection(store, cipher, initial);
      return { connection, initial };
    }

    async function readStored(connectionId: string) {
      const envelope = await store.credentials.getEncrypted(connectionId);
      if (!envelope) throw new Error(`Connection ${connectionId} has no stored credentials.`);
      return { envelope, credentials: cipher.decrypt(connectionId, envelope) };
    }

    it('stores refreshed tokens encrypted', async () => {
      const { simulator, tokenUrl, url } = await startSimulator();
      const { connection, initial } = await connect(simulator);
      const before = Date.now();

      const returned = await refresher.refresh(connection.id, buildManifest(), buildAuthorizationCodeMethod(tokenUrl), { reason: 'expiring', staleAccessToken: initial.accessToken });

      const after = Date.now();
      const { envelope, credentials } = await readStored(connection.id);
      const newAccessToken = simulator.lastAccessToken!;
      expect(simulator.refreshCount).toBe(1);
      expect(newAccessToken).not.toBe(initial.accessToken);
      expect(credentials).toEqual(returned);
      expect(credentials.accessToken).toBe(newAccessToken);
      expect(credentials.refreshToken).toBe(initial.refreshToken);
      expect(credentials.clientSecret).toBe(CLIENT.clientSecret);
      expect(Number(credentials.expiresAt)).toBeGreaterThanOrEqual(before + 1_800_000);
      expect(Number(credentials.expiresAt)).toBeLessThanOrEqual(after + 1_800_000);
      expect(JSON.stringify(envelope)).not.toContain(newAccessToken);
      const resource = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${credentials.accessToken as string}` } });
      expect(resource.status).toBe(200);
    });

    it('replaces a rotated refresh token', async () => {
      const { simulator, tokenUrl } = await startSimulator({ rotateRefreshTokens: true });
      const { connection, initial } = await connect(simulator);
      const method = buildAuthorizationCodeMethod(tokenUrl, { refresh: { rotatesRefreshToken: true } });

      await refresher.refresh(connection.id, buildManifest(), method, { reason: 'expired', staleAccessToken: initial.accessToken });

      const { credentials } = await readStored(connection.id);
      expect(credentials.refreshToken).not.toBe(initial.refreshToken);
      expect(simulator.isRefreshTokenValid(credentials.refreshToken as string)).toBe(true);
      expect(simulator.isRefreshTokenValid(initial.refreshToken)).toBe(false);
    });

    it('refreshes twice in a row with rotation', async () => {
      const { simulator, tokenUrl } = await startSimulator({ rotateRefreshTokens: true });
      const { connection, initial } = await connect(simulator);
      const method = buildAuthorizationCodeMethod(tokenUrl, { refresh: { rotatesRefreshToken: true } });

      const first = await refresher.refresh(connection.id, buildManifest(), method, { reason: 'expired', staleAccessToken: initial.accessToken });
      const second = await refresher.refresh(connection.id, buildManifest(), method, { reason: 'expired', staleAccessToken: first.accessToken });

      expect(simulator.refreshCount).toBe(2);
      expect(second.accessToken).toBe(simulator.lastAccessToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
    });

    it('sends Basic client authentication', async () => {
      const { simulator, tokenUrl } = await startSimulator();
      const { connection, initial } = await connect(simulator);

      await refresher.refresh(connection.id, buildManifest(), buildAuthorizationCodeMethod(tokenUrl, { clientAuthentication: 'basic' }), { reason: 'expiring', staleAccessToken: initial.accessToken });

      expect(simulator.tokenRequests.map((request) => [request.clientAuthentication, request.status])).toEqual([['basic', 200]]);
      expect(simulator.tokenRequests[0]?.form.client_secret).toBeUndefined();
    });

    it('gets client credentials tokens', async () => {
      const { simulator, tokenUrl } = await startSimulator();
      const connection = await createOAuthConnection(store, cipher, { clientId: MACHINE.clientId, clientSecret: MACHINE.clientSecret }, 'oauth2ClientCredentials');
      const method = { type: 'oauth2ClientCredentials' as const, tokenUrl, scopes: ['reports.read'], refresh: {} };

      const returned = await refresher.refresh(connection.id, buildManifest(), method, { reason: 'expiring', staleAccessToken: undefined });

      const { credentials } = await readStored(connection.id);
      expect(simulator.clientCredentialsCount).toBe(1);
      expect(credentials).toEqual(returned);
      expect(credentials.accessToken).toBe(simulator.lastAccessToken);
      expect(credentials.refreshToken).toBeUndefined();
      expect(simulator.tokenRequests[0]?.form.scope).toBe('reports.read');
    });

    it.each([
      ['an RFC 6749 invalid_grant', 'rfc6749' as const],
      ['a HubSpot BAD_REFRESH_TOKEN', 'hubspot' as const],
    ])('marks needs_reauth after %s', async (_name, errorStyle) => {
      const { simulator, tokenUrl } = await startSimulator({ errorStyle });
      const { connection, initial } = await connect(simulator);
      simulator.revokeRefreshToken(initial.refreshToken);

      const attempt = refresher.refresh(connection.id, buildManifest(), buildAuthorizationCodeMethod(tokenUrl), { reason: 'expired', staleAccessToken: initial.accessToken });

      await expect(attempt).rejects.toMatchObject({ code: 'OAUTH_REAUTHORIZATION_REQUIRED', status: 409, fault: 'caller' });
      const updated = await store.connections.get(connection.id);
      expect(updated?.status).toBe('needs_reauth');
      expect(updated?.health).toMatchObject({ status: 'needs_reauth', code: 'OAUTH_REAUTHORIZATION_REQUIRED' });
      expect(simulator.refreshCount).toBe(1);
      expect((await readStored(connection.id)).credentials).toEqual(initial);
    });

    it('keeps the connection after a server error', async () => {
      const { simulator, tokenUrl } = await startSimulator();
      const { connection, initial } = await connect(simulator);
      simulator.failNextTokenRequests(1, 'temporarily_unavailable');

      const attempt = refresher.refresh(connection.id, buildManifest(), buildAuthorizationCodeMethod(tokenUrl), { reason: 'expired', staleAccessToken: initial.accessToken });

      await expect(attempt).rejects.toMatchObject({ code: 'OAUTH_REFRESH_FAILED', fault: 'provider', details: { providerStatus: 503, error: 'temporarily_unavailable' } });
      expect((await store.connections.get(connection.id))?.status).toBe('connected');
      expect(simulator.refreshCount).toBe(1);
    });

    it('reports a wrong client secret', async () => {
      const { simulator, tokenUrl } = await startSimulator();
      const issued = simulator.authorize(CLIENT.clientId);
      const initial = { accessToken: issued.accessToken, refreshToken: issued.refreshToken!, clientId: CLIENT.clientId, clientSecret: 'not-the-secret' };
      const connection = await createOAuthConnection(store, cipher, initial);

      const attempt = refresher.refresh(connection.id, buildManifest(), buildAuthorizationCodeMethod(tokenUrl, { clientAuthentication: 'basic' }), { reason: 'expired', staleAccessToken: issued.accessToken });

      await expect(attempt).rejects.toMatchObject({ code: 'OAUTH_REFRESH_FAILED', details: { providerStatus: 401, error: 'invalid_client' } });
      expect((await store.connections.get(connection.id))?.status).toBe('connected');
    });
  });
});
