import type { TokenFields } from '@lumio/plugin-sdk';
import type { HttpResponse } from '../../http/index.js';
import { readSegments, splitDotPath } from '../../templates/index.js';
import { OAUTH_CREDENTIAL_FIELDS, readCredentialValue, type OAuthCredentials, type OAuthMethod } from './oauth-credentials.js';

/** RFC 6749 section 5.1 names, used where the manifest's `tokenFields` sets none. */
export const DEFAULT_TOKEN_FIELDS: Required<TokenFields> = {
  accessToken: 'access_token',
  refreshToken: 'refresh_token',
  expiresIn: 'expires_in',
};

/** The values of a successful token response. */
export interface TokenResponseValues {
  /** Undefined when the response carries no non-empty string at the access token path. */
  accessToken: string | undefined;
  refreshToken: string | undefined;
  /** Lifetime in seconds; undefined when absent, not a number, or not above zero. */
  expiresInSeconds: number | undefined;
}

/** Credentials after a refresh, and what changed. */
export interface MergedCredentials {
  credentials: OAuthCredentials;
  /** True when the response carried a refresh token that differs from the stored one. */
  refreshTokenRotated: boolean;
  /** New expiry in epoch milliseconds, or undefined when unknown. */
  expiresAt: number | undefined;
}

/**
 * Reads the token values from a token response body at the manifest's `tokenFields`
 * paths. JSON is expected, but a form-encoded body (sent by some older providers) is
 * read too. `expires_in` may be a number or a numeric string.
 */
export function readTokenResponse(method: OAuthMethod, response: HttpResponse): TokenResponseValues {
  const fields = { ...DEFAULT_TOKEN_FIELDS, ...method.tokenFields };
  const body = decodeTokenBody(response);

  return {
    accessToken: readString(body, fields.accessToken),
    refreshToken: readString(body, fields.refreshToken),
    expiresInSeconds: readSeconds(readSegments(body, splitDotPath(fields.expiresIn))),
  };
}

/**
 * Returns the stored credentials with the new tokens. The old refresh token stays unless
 * the response carries one. RFC 6749 section 6 requires a new refresh token to replace the
 * old one, so that happens whatever the manifest's `rotatesRefreshToken` is. `expiresAt`
 * is set from `expires_in`, else from `refresh.defaultExpiresInSeconds`, else removed.
 */
export function mergeTokens(method: OAuthMethod, stored: Readonly<OAuthCredentials>, values: TokenResponseValues & { accessToken: string }, nowMs: number): MergedCredentials {
  const credentials: OAuthCredentials = { ...stored, [OAUTH_CREDENTIAL_FIELDS.accessToken]: values.accessToken };

  const previousRefreshToken = readCredentialValue(stored, OAUTH_CREDENTIAL_FIELDS.refreshToken);
  if (values.refreshToken !== undefined) credentials[OAUTH_CREDENTIAL_FIELDS.refreshToken] = values.refreshToken;
  const refreshTokenRotated = values.refreshToken !== undefined && values.refreshToken !== previousRefreshToken;

  const lifetimeSeconds = values.expiresInSeconds ?? method.refresh.defaultExpiresInSeconds;
  const expiresAt = lifetimeSeconds === undefined ? undefined : nowMs + lifetimeSeconds * 1000;
  if (expiresAt === undefined) delete credentials[OAUTH_CREDENTIAL_FIELDS.expiresAt];
  else credentials[OAUTH_CREDENTIAL_FIELDS.expiresAt] = String(Math.round(expiresAt));

  return { credentials, refreshTokenRotated, expiresAt };
}

/**
 * Reads the top-level fields a manifest's `connectionFields` names (such as Salesforce's
 * `instance_url`) from a token response, as text, and lists the names it lacks.
 */
export function readConnectionFields(names: readonly string[], response: HttpResponse): { fields: Record<string, string>; missing: string[] } {
  const decoded = decodeTokenBody(response);
  const body = decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) ? (decoded as Record<string, unknown>) : {};
  const fields: Record<string, string> = {};
  const missing: string[] = [];

  for (const name of names) {
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    if (typeof value === 'string' && value !== '') fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
    else missing.push(name);
  }
  return { fields, missing };
}

/** Returns the response body as a value to read paths from: parsed JSON, a parsed form, or undefined. */
export function decodeTokenBody(response: HttpResponse): unknown {
  if (typeof response.body !== 'string') return response.body;

  const text = response.rawBody.trim();
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  if ((response.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return undefined;
}

function readString(body: unknown, dotPath: string): string | undefined {
  const value = readSegments(body, splitDotPath(dotPath));
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
