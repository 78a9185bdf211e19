import type { StreamState } from '../runtime/index.js';

/**
 * Sync state kept per connection and object between pages and between runs.
 * Stored as one JSON document, so a checkpoint is a single row write.
 */
export interface SavedSyncState {
  /** Checkpoint of the run in progress, written after every stored page; a restarted run resumes here. */
  inProgress?: { runId: string; mode: SyncMode; stream: StreamState };
  /** End state of the last run that finished, where the next incremental run starts. */
  completed?: StreamState;
  /**
   * The run that saved `completed`. A run whose process stopped after this save and before
   * the run was marked succeeded finds its own id here and only records its outcome.
   */
  completedRunId?: string;
}

export type SyncMode = 'full' | 'incremental';

export function parseSavedState(value: unknown): SavedSyncState {
  if (typeof value !== 'object' || value === null) return {};
  return value as SavedSyncState;
}
