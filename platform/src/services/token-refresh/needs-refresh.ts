import type { AuthMethod } from '@lumio/plugin-sdk';
import { isOAuthMethod, OAUTH_CREDENTIAL_FIELDS, readCredentialValue, readExpiresAt } from './oauth-credentials.js';

/** Seconds before the known expiry at which a token is refreshed when the manifest sets none. */
export const DEFAULT_REFRESH_BEFORE_SECONDS = 300;

/**
 * Tells whether an OAuth access token should be refreshed before the next request: when
 * there is none yet (a client credentials connection before its first token), or when
 * `nowMs` is within `refresh.refreshBeforeSeconds` of the stored `expiresAt`. A token
 * without a known expiry is refreshed only after a response matches `expiredWhen`.
 * Other auth methods never need a refresh.
 *
 * NOTE: a provider whose tokens live shorter than `refreshBeforeSeconds` makes every
 * request refresh first; such a manifest needs a smaller `refreshBeforeSeconds`.
 */
export function needsRefresh(method: AuthMethod, credentials: Readonly<Record<string, unknown>>, nowMs: number): boolean {
  if (!isOAuthMethod(method)) return false;
  if (readCredentialValue(credentials, OAUTH_CREDENTIAL_FIELDS.accessToken) === undefined) return true;

  const expiresAt = readExpiresAt(credentials);
  if (expiresAt === undefined) return false;

  const refreshBeforeMs = (method.refresh.refreshBeforeSeconds ?? DEFAULT_REFRESH_BEFORE_SECONDS) * 1000;
  return nowMs >= expiresAt - refreshBeforeMs;
}
