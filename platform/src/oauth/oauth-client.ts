import type { OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';

import { oauthConnectorKey, type OAuthClientConfig } from '../config/index.js';
import { LumioError } from '../errors/index.js';

/** Credential fields a connect request may carry when it starts the authorization flow. */
const CLIENT_FIELDS = ['clientId', 'clientSecret'];

/** The OAuth client that asks for authorization, and where its id came from. */
export interface ResolvedOAuthClient {
  clientId: string;
  clientSecret?: string;
  source: 'request' | 'operator';
}

/**
 * Picks the client id and secret of an authorization: the connect request's
 * `credentials.clientId` and `credentials.clientSecret` when given, else the operator's
 * LUMIO_OAUTH_<CONNECTOR>_CLIENT_ID and _CLIENT_SECRET. A secret is required unless the
 * method uses PKCE with the client id in the body, which a public client (RFC 6749
 * section 2.1) may do. Raises `CREDENTIALS_INVALID` for other credential fields and
 * `OAUTH_CLIENT_MISSING` when no client is configured.
 */
export function resolveOAuthClient(
  connectorId: string,
  method: OAuth2AuthorizationCodeAuth,
  credentials: Readonly<Record<string, string>>,
  operatorClients: Readonly<Record<string, OAuthClientConfig>>,
): ResolvedOAuthClient {
  const unexpected = Object.keys(credentials).filter((field) => !CLIENT_FIELDS.includes(field));
  if (unexpected.length > 0) {
    throw new LumioError(
      'CREDENTIALS_INVALID',
      `credentials.${unexpected[0]} is not used when connecting through the OAuth authorization flow; send only clientId and clientSecret, or an accessToken to store tokens you already have.`,
      { status: 400, fault: 'caller', details: { field: `credentials.${unexpected[0]}` } },
    );
  }

  if (credentials.clientSecret !== undefined && credentials.clientId === undefined) {
    throw new LumioError('CREDENTIALS_INVALID', 'credentials.clientSecret was sent without credentials.clientId; send both, or neither to use the client the operator configured.', {
      status: 400,
      fault: 'caller',
      details: { field: 'credentials.clientId' },
    });
  }

  // The id and secret come from one place, so an operator's secret never pairs with another client's id.
  const envName = oauthConnectorKey(connectorId);
  const fromRequest = credentials.clientId !== undefined;
  const client = fromRequest ? { clientId: credentials.clientId, clientSecret: credentials.clientSecret } : operatorClients[envName];
  const clientId = client?.clientId;
  const clientSecret = client?.clientSecret;

  if (clientId === undefined) {
    throw new LumioError(
      'OAUTH_CLIENT_MISSING',
      `No OAuth client is configured for ${connectorId}; send credentials.clientId and credentials.clientSecret, or set LUMIO_OAUTH_${envName}_CLIENT_ID and LUMIO_OAUTH_${envName}_CLIENT_SECRET.`,
      { status: 400, fault: 'caller', details: { field: 'credentials.clientId' } },
    );
  }

  const publicClientAllowed = method.pkce && (method.clientAuthentication ?? 'body') === 'body';
  if (clientSecret === undefined && !publicClientAllowed) {
    throw new LumioError(
      'OAUTH_CLIENT_MISSING',
      `The OAuth client of ${connectorId} has no secret, which its token endpoint requires; send credentials.clientSecret${fromRequest ? '' : ` or set LUMIO_OAUTH_${envName}_CLIENT_SECRET`}.`,
      { status: 400, fault: 'caller', details: { field: 'credentials.clientSecret' } },
    );
  }

  return { clientId, ...(clientSecret === undefined ? {} : { clientSecret }), source: fromRequest ? 'request' : 'operator' };
}
