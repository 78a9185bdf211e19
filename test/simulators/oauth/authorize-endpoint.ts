import type { AuthorizationCodes } from './authorization-codes.js';
import type { OAuthClient } from './token-grants.js';

/** Path of the authorization endpoint. */
export const AUTHORIZE_PATH = '/oauth/authorize';

/** One request to the authorization endpoint, for assertions. */
export interface AuthorizationRequestRecord {
  query: Record<string, string>;
  /** `code` when a code was issued, `denied` for a refused consent, `error` for an error redirect, `rejected` when no redirect was possible. */
  outcome: 'code' | 'denied' | 'error' | 'rejected';
  status: number;
  time: number;
}

export interface AuthorizeResult {
  status: number;
  /** Redirect target of a 302 response. */
  location?: string;
  /** JSON body of a response that cannot redirect (unknown client or redirect URI). */
  body?: unknown;
  outcome: AuthorizationRequestRecord['outcome'];
}

export interface AuthorizeContext {
  clients: ReadonlyMap<string, OAuthClient>;
  codes: AuthorizationCodes;
  /** Returns true when this request should be refused as if the user clicked "deny". */
  takeDenial(): boolean;
}

/**
 * Serves the authorization endpoint (RFC 6749 section 4.1.1) as if the user approved at
 * once. An unknown client or redirect URI gets a 400 page, because redirecting there could
 * hand an attacker the answer (section 4.1.2.1). Other errors redirect back with `error`
 * and the request's `state`. PKCE challenges (RFC 7636) must use S256.
 */
export function handleAuthorize(url: URL, context: AuthorizeContext): AuthorizeResult {
  const query = Object.fromEntries(url.searchParams);
  const client = query.client_id === undefined ? undefined : context.clients.get(query.client_id);
  if (!client) return { status: 400, body: { error: 'invalid_request', error_description: 'The client_id is missing or unknown.' }, outcome: 'rejected' };
  if (!isAcceptedRedirectUri(client, query.redirect_uri)) {
    return { status: 400, body: { error: 'invalid_request', error_description: 'The redirect_uri is missing, not absolute, or not registered for this client.' }, outcome: 'rejected' };
  }

  const back = new URL(query.redirect_uri!);
  const redirect = (parameters: Record<string, string>, outcome: AuthorizeResult['outcome']): AuthorizeResult => {
    for (const [name, value] of Object.entries(parameters)) back.searchParams.set(name, value);
    if (query.state !== undefined) back.searchParams.set('state', query.state);
    return { status: 302, location: back.toString(), outcome };
  };
  const fail = (error: string, description: string) => redirect({ error, error_description: description }, 'error');

  if (query.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (query.code_challenge !== undefined && query.code_challenge_method !== 'S256') return fail('invalid_request', 'The code_challenge_method must be S256.');
  if (query.code_challenge === undefined && query.code_challenge_method !== undefined) return fail('invalid_request', 'A code_challenge_method was sent without a code_challenge.');
  if (client.requirePkce && query.code_challenge === undefined) return fail('invalid_request', 'This client must send a PKCE code_challenge.');

  if (context.takeDenial()) return redirect({ error: 'access_denied', error_description: 'The user denied the request.' }, 'denied');

  const scope = (query.scope ?? '').split(' ').filter((name) => name !== '');
  const code = context.codes.issue(client.clientId, query.redirect_uri!, scope, query.code_challenge);
  return redirect({ code }, 'code');
}

function isAcceptedRedirectUri(client: OAuthClient, redirectUri: string | undefined): boolean {
  if (redirectUri === undefined || !URL.canParse(redirectUri)) return false;
  if (!/^https?:$/.test(new URL(redirectUri).protocol)) return false;
  return client.redirectUris === undefined || client.redirectUris.includes(redirectUri);
}
