import { randomBytes } from 'node:crypto';
import type { ConnectorManifest, OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';
import { createCredentialCipher, type CredentialCipher } from '../../platform/src/security/index.js';
import type { Connection, Store } from '../../platform/src/store/index.js';

// Shared pieces of the token refresh integration tests: a connector manifest and auth
// method aimed at the OAuth token simulator, and a connection with stored tokens.

export const CLIENT = { clientId: 'lumio-test-client', clientSecret: 'lumio-test-client-secret' };

/** Builds a cipher from a 32-byte key given as hex, so worker processes can decrypt what the test stored. */
export function createTestCipher(keyHex: string): CredentialCipher {
  return createCredentialCipher({ keys: [{ id: 'test-key', key: Buffer.from(keyHex, 'hex') }], activeKeyId: 'test-key' });
}

export function createTestKeyHex(): string {
  return randomBytes(32).toString('hex');
}

export function buildManifest(): Pick<ConnectorManifest, 'id' | 'name' | 'connection'> {
  return {
    id: 'oauth-test',
    name: 'OAuth Test',
    connection: { baseUrl: 'http://127.0.0.1:9/', configSchema: { type: 'object', properties: {} } },
  };
}

/** An authorization code method shaped like HubSpot's, with the simulator's token URL. */
export function buildAuthorizationCodeMethod(tokenUrl: string, overrides: Partial<OAuth2AuthorizationCodeAuth> = {}): OAuth2AuthorizationCodeAuth {
  return {
    type: 'oauth2AuthorizationCode',
    authorizationUrl: 'http://127.0.0.1:9/oauth/authorize',
    tokenUrl,
    scopes: ['contacts'],
    pkce: false,
    clientAuthentication: 'body',
    refresh: { refreshBeforeSeconds: 300, expiredWhen: [{ status: 401 }], rotatesRefreshToken: false },
    ...overrides,
  };
}

let sequence = 0;

/** Creates a workspace and a connected OAuth connection whose encrypted credentials hold `credentials`. */
export async function createOAuthConnection(store: Store, cipher: CredentialCipher, credentials: Record<string, string>, authMethod = 'oauth2AuthorizationCode'): Promise<Connection> {
  sequence += 1;
  const workspace = await store.workspaces.create({ name: `Token refresh ${process.pid}-${sequence}` });
  const connection = await store.connections.create({ workspaceId: workspace.id, connectorId: 'oauth-test', name: 'default', authMethod, status: 'connected' });
  await store.credentials.saveEncrypted(connection.id, cipher.encrypt(connection.id, credentials));
  return connection;
}
