import type { AuthMethod, ConnectorManifest } from '@lumio/plugin-sdk';
import { isLumioError, LumioError } from '../../errors/index.js';
import type { HttpClient, HttpResponse } from '../../http/index.js';
import type { Logger } from '../../observability/index.js';
import type { CredentialCipher } from '../../security/index.js';
import type { Connection, Store } from '../../store/index.js';
import type { DistributedLock } from '../locks/index.js';
import { isExpiredResponse } from './expired-response.js';
import { needsRefresh } from './needs-refresh.js';
import {
  isOAuthMethod,
  OAUTH_CREDENTIAL_FIELDS,
  readCredentialValue,
  toCredentialRecord,
  type OAuthCredentials,
  type OAuthMethod,
} from './oauth-credentials.js';
import {
  accessTokenMissingError,
  reauthorizationRequiredError,
  readTokenError,
  refreshFailedError,
  tokenRequestUnreachableError,
  type RefreshTarget,
} from './token-errors.js';
import { buildTokenRequest } from './token-request.js';
import { DEFAULT_TOKEN_FIELDS, mergeTokens, readConnectionFields, readTokenResponse } from './token-response.js';
import { renderTokenUrl } from './token-url.js';

/** Time to live of the refresh lock, in milliseconds. The holder extends it while it waits for the provider. */
const DEFAULT_LOCK_TTL_MS = 20_000;
/** Maximum wait for another process's refresh, in milliseconds: longer than a refresh takes at most, and than the ttl a crashed holder leaves. */
const DEFAULT_LOCK_WAIT_MS = 25_000;
/** Deadline of one token request, in milliseconds. */
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface TokenRefresherOptions {
  store: Pick<Store, 'connections' | 'credentials'>;
  cipher: CredentialCipher;
  /** Shared between every process that may refresh the same connections (Redis or the database). */
  lock: DistributedLock;
  /** The platform's outbound HTTP client; its private-network guard applies to token URLs too. */
  http: HttpClient;
  logger: Logger;
  /** Wall clock in epoch milliseconds, for `expiresAt`. Default `Date.now`. */
  clock?: () => number;
  /** Time to live of the per-connection refresh lock, in milliseconds. Default 20000. */
  lockTtlMs?: number;
  /** Maximum wait for the refresh lock, in milliseconds. Default 25000. */
  lockWaitMs?: number;
  /** Deadline of one token request, in milliseconds. Default 15000. */
  requestTimeoutMs?: number;
}

/** Reason for a refresh: the token is near its known expiry, or a provider response showed it expired. */
export type RefreshReason = 'expiring' | 'expired';

export interface RefreshOptions {
  reason: RefreshReason;
  /**
   * The access token the caller used or was about to use (undefined when it had none).
   * When the stored token differs, another caller already refreshed, and the stored
   * credentials are returned without calling the provider.
   */
  staleAccessToken: string | undefined;
}

export interface TokenRefresher {
  /** See `needsRefresh` in needs-refresh.ts. */
  needsRefresh(method: AuthMethod, credentials: Readonly<Record<string, unknown>>, nowMs: number): boolean;
  /**
   * Gets a new access token for a connection and stores it, at most once at a time per
   * connection across processes, and returns the connection's current credentials.
   * Raises `OAUTH_REAUTHORIZATION_REQUIRED` (and marks the connection `needs_reauth`)
   * when the provider rejects the refresh token, and `OAUTH_REFRESH_FAILED` for other
   * token endpoint failures.
   */
  refresh(connectionId: string, manifest: Pick<ConnectorManifest, 'id' | 'name' | 'connection'>, method: AuthMethod, options: RefreshOptions): Promise<OAuthCredentials>;
  /** See `isExpiredResponse` in expired-response.ts. */
  isExpiredResponse(method: AuthMethod, response: HttpResponse): boolean;
}

type RefreshManifest = Pick<ConnectorManifest, 'id' | 'name' | 'connection'>;

/**
 * Creates the token refresher. Concurrent calls for one connection in this process share
 * one promise. Across processes they take the lock `token-refresh:<connection id>`, and
 * inside it each reloads the stored credentials first: a caller whose stale token was
 * already replaced gets the stored credentials, so one expiry causes one token request.
 */
