import type { ConnectorManifest, OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';

import { recordAuditEvent } from '../audit/index.js';
import { isLumioError, LumioError } from '../errors/index.js';
import { testConnection, type ConnectorContext } from '../runtime/index.js';
import { createRetryBudget } from '../services/retry/index.js';
import type { StoredOAuthState } from '../store/index.js';
import { exchangeCode } from './exchange-code.js';
import type { CallbackClient, CallbackQuery, OAuthFlowOptions } from './flow-options.js';
import { decryptStateSecrets } from './oauth-state-secrets.js';
import { hashStateToken, isPlausibleStateToken } from './oauth-state-token.js';
import { saveAuthorizedConnection } from './save-connection.js';

/** Redirect target of the callback (the studio page of the connection), with the outcome. */
export interface CallbackOutcome {
  location: string;
  /** Set when the connection was saved. */
  connectionId: string | null;
  /** The error code in the location, or null on success. */
  error: string | null;
}

/** Maximum length of the provider's `error` parameter kept for logs, in characters. */
const MAX_PROVIDER_ERROR_LENGTH = 100;

/**
 * Finishes an authorization code flow when the provider redirects back: checks the state
 * (known, unused, not expired), then the provider's response, exchanges the code, tests the
 * connection with the new tokens and saves it. Every failure leaves the connection as it
 * was and becomes a redirect with `?error=<code>`, because the caller is a browser.
 */
export async function completeAuthorization(options: OAuthFlowOptions, query: CallbackQuery, client: CallbackClient): Promise<CallbackOutcome> {
  const { state, ...outcome } = await decideCallback(options, query);
  if (state) await auditCallback(options, state, outcome, client);
  return outcome;
}

/** The outcome and the state it concerns, when the callback named a known one. */
type DecidedCallback = CallbackOutcome & { state: StoredOAuthState | null };

async function decideCallback(options: OAuthFlowOptions, query: CallbackQuery): Promise<DecidedCallback> {
  const { logger } = options;
  const now = (options.clock ?? Date.now)();
  const studio = `${options.webhooks.publicUrl().replace(/\/+$/, '')}/studio/integrations`;
  let state: StoredOAuthState | null = null;
  const fail = (code: string, target: string | null): DecidedCallback => ({
    location: `${target === null ? studio : `${studio}/${encodeURIComponent(target)}`}?error=${encodeURIComponent(code)}`,
    connectionId: null,
    error: code,
    state,
  });

  if (query.state === undefined || !isPlausibleStateToken(query.state)) {
    logger.warn({ reason: query.state === undefined ? 'missing' : 'malformed' }, 'OAuth callback rejected: no usable state');
    return fail('OAUTH_STATE_INVALID', null);
  }

  state = await options.store.oauthStates.findByStateHash(hashStateToken(query.state));
  if (!state) {
    logger.warn('OAuth callback rejected: unknown state');
    return fail('OAUTH_STATE_INVALID', null);
  }

  // Claimed before anything else, so a second callback with this state fails even while the first one runs.
  const claimed = await options.store.oauthStates.markUsed(state.id, now);
  const target = state.connectionId ?? state.connectorId;
  const context = { workspaceId: state.workspaceId, connectorId: state.connectorId, stateId: state.id, actor: state.actor };
  if (!claimed) {
    logger.warn(context, 'OAuth callback rejected: state already used');
    return fail('OAUTH_STATE_USED', target);
  }
  if (state.expiresAt <= now) {
    logger.warn({ ...context, expiredAt: new Date(state.expiresAt).toISOString() }, 'OAuth callback rejected: state expired');
    return fail('OAUTH_STATE_EXPIRED', target);
  }

  if (!(await isStarterActive(options, state))) {
    logger.warn(context, 'OAuth callback rejected: the API key or user that started the flow was revoked or deleted');
    return fail('OAUTH_STARTER_REVOKED', target);
  }

  if (query.error !== undefined) {
    const providerError = /^[\x20-\x7e]+$/.test(query.error) ? query.error.slice(0, MAX_PROVIDER_ERROR_LENGTH) : 'unreadable';
    logger.warn({ ...context, providerError }, 'OAuth authorization not granted by the provider');
    return fail(providerError === 'access_denied' ? 'OAUTH_ACCESS_DENIED' : 'OAUTH_AUTHORIZATION_FAILED', target);
  }
  if (query.code === undefined || query.code === '') {
    logger.warn(context, 'OAuth callback rejected: no authorization code');
    return fail('OAUTH_CODE_MISSING', target);
  }

  try {
    const connection = await finish(options, state, query.code, now);
    logger.info({ ...context, connectionId: connection.id }, 'OAuth authorization completed');
    return { location: `${studio}/${encodeURIComponent(connection.id)}?connected=1`, connectionId: connection.id, error: null, state };
  } catch (error) {
    const code = isLumioError(error) ? error.code : 'OAUTH_CALLBACK_FAILED';
    if (isLumioError(error) && error.status < 500) logger.warn({ ...context, code, details: error.details }, 'OAuth authorization failed');
    else logger.error({ ...context, code, err: error }, 'OAuth authorization failed');
    return fail(code, target);
  }
}

/**
 * Records the callback in the audit log under the caller that started the flow, because the
 * callback itself carries no API key or session. Callbacks with an unknown state are only
 * logged, since they belong to no workspace.
 */
async function auditCallback(options: OAuthFlowOptions, state: StoredOAuthState, outcome: CallbackOutcome, client: CallbackClient): Promise<void> {
  await recordAuditEvent(options.store, options.logger, {
    workspaceId: state.workspaceId,
    actor: state.actor,
    apiKeyId: state.apiKeyId,
    userId: state.userId,
    action: 'integration.oauth_callback',
    resource: outcome.connectionId ?? state.connectionId ?? state.connectorId,
    status: outcome.error === null ? 'success' : 'failure',
    statusCode: 302,
    ipAddress: client.ipAddress,
    userAgent: client.userAgent,
    requestId: client.requestId,
    metadata: { connector: state.connectorId, connectionName: state.connectionName, ...(outcome.error === null ? {} : { error: outcome.error }) },
  });
}

/** Returns false when the API key that started the flow was revoked, or its user deleted, since. */
async function isStarterActive(options: OAuthFlowOptions, state: StoredOAuthState): Promise<boolean> {
  if (state.apiKeyId !== null) {
    const key = await options.store.apiKeys.get(state.apiKeyId);
    return key !== null && key.revokedAt === null && key.workspaceId === state.workspaceId;
  }
  if (state.userId !== null) return (await options.store.users.get(state.workspaceId, state.userId)) !== null;
  return true;
}

/** Exchanges the code, tests the tokens and saves the connection; raises on any failure. */
async function finish(options: OAuthFlowOptions, state: StoredOAuthState, code: string, now: number) {
  const connector = options.connections.requireConnector(state.connectorId);
  const manifest = connector.manifest;
  const method = manifest.auth.find((candidate): candidate is OAuth2AuthorizationCodeAuth => candidate.type === 'oauth2AuthorizationCode');
  if (!method) {
    throw new LumioError('AUTH_METHOD_UNSUPPORTED', `The connector "${manifest.id}" no longer has an oauth2AuthorizationCode auth method; connect it with another method.`, { status: 409, fault: 'connector' });
  }

  const secrets = decryptStateSecrets(options.cipher, state.id, state.secrets);
  const requested = state.request as { config?: Record<string, unknown>; test?: boolean };
  const baseConfig = requested.config ?? {};
  const tokens = await exchangeCode(options.http, { manifest, method, config: baseConfig, secrets, code, redirectUri: state.redirectUri, nowMs: now });
  if (tokens.missingConnectionFields.length > 0) {
    options.logger.warn({ connectorId: manifest.id, stateId: state.id, missingFields: tokens.missingConnectionFields }, 'the token response lacks connection fields the manifest lists');
  }

  // Connection fields (such as Salesforce's instance_url) become config that templates read as `config.<name>`.
  const config = { ...baseConfig, ...tokens.connectionFields };
  if (requested.test !== false && manifest.connection.test) {
    await testWithTokens(options, manifest, method, config, tokens.credentials);
  }

  const saved = await saveAuthorizedConnection(options, {
    manifest,
    workspaceId: state.workspaceId,
    connectorId: state.connectorId,
    name: state.connectionName,
    connectionId: state.connectionId,
    config,
    credentials: tokens.credentials,
    webhook: secrets.webhook,
  });
  return saved.connection;
}

/** Runs the manifest's connection test with the new tokens; raises `CONNECTION_TEST_FAILED` when the provider refuses them. */
async function testWithTokens(options: OAuthFlowOptions, manifest: ConnectorManifest, method: OAuth2AuthorizationCodeAuth, config: Record<string, unknown>, credentials: Record<string, string>): Promise<void> {
  // The connection may not exist yet, so budgets and breakers are keyed by the connector, as
  // in the ordinary connect. A person waits, so the test retries once at most.
  const context: ConnectorContext = {
    manifest,
    config,
    credentials,
    authMethod: method,
    http: options.http,
    logger: options.logger,
    baseUrl: typeof config.baseUrl === 'string' ? config.baseUrl : undefined,
    connectionId: `new:${manifest.id}`,
    priority: 'interactive',
    retryBudget: createRetryBudget(1),
    ...(options.services ? { services: options.services } : {}),
  };

  const result = await testConnection(context);
  if (result.ok) return;

  const message = result.status === null ? `The connection test could not reach ${manifest.name}: ${result.message}` : `The connection test failed: ${result.message}`;
  throw new LumioError('CONNECTION_TEST_FAILED', message, { status: 422, fault: 'caller', details: { providerStatus: result.status, reason: result.code } });
}
