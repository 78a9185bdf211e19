import { LumioError } from '../../errors/index.js';
import type { HttpRequest } from '../../http/index.js';
import { OAUTH_CREDENTIAL_FIELDS, readCredentialValue, type OAuthCredentials, type OAuthMethod } from './oauth-credentials.js';

/**
 * Builds the token request that gets a new access token: RFC 6749 section 6 for the
 * authorization code method, section 4.4.2 for client credentials. It is a form-encoded
 * POST with the client id and secret in the body, or in an HTTP Basic header when
 * `clientAuthentication` is "basic". Raises `CREDENTIALS_INVALID` naming a missing
 * credential field (never a value). The caller checks for a missing refresh token,
 * because that means the connection must be authorized again.
 */
export function buildTokenRequest(method: OAuthMethod, credentials: Readonly<OAuthCredentials>, tokenUrl: string, signal?: AbortSignal): HttpRequest {
  const basic = (method.clientAuthentication ?? 'body') === 'basic';
  const clientId = readCredentialValue(credentials, OAUTH_CREDENTIAL_FIELDS.clientId);
  const clientSecret = readCredentialValue(credentials, OAUTH_CREDENTIAL_FIELDS.clientSecret);

  // A public client (PKCE, no secret) may refresh with its id alone; client credentials
  // and Basic authentication both need the secret.
  const missing: string[] = [];
  if (clientId === undefined) missing.push(OAUTH_CREDENTIAL_FIELDS.clientId);
  if (clientSecret === undefined && (basic || method.type === 'oauth2ClientCredentials')) missing.push(OAUTH_CREDENTIAL_FIELDS.clientSecret);
  if (missing.length > 0) throw missingFieldsError(method, missing);

  const form = new URLSearchParams();
  if (method.type === 'oauth2AuthorizationCode') {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', readCredentialValue(credentials, OAUTH_CREDENTIAL_FIELDS.refreshToken) ?? '');
  } else {
    form.set('grant_type', 'client_credentials');
    const scopes = method.scopes ?? [];
    if (scopes.length > 0) form.set('scope', scopes.join(method.scopeSeparator ?? ' '));
  }

  const headers: Record<string, string> = { accept: 'application/json' };
  if (basic) {
    headers.authorization = encodeBasicCredentials(clientId as string, clientSecret as string);
  } else {
    form.set('client_id', clientId as string);
    if (clientSecret !== undefined) form.set('client_secret', clientSecret);
  }

  const request: HttpRequest = { method: 'POST', url: tokenUrl, headers, body: form };
  if (signal) request.signal = signal;
  return request;
}

/**
 * Encodes client credentials for HTTP Basic as RFC 6749 section 2.3.1 requires: the id and
 * secret are each form-encoded (application/x-www-form-urlencoded) before they are joined
 * with a colon and base64-encoded, so a colon or a non-ASCII character survives.
 */
export function encodeBasicCredentials(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, 'utf8').toString('base64')}`;
}

function formEncode(value: string): string {
  return new URLSearchParams([['v', value]]).toString().slice('v='.length);
}

function missingFieldsError(method: OAuthMethod, fields: readonly string[]): LumioError {
  const names = fields.map((field) => `"${field}"`).join(' and ');
  return new LumioError(
    'CREDENTIALS_INVALID',
    `The stored credentials lack ${names}, which refreshing a ${method.type} token requires; connect the connection again with ${fields.length === 1 ? 'that field' : 'those fields'}.`,
    { status: 409, fault: 'caller', details: { authMethod: method.type, missingFields: [...fields] } },
  );
}
