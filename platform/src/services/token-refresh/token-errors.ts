import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { decodeTokenBody } from './token-response.js';

const MAX_PROVIDER_TEXT_LENGTH = 300;

/** The provider's reason for a failed token request, with secrets scrubbed. */
export interface TokenErrorDetails {
  providerStatus: number;
  /** RFC 6749 `error` code, or HubSpot's `status` code when the body has no `error`. */
  error: string | undefined;
  /** RFC 6749 `error_description`, or HubSpot's `message`. */
  errorDescription: string | undefined;
  /** True when the provider rejected the refresh token or grant itself, so only a new authorization helps. */
  grantRejected: boolean;
}

/** Identifies the connection a refresh is for, in error messages and details. */
export interface RefreshTarget {
  connectionId: string;
  connector: string;
  /** Provider name for messages, e.g. "HubSpot". */
  providerName: string;
}

/**
 * Reads an error response of a token endpoint. `invalid_grant` (RFC 6749 section 5.2)
 * means the refresh token is invalid, expired or revoked. HubSpot has been reported to
 * send a revoked refresh token as HTTP 400 `{"status": "BAD_REFRESH_TOKEN"}` without an
 * `error` field, so that counts as a rejected grant too. Values in `secrets` (the tokens
 * and client secret, which a provider might echo) are replaced by "[redacted]".
 */
export function readTokenError(response: HttpResponse, secrets: readonly string[]): TokenErrorDetails {
  const body = decodeTokenBody(response);
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

  const rfcError = readText(record.error);
  const hubspotStatus = readText(record.status);
  const error = rfcError ?? hubspotStatus;
  const description = readText(record.error_description) ?? readText(record.message);
  const clientError = response.status >= 400 && response.status < 500;

  return {
    providerStatus: response.status,
    error: scrub(error, secrets),
    errorDescription: scrub(description, secrets),
    grantRejected: clientError && (rfcError === 'invalid_grant' || (rfcError === undefined && hubspotStatus === 'BAD_REFRESH_TOKEN')),
  };
}

/** Builds the error for a connection that must be authorized again, because the provider rejected its grant or no refresh token is stored. */
export function reauthorizationRequiredError(target: RefreshTarget, reason: string, details: Partial<TokenErrorDetails> = {}): LumioError {
  return new LumioError(
    'OAUTH_REAUTHORIZATION_REQUIRED',
    `Connection ${target.connectionId} to ${target.providerName} must be connected again, because ${reason}.`,
    {
      status: 409,
      fault: 'caller',
      details: { connectionId: target.connectionId, connector: target.connector, ...withoutUndefined(details) },
    },
  );
}

/** Builds the error for a token request that failed for a reason a new authorization would not fix (provider outage, bad client setup). */
export function refreshFailedError(target: RefreshTarget, details: TokenErrorDetails): LumioError {
  const reason = details.error === undefined ? '' : ` (${details.error}${details.errorDescription === undefined ? '' : `: ${details.errorDescription}`})`;
  return new LumioError(
    'OAUTH_REFRESH_FAILED',
    `${target.providerName} rejected the token refresh of connection ${target.connectionId} with HTTP ${details.providerStatus}${reason}; retry later, and check the connector's client id and secret if it repeats.`,
    {
      status: 502,
      fault: 'provider',
      details: { connectionId: target.connectionId, connector: target.connector, ...withoutUndefined(details) },
    },
  );
}

/** Builds the error for a token request that got no response (network error or timeout). */
export function tokenRequestUnreachableError(target: RefreshTarget, cause: unknown): LumioError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new LumioError(
    'OAUTH_REFRESH_FAILED',
    `The token refresh of connection ${target.connectionId} got no response from ${target.providerName}: ${why}`,
    { status: 502, fault: 'provider', details: { connectionId: target.connectionId, connector: target.connector }, cause },
  );
}

/** Builds the error for a 2xx token response without an access token at the manifest's path. */
export function accessTokenMissingError(target: RefreshTarget, path: string, providerStatus: number): LumioError {
  return new LumioError(
    'OAUTH_REFRESH_FAILED',
    `${target.providerName} answered the token refresh of connection ${target.connectionId} without an access token at "${path}"; check the connector's tokenFields.`,
    { status: 502, fault: 'connector', details: { connectionId: target.connectionId, connector: target.connector, providerStatus, accessTokenPath: path } },
  );
}

function readText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Replaces secrets, then shortens the text; in the other order a cut secret would stay partly visible. */
function scrub(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  let clean = text;
  // Short values would blank ordinary words, and real tokens and secrets are longer.
  for (const secret of secrets) if (secret.length >= 6) clean = clean.split(secret).join('[redacted]');
  return clean.length > MAX_PROVIDER_TEXT_LENGTH ? `${clean.slice(0, MAX_PROVIDER_TEXT_LENGTH)}…` : clean;
}

function withoutUndefined(values: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
