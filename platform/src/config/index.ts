export { loadConfig } from './config.js';
export type { JobsConfig, PlatformConfig, SandboxConfig, SandboxLimits, SyncConfig, WebhookConfig } from './config.js';
