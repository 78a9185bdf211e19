import type { ConnectorManifest, OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';

import { findMissingCredentialFields } from '../auth/index.js';

/**
 * Returns the manifest's authorization code method when a connect request should start the
 * browser flow instead of storing credentials it carries: the request names that method or
 * none, carries no access token, and (naming none) completes no other auth method. Returns
 * null otherwise, and for credentials that are not an object of strings, which the ordinary
 * connect rejects with its own message.
 */
export function findAuthorizationToStart(manifest: Pick<ConnectorManifest, 'auth'>, credentials: unknown, requestedMethod: string | undefined): OAuth2AuthorizationCodeAuth | null {
  const method = manifest.auth.find((candidate): candidate is OAuth2AuthorizationCodeAuth => candidate.type === 'oauth2AuthorizationCode');
  if (!method) return null;
  if (requestedMethod !== undefined && requestedMethod !== method.type) return null;

  const given = credentials === undefined || credentials === null ? {} : credentials;
  if (typeof given !== 'object' || Array.isArray(given)) return null;
  const values = given as Record<string, unknown>;
  if (Object.values(values).some((value) => typeof value !== 'string')) return null;
  const strings = values as Record<string, string>;
  if (typeof strings.accessToken === 'string' && strings.accessToken !== '') return null;

  if (requestedMethod === undefined) {
    const otherComplete = manifest.auth.some((candidate) => candidate !== method && findMissingCredentialFields(candidate, strings).length === 0);
    if (otherComplete) return null;
  }
  return method;
}
