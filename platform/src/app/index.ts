export { startPlatform } from './platform.js';
export type { RunningPlatform, StartPlatformOptions } from './platform.js';
export { ensureAdminKey, ALL_SCOPES } from './bootstrap.js';
