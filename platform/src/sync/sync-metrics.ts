/** Outcome of a sync run that ended in this process. A paused run has not ended and is not reported. */
export type SyncRunStatus = 'succeeded' | 'failed';

/**
 * Receives the sync engine's counts. A Prometheus adapter maps them onto
 * `integration_sync_records_processed_total`, `integration_sync_records_failed_total`
 * and `integration_sync_duration_seconds`, each labelled with the connector id.
 */
export interface SyncMetrics {
  /**
   * Counts the records of one stored page. `failed` is the number of those records whose
   * mapping reported at least one error (they are stored with the fields that did map).
   */
  pageStored(provider: string, records: number, failed: number): void;
  /** Counts one run that ended. `durationSeconds` is given for a run that succeeded. */
  runEnded(provider: string, status: SyncRunStatus, durationSeconds?: number): void;
}

/** Metrics that record nothing, used when the caller passes none. */
export const noopSyncMetrics: SyncMetrics = {
  pageStored: () => undefined,
  runEnded: () => undefined,
};
