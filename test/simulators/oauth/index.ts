/**
 * OAuth 2.0 token endpoint simulator: a node:http server on loopback for token refresh
 * tests. Facts come from RFC 6749 (OAuth 2.0), RFC 6750 (bearer tokens) and HubSpot's
 * token endpoint documentation (POST https://api.hubapi.com/oauth/v1/token).
 *
 * Reproduced:
 * - `POST /oauth/token` with an `application/x-www-form-urlencoded` body; any other
 *   content type is invalid_request, and another method gets 405.
 * - Grants `refresh_token` and `client_credentials`; any other is unsupported_grant_type.
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
 *
 * Test hooks: `authorize` issues a token pair as a finished authorization code flow would,
 * `failNextTokenRequests` forces failures, `setDelay` holds every token response to widen
 * races, `refreshCount` counts refresh_token requests, and `tokenRequests` records each
 * token request with its form fields and the client authentication used.
 *
 * Not reproduced: the authorization endpoint and the authorization_code, password and
 * device grants, PKCE checks, refresh token lifetimes and the grace period some providers
 * give a rotated refresh token, HubSpot's `BAD_CLIENT_ID` and other non-RFC bodies besides
 * `BAD_REFRESH_TOKEN`, rate limits, and persistence across restarts.
 */
export { createOAuthTokenSimulator, OAuthTokenSimulator, RESOURCE_PATH, TOKEN_PATH } from './token-simulator.js';
export type {
  ClientAuthenticationUsed,
  OAuthTokenSimulatorOptions,
  RunningOAuthTokenSimulator,
  TokenFailure,
  TokenRequestRecord,
} from './token-simulator.js';
export type { IssuedTokens, OAuthClient } from './token-grants.js';
export type { ErrorStyle, OAuthErrorCode } from './token-errors.js';
