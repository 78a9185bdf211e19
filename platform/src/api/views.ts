import type { ConnectorManifest } from '@lumio/plugin-sdk';

import type { Connection, RecordPage, RecordWithDataJson, SyncRun } from '../store/index.js';
import { computeProgress } from '../sync/index.js';
import { webhookUrlFor } from '../webhooks/index.js';

/** Builds the public shape of a sync run. */
export function runView(run: SyncRun) {
  const startedAtMs = run.startedAt ? Date.parse(run.startedAt) : Date.now();
  const finished = run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';
  // A running run's percentage and ETA are computed now, from the average rate since it
  // started, so a pause for a rate limit moves the ETA instead of leaving it in the past.
  const live = computeProgress(run.progressCurrent, run.progressTotal, run.totalIsEstimate, startedAtMs, Date.now());
  const progress = finished
    ? { current: run.progressCurrent, total: run.progressTotal, percentage: run.status === 'succeeded' ? 100 : null }
    : { current: live.current, total: live.total, percentage: live.percentage };

  return {
    id: run.id,
    object: run.object,
    mode: run.mode,
    status: run.status,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    progress: { ...progress, totalIsEstimate: run.totalIsEstimate },
    eta: finished ? null : live.eta,
    counts: {
      pages: run.pages,
      read: run.recordsRead,
      inserted: run.recordsInserted,
      updated: run.recordsUpdated,
      unchanged: run.recordsUnchanged,
      deleted: run.recordsDeleted,
    },
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage } : null,
  };
}

/**
 * Builds the public shape of a connection. Its config contains no secrets, and credentials
 * and webhook secrets are never included. `webhookUrl` is the URL to register at the provider.
 */
export function connectionView(connection: Connection, manifest: ConnectorManifest, publicUrl: string) {
  return {
    id: connection.connectorId,
    connectionId: connection.id,
    name: manifest.name,
    connectionName: connection.name,
    status: connection.status,
    authMethod: connection.authMethod,
    config: connection.config,
    lastSync: connection.lastSyncAt,
    lastSyncStatus: connection.lastSyncStatus,
    health: healthOf(connection),
    webhookUrl: webhookUrlFor(publicUrl, manifest, connection),
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
}

/**
 * Serialises a page of records as the JSON body of `GET /v1/records`, each record with the
 * fields below in this order. `data` is the canonical record's JSON text from the database,
 * embedded as it is, because parsing it only to serialise it again was among the largest
 * costs in a CPU profile of test/bench/api-reads.ts. `integration` is the connector id of the
 * record's connection.
 */
export function recordPageJson(page: RecordPage<RecordWithDataJson>, connectorOf: (connectionId: string) => string): string {
  const records = page.items.map((record) => {
    const head = JSON.stringify({
      id: record.id,
      integration: connectorOf(record.connectionId),
      connectionId: record.connectionId,
      object: record.object,
      sourceObject: record.sourceObject,
      externalId: record.externalId,
    });
    const tail = JSON.stringify({
      deleted: record.deleted,
      deletedAt: record.deletedAt,
      sourceUpdatedAt: record.sourceUpdatedAt,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
    // Both objects have fields, so head ends with `}` and tail starts with `{`.
    return `${head.slice(0, -1)},"data":${record.dataJson},${tail.slice(1)}`;
  });
  return `{"records":[${records.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}

/** Returns the connection's health status (`healthy`, `degraded`…), or null before its first sync. */
export function healthOf(connection: Connection): string | null {
  const status = connection.health?.status;
  return typeof status === 'string' ? status : null;
}
