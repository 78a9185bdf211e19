import type { ConnectorManifest, OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';

import { oauthConnectorKey } from '../config/index.js';
import { checkConnectionConfig } from '../connections/index.js';
import { listCredentialFields } from '../auth/index.js';
import { isLumioError, LumioError } from '../errors/index.js';
import { createTimeOrderedId } from '../store/index.js';
import { renderTemplate } from '../templates/index.js';
import type { AuthorizationStarted, OAuthFlowOptions, StartAuthorizationInput } from './flow-options.js';
import { resolveOAuthClient } from './oauth-client.js';
import { encryptStateSecrets, type OAuthStateSecrets } from './oauth-state-secrets.js';
import { createStateToken, hashStateToken, OAUTH_STATE_TTL_MS } from './oauth-state-token.js';
import { createCodeVerifier, deriveCodeChallenge } from './pkce.js';
import { oauthTemplateScope, renderOAuthUrl } from './render-oauth-url.js';

/** Path of the redirect URI under the platform's public URL. */
export const CALLBACK_PATH = '/v1/oauth/callback';

/**
 * Starts an authorization code flow (RFC 6749 section 4.1): checks the request, stores a
 * single-use state bound to the workspace, connection name and caller, and returns the
 * provider's authorization URL. With PKCE the verifier stays in the state row and only its
 * S256 challenge goes into the URL. Nothing about the connection changes until the callback.
 */
export async function startAuthorization(options: OAuthFlowOptions, method: OAuth2AuthorizationCodeAuth, input: StartAuthorizationInput): Promise<AuthorizationStarted> {
  const { store, cipher, logger } = options;
  const now = (options.clock ?? Date.now)();
  const { principal, connectorId, name } = input;
  const manifest = options.connections.requireConnector(connectorId).manifest;

  const config = checkConnectionConfig(manifest, input.config);
  const client = resolveClient(options, manifest, method, input);
  // A connection of that name is reconnected, so a failed callback can point at it.
  const sameName = (await store.connections.findByConnector(principal.workspaceId, connectorId)).find((connection) => connection.name === name);
  const existing = input.connectionId ?? sameName?.id ?? null;

  const state = createStateToken();
  const stateId = createTimeOrderedId('oas');
  const codeVerifier = method.pkce ? createCodeVerifier() : undefined;
  const redirectUri = `${options.webhooks.publicUrl().replace(/\/+$/, '')}${CALLBACK_PATH}`;
  const authorizationUrl = buildAuthorizationUrl(manifest, method, config, { clientId: client.clientId, redirectUri, state, codeVerifier });

  // Expired states are removed here, on the path that adds them, so the table stays small without a timer.
  await store.oauthStates.deleteExpired(now);

  const secrets: OAuthStateSecrets = { clientId: client.clientId, ...(client.clientSecret === undefined ? {} : { clientSecret: client.clientSecret }) };
  if (codeVerifier !== undefined) secrets.codeVerifier = codeVerifier;
  if (input.webhook !== undefined) secrets.webhook = input.webhook;

  const expiresAt = now + OAUTH_STATE_TTL_MS;
  await store.oauthStates.create({
    id: stateId,
    stateHash: hashStateToken(state),
    workspaceId: principal.workspaceId,
    connectorId,
    connectionName: name,
    connectionId: existing,
    actor: principal.actor,
    apiKeyId: principal.apiKeyId,
    userId: principal.userId,
    redirectUri,
    request: { config, test: input.test ?? true },
    secrets: encryptStateSecrets(cipher, stateId, secrets),
    createdAt: now,
    expiresAt,
  });

  logger.info(
    { workspaceId: principal.workspaceId, connectorId, connectionId: existing, stateId, actor: principal.actor, pkce: method.pkce, clientSource: client.source },
    'OAuth authorization started',
  );
  return { status: 'authorization_required', authorizationUrl, state, expiresAt: new Date(expiresAt).toISOString() };
}

interface AuthorizationParameters {
  clientId: string;
  redirectUri: string;
  state: string;
  codeVerifier: string | undefined;
}

/**
 * Builds the authorization request URL (RFC 6749 section 4.1.1). The manifest's extra
 * parameters go first, so none of them can replace the client id, redirect URI, state or
 * PKCE challenge.
 */
function buildAuthorizationUrl(manifest: ConnectorManifest, method: OAuth2AuthorizationCodeAuth, config: Record<string, unknown>, parameters: AuthorizationParameters): string {
  const url = renderOAuthUrl(manifest, 'authorizationUrl', method.authorizationUrl, config);
  const scope = oauthTemplateScope(manifest, config);
  for (const [name, template] of Object.entries(method.extraAuthorizationParams ?? {})) {
    url.searchParams.set(name, String(renderTemplate(template, scope) ?? ''));
  }

  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', parameters.clientId);
  url.searchParams.set('redirect_uri', parameters.redirectUri);
  if (method.scopes.length > 0) url.searchParams.set('scope', method.scopes.join(method.scopeSeparator ?? ' '));
  url.searchParams.set('state', parameters.state);
  if (parameters.codeVerifier !== undefined) {
    url.searchParams.set('code_challenge', deriveCodeChallenge(parameters.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

/**
 * Resolves the OAuth client. A request that names no auth method and no client, to a
 * connector with other methods too, may have meant one of those, so the error lists them all.
 */
function resolveClient(options: OAuthFlowOptions, manifest: ConnectorManifest, method: OAuth2AuthorizationCodeAuth, input: StartAuthorizationInput) {
  const credentials = readCredentials(input.credentials);
  try {
    return resolveOAuthClient(input.connectorId, method, credentials, options.clients);
  } catch (error) {
    const noClient = isLumioError(error) && error.code === 'OAUTH_CLIENT_MISSING' && credentials.clientId === undefined;
    if (!noClient || input.authMethod !== undefined || manifest.auth.length === 1) throw error;

    const others = manifest.auth.filter((candidate) => candidate !== method).map((candidate) => `${candidate.type} (${listCredentialFields(candidate).join(', ')})`);
    const envName = oauthConnectorKey(manifest.id);
    const message = `The credentials match no auth method of "${manifest.id}". Send the fields of ${others.join(' or ')}, or start the OAuth flow with credentials.clientId and credentials.clientSecret, or with LUMIO_OAUTH_${envName}_CLIENT_ID and LUMIO_OAUTH_${envName}_CLIENT_SECRET set.`;
    throw new LumioError('CREDENTIALS_INVALID', message, {
      status: 400,
      fault: 'caller',
      details: { field: 'credentials', cause: 'OAUTH_CLIENT_MISSING' },
    });
  }
}

function readCredentials(credentials: unknown): Record<string, string> {
  if (credentials === undefined || credentials === null) return {};
  if (typeof credentials !== 'object' || Array.isArray(credentials)) {
    throw new LumioError('CREDENTIALS_INVALID', 'credentials must be a JSON object of names to strings, such as {"clientId": "…"}.', { status: 400, fault: 'caller', details: { field: 'credentials' } });
  }
  for (const [field, value] of Object.entries(credentials)) {
    if (typeof value !== 'string' || value === '') {
      throw new LumioError('CREDENTIALS_INVALID', `credentials.${field} must be a non-empty string.`, { status: 400, fault: 'caller', details: { field: `credentials.${field}` } });
    }
  }
  return credentials as Record<string, string>;
}
