export { loadConfig } from './config.js';
export type { PlatformConfig } from './config.js';
