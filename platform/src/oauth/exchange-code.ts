import type { ConnectorManifest, OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/index.js';
import { DEFAULT_TOKEN_FIELDS, encodeBasicCredentials, mergeTokens, OAUTH_CREDENTIAL_FIELDS, readConnectionFields, readTokenResponse } from '../services/token-refresh/index.js';
import type { OAuthStateSecrets } from './oauth-state-secrets.js';
import { renderOAuthUrl } from './render-oauth-url.js';

/** Deadline of the token request, in milliseconds. */
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;
/** Maximum length of a provider error code kept for logs, in characters. */
const MAX_PROVIDER_ERROR_LENGTH = 100;

export interface ExchangeCodeInput {
  manifest: ConnectorManifest;
  method: OAuth2AuthorizationCodeAuth;
  config: Readonly<Record<string, unknown>>;
  secrets: OAuthStateSecrets;
  code: string;
  redirectUri: string;
  nowMs: number;
}

export interface ExchangedTokens {
  /**
   * The connection's credentials in the shape token refresh reads: accessToken,
   * refreshToken, expiresAt (epoch milliseconds as text), clientId and clientSecret.
   */
  credentials: Record<string, string>;
  /** The token response fields the manifest's `connectionFields` lists, as text. */
  connectionFields: Record<string, string>;
  /** Listed connection fields the response lacked. */
  missingConnectionFields: string[];
}

/**
 * Exchanges an authorization code for tokens (RFC 6749 section 4.1.3), with the PKCE
 * verifier when the flow used one (RFC 7636 section 4.5). Raises
 * `OAUTH_TOKEN_EXCHANGE_FAILED` for a network failure, an error response, or a response
 * without an access token. Its details carry the provider's status and error code only,
 * never a token or the code.
 */
export async function exchangeCode(http: HttpClient, input: ExchangeCodeInput): Promise<ExchangedTokens> {
  const { manifest, method, secrets } = input;
  const tokenUrl = renderOAuthUrl(manifest, 'tokenUrl', method.tokenUrl, input.config).toString();

  let response: HttpResponse;
  try {
    response = await http.send(buildCodeRequest(method, secrets, input, tokenUrl));
  } catch (error) {
    throw exchangeFailed(manifest, `the token request got no response (${error instanceof LumioError ? error.code : 'network error'})`, {}, error);
  }

  if (response.status < 200 || response.status >= 300) {
    const providerError = readProviderError(response);
    throw exchangeFailed(manifest, `the token endpoint returned HTTP ${response.status}${providerError ? ` with ${providerError}` : ''}`, { providerStatus: response.status, providerError });
  }

  const values = readTokenResponse(method, response);
  if (values.accessToken === undefined) {
    const path = method.tokenFields?.accessToken ?? DEFAULT_TOKEN_FIELDS.accessToken;
    throw exchangeFailed(manifest, `the token response has no access token at "${path}"; check the connector's tokenFields`, { providerStatus: response.status });
  }

  const client: Record<string, string> = { [OAUTH_CREDENTIAL_FIELDS.clientId]: secrets.clientId };
  if (secrets.clientSecret !== undefined) client[OAUTH_CREDENTIAL_FIELDS.clientSecret] = secrets.clientSecret;
  const merged = mergeTokens(method, client, { ...values, accessToken: values.accessToken }, input.nowMs);

  const { fields, missing } = readConnectionFields(method.connectionFields ?? [], response);
  return { credentials: merged.credentials, connectionFields: fields, missingConnectionFields: missing };
}

function buildCodeRequest(method: OAuth2AuthorizationCodeAuth, secrets: OAuthStateSecrets, input: ExchangeCodeInput, tokenUrl: string): HttpRequest {
  const form = new URLSearchParams();
  form.set('grant_type', 'authorization_code');
  form.set('code', input.code);
  form.set('redirect_uri', input.redirectUri);
  if (secrets.codeVerifier !== undefined) form.set('code_verifier', secrets.codeVerifier);

  const headers: Record<string, string> = { accept: 'application/json' };
  if ((method.clientAuthentication ?? 'body') === 'basic' && secrets.clientSecret !== undefined) {
    headers.authorization = encodeBasicCredentials(secrets.clientId, secrets.clientSecret);
  } else {
    form.set('client_id', secrets.clientId);
    if (secrets.clientSecret !== undefined) form.set('client_secret', secrets.clientSecret);
  }

  return { method: 'POST', url: tokenUrl, headers, body: form, signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS) };
}

/** Returns the response body as an object: parsed JSON, or a parsed form for providers that respond with one. */
function decodeBody(response: HttpResponse): Record<string, unknown> {
  let body: unknown = response.body;
  if (typeof body === 'string') {
    const text = response.rawBody.trim();
    if (text.startsWith('{')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    } else if ((response.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      body = Object.fromEntries(new URLSearchParams(text));
    }
  }
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}


/** Reads the RFC 6749 section 5.2 `error` code, which is a fixed word and carries no secret, shortened for logs. */
function readProviderError(response: HttpResponse): string | undefined {
  const error = decodeBody(response).error;
  if (typeof error !== 'string' || error.trim() === '') return undefined;
  return /^[\x20-\x7e]+$/.test(error) ? error.trim().slice(0, MAX_PROVIDER_ERROR_LENGTH) : undefined;
}

function exchangeFailed(manifest: Pick<ConnectorManifest, 'id' | 'name'>, reason: string, details: Record<string, unknown>, cause?: unknown): LumioError {
  return new LumioError('OAUTH_TOKEN_EXCHANGE_FAILED', `Exchanging the authorization code with ${manifest.name} failed because ${reason}; start the connection again, and check the OAuth client id and secret if it repeats.`, {
    status: 502,
    fault: 'provider',
    details: { connector: manifest.id, ...Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)) },
    ...(cause === undefined ? {} : { cause }),
  });
}