export function createTokenRefresher(options: TokenRefresherOptions): TokenRefresher {
  const { store, cipher, lock, http, logger } = options;
  const clock = options.clock ?? Date.now;
  const lockTtlMs = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const inFlight = new Map<string, Promise<OAuthCredentials>>();

  async function loadCredentials(connectionId: string): Promise<OAuthCredentials> {
    const envelope = await store.credentials.getEncrypted(connectionId);
    if (!envelope) {
      throw new LumioError('CREDENTIALS_MISSING', `Connection ${connectionId} has no stored credentials; connect it again.`, { status: 409, fault: 'caller', details: { connectionId } });
    }
    return toCredentialRecord(cipher.decrypt(connectionId, envelope));
  }

  async function loadConnection(connectionId: string): Promise<Connection> {
    const connection = await store.connections.get(connectionId);
    if (!connection) {
      throw new LumioError('CONNECTION_NOT_FOUND', `Connection ${connectionId} does not exist; it may have been deleted while a request was running.`, { status: 404, fault: 'caller', details: { connectionId } });
    }
    if (connection.status === 'disconnected') {
      throw new LumioError('CONNECTION_DISCONNECTED', `Connection ${connectionId} is disconnected; connect it again before syncing.`, { status: 409, fault: 'caller', details: { connectionId } });
    }
    return connection;
  }

  /** Marks the connection `needs_reauth`. A failed write is logged, because the caller raises the reauthorization error anyway. */
  async function markNeedsReauth(target: RefreshTarget, reason: string): Promise<void> {
    try {
      await store.connections.update(target.connectionId, {
        status: 'needs_reauth',
        health: { status: 'needs_reauth', reason, code: 'OAUTH_REAUTHORIZATION_REQUIRED', checkedAt: new Date(clock()).toISOString() },
      });
    } catch (error) {
      logger.error({ connectionId: target.connectionId, connector: target.connector, err: error }, 'marking a connection needs_reauth failed');
      return;
    }
    logger.warn({ connectionId: target.connectionId, connector: target.connector, reason }, 'connection needs reauthorization');
  }

  /** Sends the token request and returns its response; only a network failure or timeout raises. */
  async function sendTokenRequest(target: RefreshTarget, manifest: RefreshManifest, method: OAuthMethod, connection: Connection, credentials: OAuthCredentials): Promise<HttpResponse> {
    const tokenUrl = renderTokenUrl(manifest, method, connection.config);
    const request = buildTokenRequest(method, credentials, tokenUrl, AbortSignal.timeout(requestTimeoutMs));
    try {
      return await http.send(request);
    } catch (error) {
      logger.warn({ connectionId: target.connectionId, connector: target.connector, err: error }, 'OAuth token request failed before a response arrived');
      throw tokenRequestUnreachableError(target, error);
    }
  }

  /** Refreshes the token; the caller holds the connection's lock. */
  async function refreshHoldingLock(connectionId: string, manifest: RefreshManifest, method: OAuthMethod, refreshOptions: RefreshOptions): Promise<OAuthCredentials> {
    const target: RefreshTarget = { connectionId, connector: manifest.id, providerName: manifest.name };
    const connection = await loadConnection(connectionId);
    if (connection.status === 'needs_reauth') {
      throw reauthorizationRequiredError(target, 'the provider rejected an earlier token refresh and the connection has not been connected again since');
    }

    const credentials = await loadCredentials(connectionId);
    const storedAccessToken = readCredentialValue(credentials, OAUTH_CREDENTIAL_FIELDS.accessToken);
    if (storedAccessToken !== undefined && storedAccessToken !== refreshOptions.staleAccessToken) {
      logger.debug({ connectionId, connector: manifest.id }, 'OAuth access token was already refreshed by another caller');
      return credentials;
    }

    if (method.type === 'oauth2AuthorizationCode' && readCredentialValue(credentials, OAUTH_CREDENTIAL_FIELDS.refreshToken) === undefined) {
      const reason = 'no refresh token is stored for it, so Lumio cannot get a new access token';
      await markNeedsReauth(target, reason);
      throw reauthorizationRequiredError(target, reason);
    }

    const response = await sendTokenRequest(target, manifest, method, connection, credentials);
    if (response.status < 200 || response.status >= 300) {
      return handleTokenError(target, method, credentials, response);
    }

    const values = readTokenResponse(method, response);
    if (values.accessToken === undefined) {
      throw accessTokenMissingError(target, method.tokenFields?.accessToken ?? DEFAULT_TOKEN_FIELDS.accessToken, response.status);
    }
    const merged = mergeTokens(method, credentials, { ...values, accessToken: values.accessToken }, clock());

    // One write stores the access and refresh tokens together, so no reader sees a new
    // access token next to a refresh token the provider already invalidated.
    await store.credentials.saveEncrypted(connectionId, cipher.encrypt(connectionId, merged.credentials));
    await updateConnectionFields(connection, method, response);

    if (merged.refreshTokenRotated && method.type === 'oauth2AuthorizationCode' && method.refresh.rotatesRefreshToken !== true) {
      logger.warn({ connectionId, connector: manifest.id }, 'provider sent a new refresh token although the manifest sets rotatesRefreshToken to false; the new one is stored');
    }
    logger.info(
      {
        connectionId,
        connector: manifest.id,
        authMethod: method.type,
        reason: refreshOptions.reason,
        refreshTokenRotated: merged.refreshTokenRotated,
        expiresAt: merged.expiresAt === undefined ? null : new Date(merged.expiresAt).toISOString(),
      },
      'refreshed OAuth access token',
    );
    return merged.credentials;
  }

  /**
   * Copies the `connectionFields` a refresh response carries into the connection config, so
   * a value the provider changes (Salesforce moving an org to another `instance_url`) reaches
   * the next request. A field the response leaves out keeps its stored value.
   */
  async function updateConnectionFields(connection: Connection, method: OAuthMethod, response: HttpResponse): Promise<void> {
    const names = method.type === 'oauth2AuthorizationCode' ? (method.connectionFields ?? []) : [];
    if (names.length === 0) return;

    const { fields } = readConnectionFields(names, response);
    const changed = Object.entries(fields).filter(([name, value]) => connection.config[name] !== value);
    if (changed.length === 0) return;

    await store.connections.update(connection.id, { config: { ...connection.config, ...fields } });
    logger.info({ connectionId: connection.id, fields: changed.map(([name]) => name) }, 'connection fields updated from the token refresh response');
  }

  async function handleTokenError(target: RefreshTarget, method: OAuthMethod, credentials: OAuthCredentials, response: HttpResponse): Promise<OAuthCredentials> {
    const details = readTokenError(response, secretsOf(credentials));
    if (!details.grantRejected) {
      logger.warn({ connectionId: target.connectionId, connector: target.connector, providerStatus: details.providerStatus, error: details.error }, 'OAuth token refresh failed');
      throw refreshFailedError(target, details);
    }

    // A holder whose lock expired while it waited may race a second holder. When that one
    // already stored new tokens, the rejected refresh token had been replaced, so the
    // connection is fine and its current credentials are returned.
    const current = await loadCredentials(target.connectionId);
    if (!sameTokens(current, credentials)) {
      logger.warn({ connectionId: target.connectionId, connector: target.connector }, 'provider rejected a refresh token that another process had already replaced');
      return current;
    }

    const reason = `${target.providerName} rejected its ${method.type === 'oauth2AuthorizationCode' ? 'refresh token' : 'client credentials'} (${details.error ?? 'invalid_grant'})`;
    await markNeedsReauth(target, reason);
    throw reauthorizationRequiredError(target, reason, details);
  }

  async function refreshAcrossProcesses(connectionId: string, manifest: RefreshManifest, method: OAuthMethod, refreshOptions: RefreshOptions): Promise<OAuthCredentials> {
    try {
      return await lock.withLock(`token-refresh:${connectionId}`, { ttlMs: lockTtlMs, waitMs: lockWaitMs }, () =>
        refreshHoldingLock(connectionId, manifest, method, refreshOptions),
      );
    } catch (error) {
      if (!isLumioError(error) || error.code !== 'LOCK_TIMEOUT') throw error;

      // The holder may have stored new tokens just before the wait ended.
      const current = await loadCredentials(connectionId);
      const storedAccessToken = readCredentialValue(current, OAUTH_CREDENTIAL_FIELDS.accessToken);
      if (storedAccessToken !== undefined && storedAccessToken !== refreshOptions.staleAccessToken) return current;
      throw error;
    }
  }

  return {
    needsRefresh,
    isExpiredResponse,

    refresh(connectionId, manifest, method, refreshOptions) {
      if (!isOAuthMethod(method)) {
        return Promise.reject(
          new LumioError('TOKEN_REFRESH_UNSUPPORTED', `The ${method.type} auth method has no token to refresh; only OAuth 2.0 methods can be refreshed.`, {
            status: 500,
            fault: 'platform',
            details: { authMethod: method.type },
          }),
        );
      }

      const running = inFlight.get(connectionId);
      if (running) return running;

      const flight = refreshAcrossProcesses(connectionId, manifest, method, refreshOptions).finally(() => inFlight.delete(connectionId));
      inFlight.set(connectionId, flight);
      return flight;
    },
  };
}

function sameTokens(left: OAuthCredentials, right: OAuthCredentials): boolean {
  return (
    readCredentialValue(left, OAUTH_CREDENTIAL_FIELDS.accessToken) === readCredentialValue(right, OAUTH_CREDENTIAL_FIELDS.accessToken) &&
    readCredentialValue(left, OAUTH_CREDENTIAL_FIELDS.refreshToken) === readCredentialValue(right, OAUTH_CREDENTIAL_FIELDS.refreshToken)
  );
}

function secretsOf(credentials: OAuthCredentials): string[] {
  return [OAUTH_CREDENTIAL_FIELDS.accessToken, OAUTH_CREDENTIAL_FIELDS.refreshToken, OAUTH_CREDENTIAL_FIELDS.clientSecret]
    .map((field) => readCredentialValue(credentials, field))
    .filter((value): value is string => value !== undefined);
}
