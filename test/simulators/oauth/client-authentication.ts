import { buildTokenError, type ErrorStyle, type TokenErrorResponse } from './token-errors.js';
import type { OAuthClient } from './token-grants.js';

/** How a token request authenticated its client. */
export type ClientAuthenticationUsed = 'basic' | 'body' | 'none';

/** The client a token request authenticated as, or the error to send. */
export interface ClientCheck {
  client?: OAuthClient;
  used: ClientAuthenticationUsed;
  clientId: string | undefined;
  error?: TokenErrorResponse;
}

/**
 * Authenticates the client by HTTP Basic (RFC 6749 section 2.3.1: id and secret are
 * form-encoded before base64) or by client_id and client_secret in the body. A public
 * client sends only client_id. Using both methods at once is invalid_request.
 */
export function authenticateClient(clients: ReadonlyMap<string, OAuthClient>, authorization: string | undefined, form: Record<string, string>, style: ErrorStyle): ClientCheck {
  const invalidClient = (used: ClientAuthenticationUsed, clientId: string | undefined, description: string): ClientCheck => ({
    used,
    clientId,
    error: buildTokenError('invalid_client', description, { style, usedBasicAuth: used === 'basic' }),
  });

  if (authorization !== undefined) {
    const [scheme, encoded] = authorization.split(' ', 2);
    if (scheme?.toLowerCase() !== 'basic' || encoded === undefined) return invalidClient('basic', undefined, 'The Authorization header is not HTTP Basic.');
    if (form.client_secret !== undefined) {
      return { used: 'basic', clientId: undefined, error: buildTokenError('invalid_request', 'The client authenticated twice, in the header and in the body.', { style }) };
    }
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return invalidClient('basic', undefined, 'The Basic credentials have no colon.');
    const clientId = decodeFormComponent(decoded.slice(0, colon));
    const secret = decodeFormComponent(decoded.slice(colon + 1));
    const client = clients.get(clientId);
    if (!client || client.clientSecret === undefined || client.clientSecret !== secret) return invalidClient('basic', clientId, 'Client authentication failed.');
    return { used: 'basic', clientId, client };
  }

  const clientId = form.client_id;
  if (clientId === undefined) return invalidClient('none', undefined, 'The request carries no client credentials.');
  const client = clients.get(clientId);
  if (!client) return invalidClient('body', clientId, 'Client authentication failed.');
  if (client.clientSecret === undefined) return { used: form.client_secret === undefined ? 'none' : 'body', clientId, client };
  if (form.client_secret !== client.clientSecret) return invalidClient('body', clientId, 'Client authentication failed.');
  return { used: 'body', clientId, client };
}

function decodeFormComponent(value: string): string {
  return decodeURIComponent(value.replaceAll('+', ' '));
}
