// Public surface of @lumio/platform for embedding the platform in another process.
export { startPlatform } from './app/index.js';
export type { RunningPlatform } from './app/index.js';
export { loadConfig } from './config/index.js';
export type { PlatformConfig } from './config/index.js';
export { createLogger } from './observability/index.js';
export { LumioError, isLumioError } from './errors/index.js';
