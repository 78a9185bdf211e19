// OAuth 2.0 access token refresh for connections: before a token's known expiry, and
// after a provider response shows it expired. One refresh runs at a time per connection across
// processes, under a distributed lock.
export { createTokenRefresher } from './token-refresher.js';
export type { RefreshOptions, RefreshReason, TokenRefresher, TokenRefresherOptions } from './token-refresher.js';
export { needsRefresh, DEFAULT_REFRESH_BEFORE_SECONDS } from './needs-refresh.js';
export { isExpiredResponse, DEFAULT_EXPIRED_WHEN } from './expired-response.js';
export { isOAuthMethod, readExpiresAt, OAUTH_CREDENTIAL_FIELDS } from './oauth-credentials.js';
export type { OAuthCredentials, OAuthMethod } from './oauth-credentials.js';
export { buildTokenRequest, encodeBasicCredentials } from './token-request.js';
export { readTokenResponse, readConnectionFields, mergeTokens, DEFAULT_TOKEN_FIELDS } from './token-response.js';
export type { MergedCredentials, TokenResponseValues } from './token-response.js';
