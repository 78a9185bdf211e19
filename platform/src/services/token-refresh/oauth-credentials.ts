import type { AuthMethod, OAuth2AuthorizationCodeAuth, OAuth2ClientCredentialsAuth } from '@lumio/plugin-sdk';

/** The auth methods whose access token Lumio refreshes. */
export type OAuthMethod = OAuth2AuthorizationCodeAuth | OAuth2ClientCredentialsAuth;

/** A connection's decrypted credentials: every value is a string, as the connect API stores them. */
export type OAuthCredentials = Record<string, string>;

/**
 * Keys of the OAuth values inside a connection's credentials object. `expiresAt` is the
 * access token's expiry in epoch milliseconds, written as a decimal string.
 */
export const OAUTH_CREDENTIAL_FIELDS = {
  accessToken: 'accessToken',
  refreshToken: 'refreshToken',
  expiresAt: 'expiresAt',
  clientId: 'clientId',
  clientSecret: 'clientSecret',
} as const;

export function isOAuthMethod(method: AuthMethod): method is OAuthMethod {
  return method.type === 'oauth2AuthorizationCode' || method.type === 'oauth2ClientCredentials';
}

/** Reads a non-empty string credential, or undefined. */
export function readCredentialValue(credentials: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = Object.hasOwn(credentials, field) ? credentials[field] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads `expiresAt` as epoch milliseconds. It accepts a number too, in case a caller
 * stored one. Anything else, such as an empty or non-numeric string, counts as unknown.
 */
export function readExpiresAt(credentials: Readonly<Record<string, unknown>>): number | undefined {
  const value = Object.hasOwn(credentials, OAUTH_CREDENTIAL_FIELDS.expiresAt) ? credentials[OAUTH_CREDENTIAL_FIELDS.expiresAt] : undefined;
  const milliseconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof milliseconds === 'number' && Number.isFinite(milliseconds) ? milliseconds : undefined;
}

/**
 * Converts decrypted credentials to strings. The connect API only stores strings, so a
 * number or boolean can only come from another writer; it is kept as text. Other values
 * (null, objects) cannot be sent in an auth header and are left out.
 */
export function toCredentialRecord(decrypted: Readonly<Record<string, unknown>>): OAuthCredentials {
  const credentials: OAuthCredentials = {};
  for (const [field, value] of Object.entries(decrypted)) {
    if (typeof value === 'string') credentials[field] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') credentials[field] = String(value);
  }
  return credentials;
}
