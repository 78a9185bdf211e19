export { SyncEngine } from './sync-engine.js';
export type { StartSyncRequest, SyncEngineOptions } from './sync-engine.js';
export { computeProgress } from './progress.js';
export type { SyncProgress } from './progress.js';
export type { SavedSyncState, SyncMode } from './sync-state.js';
export { readSourceUpdatedAt } from './source-updated-at.js';
export { noopSyncMetrics } from './sync-metrics.js';
export type { SyncMetrics, SyncRunStatus } from './sync-metrics.js';
