import type { Connection, Store, SyncRun } from '../store/index.js';
import type { ConnectionRequestStats } from './request-stats.js';

/** Sync runs counted: those created in the last 24 hours. */
const SYNC_WINDOW_MS = 24 * 60 * 60_000;
/** Most runs read for the sync window; a connection that ran more reports `truncated`. */
const MAX_RUNS = 1_000;

/**
 * Builds the metrics of one connection. Each section names the window it covers: provider
 * requests and cache lookups over the last hour in this process, sync runs created in the
 * last 24 hours, and webhook events still stored.
 */
export async function buildConnectionMetrics(store: Store, requests: ConnectionRequestStats, connection: Connection, nowMs = Date.now()) {
  const summary = requests.summary(connection.id);
  const { cache, ...requestCounts } = summary;

  const from = nowMs - SYNC_WINDOW_MS;
  const listed = await store.syncRuns.list(connection.id, { limit: MAX_RUNS });
  const runs = listed.filter((run) => Date.parse(run.createdAt) >= from);

  return {
    integration: connection.connectorId,
    connectionId: connection.id,
    generatedAt: new Date(nowMs).toISOString(),
    requests: requestCounts,
    cache: { scope: summary.scope, window: summary.window, ...cache },
    syncs: {
      window: { from: new Date(from).toISOString(), to: new Date(nowMs).toISOString() },
      truncated: listed.length === MAX_RUNS && runs.length === listed.length,
      ...sumRuns(runs),
    },
    webhooks: {
      // Processed events are deleted after LUMIO_WEBHOOK_RETENTION_DAYS, unprocessed ones never.
      scope: 'stored',
      byStatus: await store.webhookEvents.countByStatus(connection.id),
    },
  };
}

function sumRuns(runs: SyncRun[]) {
  const byStatus: Record<string, number> = {};
  const records = { read: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  let pages = 0;
  let succeededMs = 0;
  let succeeded = 0;

  for (const run of runs) {
    byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
    pages += run.pages;
    records.read += run.recordsRead;
    records.inserted += run.recordsInserted;
    records.updated += run.recordsUpdated;
    records.unchanged += run.recordsUnchanged;
    records.deleted += run.recordsDeleted;
    if (run.status === 'succeeded' && run.startedAt && run.finishedAt) {
      succeeded += 1;
      succeededMs += Date.parse(run.finishedAt) - Date.parse(run.startedAt);
    }
  }

  return {
    runs: runs.length,
    byStatus,
    pages,
    recordsSynced: records.read,
    records,
    averageDurationMs: succeeded === 0 ? null : Math.round(succeededMs / succeeded),
  };
}
