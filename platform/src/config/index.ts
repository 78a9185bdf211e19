export { loadConfig } from './config.js';
export type { PlatformConfig, SandboxConfig, SandboxLimits, WebhookConfig } from './config.js';
