import { Counter, Histogram, type Registry } from 'prom-client';

import type { SyncMetrics } from '../../sync/index.js';

/** Upper bounds of the sync duration buckets in seconds, from one second to six hours. */
const SYNC_DURATION_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600];

/** Creates the sync engine metrics on `registry`, labelled with the connector id. */
export function createPrometheusSyncMetrics(registry: Registry): SyncMetrics {
  const duration = new Histogram({
    name: 'integration_sync_duration_seconds',
    help: 'Duration of sync runs that succeeded, from their first start to their end (a resumed run includes the time it was paused), in seconds.',
    labelNames: ['provider'] as const,
    buckets: SYNC_DURATION_BUCKETS,
    registers: [registry],
  });
  const processed = new Counter({
    name: 'integration_sync_records_processed_total',
    help: 'Records read from providers and stored by sync runs.',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const failed = new Counter({
    name: 'integration_sync_records_failed_total',
    help: 'Records of sync runs whose field mapping reported at least one error; they are stored with the fields that did map.',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const runs = new Counter({
    name: 'integration_sync_runs_total',
    help: 'Sync runs that ended, by status: succeeded or failed. A paused run is counted when it ends after resuming.',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
  });

  return {
    pageStored(provider, records, failedRecords) {
      processed.inc({ provider }, records);
      failed.inc({ provider }, failedRecords);
    },
    runEnded(provider, status, durationSeconds) {
      runs.inc({ provider, status });
      if (durationSeconds !== undefined) duration.observe({ provider }, durationSeconds);
    },
  };
}
