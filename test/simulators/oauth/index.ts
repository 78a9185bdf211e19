/**
 * OAuth 2.0 authorization server simulator: a node:http server on loopback for the connect
 * flow and token refresh tests. Facts come from RFC 6749 (OAuth 2.0), RFC 6750 (bearer
 * tokens), RFC 7636 (PKCE) and HubSpot's token endpoint documentation
 * (POST https://api.hubapi.com/oauth/v1/token).
 *
 * Reproduced:
 * - `GET /oauth/authorize` approves at once, as if the user clicked "allow", and redirects
 *   to `redirect_uri` with a code and the request's `state` unchanged. An unknown client or
 *   a redirect URI that is not absolute http(s) (or not among the client's `redirectUris`)
 *   gets a 400 JSON page instead of a redirect (section 4.1.2.1). Other errors redirect
 *   back with `error` and `state`: unsupported_response_type, and invalid_request for a
 *   PKCE method other than S256 or a missing challenge when the client has `requirePkce`.
 * - Grant `authorization_code`: the code is single use (a second use, even a failed
 *   first one, is invalid_grant), lives 60 seconds, and must come from the same client
 *   with the same redirect_uri. A code issued with a PKCE challenge needs a code_verifier
 *   whose SHA-256 (base64url) equals it, or the grant is invalid_grant. A verifier that is
 *   not 43 to 128 unreserved characters is invalid_request.
 * - `POST /oauth/token` with an `application/x-www-form-urlencoded` body; any other
 *   content type is invalid_request, and another method gets 405.
 * - Grants `authorization_code`, `refresh_token` and `client_credentials`; any other is
 *   unsupported_grant_type.
 *   A parameter sent twice is invalid_request (RFC 6749 section 3.2).
 * - Client authentication by HTTP Basic, with id and secret form-encoded before base64
 *   (section 2.3.1), or by client_id and client_secret in the body. Both at once is
 *   invalid_request. A client registered without a secret is public and sends only
 *   client_id, and it may not use client_credentials (unauthorized_client).
 * - Success: 200 `{access_token, token_type: "bearer", expires_in, refresh_token}` with
 *   `Cache-Control: no-store` and `Pragma: no-cache` (section 5.1). `expires_in` is
 *   1800 seconds by default, as HubSpot's is, and can be left out. client_credentials
 *   issues no refresh token (section 4.4.3).
 * - Refresh tokens are kept by default: the response repeats the same refresh token, as
 *   HubSpot's does. With `rotateRefreshTokens`, every refresh issues a new one and the old
 *   one becomes invalid_grant at once, which makes a second concurrent refresh fail.
 * - Errors (section 5.2) are JSON `{error, error_description}` with HTTP 400, except
 *   invalid_client after an Authorization header, which is 401 with
 *   `WWW-Authenticate: Basic`. An unknown, revoked or other client's refresh token is
 *   invalid_grant, and a scope beyond the original grant is invalid_scope. With
 *   `errorStyle: "hubspot"` a rejected refresh token is HubSpot's reported body:
 *   400 `{status: "BAD_REFRESH_TOKEN", message, correlationId}` without an `error` field.
 * - `GET /api/me` accepts a current access token (RFC 6750), and returns 401 with
 *   `WWW-Authenticate: Bearer error="invalid_token"` for a missing, unknown or expired one.
 *   `GET /api/contacts` checks tokens the same way and returns `{results: [three contacts]}`.
 *
 * Test hooks: `authorize` issues a token pair as a finished authorization code flow would,
 * `denyNextAuthorizations` makes the next authorizations redirect with error=access_denied,
 * `extraTokenFields` (or `setExtraTokenFields`) adds fields such as `instance_url` to token responses,
 * `authorizationRequests` and `authorizationCodeCount` record the authorization flow,
 * `failNextTokenRequests` forces failures, `setDelay` holds every token response to widen
 * races, `refreshCount` counts refresh_token requests, and `tokenRequests` records each
 * token request with its form fields and the client authentication used.
 *
 * Not reproduced: a consent page, the implicit, password and device grants, the PKCE
 * `plain` method, and revoking the tokens of a code that is used twice. Also missing are
 * refresh token lifetimes, the grace period some providers give a rotated refresh token,
 * HubSpot's `BAD_CLIENT_ID` and other non-RFC bodies besides `BAD_REFRESH_TOKEN`, rate
 * limits, and persistence across restarts.
 */
export { createOAuthTokenSimulator, CONTACTS_PATH, OAuthTokenSimulator, RESOURCE_PATH, SIMULATED_CONTACTS, TOKEN_PATH } from './token-simulator.js';
export { AUTHORIZE_PATH } from './authorize-endpoint.js';
export type { AuthorizationRequestRecord } from './authorize-endpoint.js';
export { CODE_LIFETIME_MS } from './authorization-codes.js';
export type { ClientAuthenticationUsed } from './client-authentication.js';
export type {
  OAuthTokenSimulatorOptions,
  RunningOAuthTokenSimulator,
  TokenFailure,
  TokenRequestRecord,
} from './token-simulator.js';
export type { IssuedTokens, OAuthClient } from './token-grants.js';
export type { ErrorStyle, OAuthErrorCode } from './token-errors.js';
