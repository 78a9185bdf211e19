export { loadConfig, oauthConnectorKey } from './config.js';
export type { JobsConfig, OAuthClientConfig, OAuthConfig, PlatformConfig, SandboxConfig, SandboxLimits, SyncConfig, WebhookConfig } from './config.js';
