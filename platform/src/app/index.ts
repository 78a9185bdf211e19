export { startPlatform } from './platform.js';
export type { RunningPlatform } from './platform.js';
export { ensureAdminKey, ALL_SCOPES } from './bootstrap.js';
