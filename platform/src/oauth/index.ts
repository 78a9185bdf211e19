// The OAuth 2.0 authorization code flow of connect: an authorization URL with a single-use
// state (and PKCE when the manifest sets `pkce`), and the callback that exchanges the code
// and saves the connection.
export { OAuthConnectFlow } from './oauth-connect-flow.js';
export { CALLBACK_PATH } from './start-authorization.js';
export { OAUTH_STATE_TTL_MS } from './oauth-state-token.js';
export type { AuthorizationStarted, CallbackClient, CallbackQuery, OAuthFlowOptions, StartAuthorizationInput } from './flow-options.js';
export type { CallbackOutcome } from './complete-authorization.js';
