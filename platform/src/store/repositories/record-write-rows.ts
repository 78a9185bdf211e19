import type { Dialect } from '../dialect.js';
import { normalizeTimestamp, nowIso, parseJson, readInteger, readOptionalString, readRequiredTimestamp, readTimestamp, serializeJson } from '../values.js';

// Types of the `record_writes` table and the conversions between its rows and the
// repository's values.

export type RecordWriteStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';

export const RECORD_WRITE_STATUSES: readonly RecordWriteStatus[] = ['pending', 'succeeded', 'failed', 'skipped'];

/** `create` for a record the provider does not have yet, `update` for one it has. */
export type RecordWriteOperation = 'create' | 'update';

/** Cause of a failed or skipped write. */
export interface RecordWriteError {
  /** A stable code, e.g. `PROVIDER_RECORD_REJECTED` or `CONFLICT_PROVIDER_CHANGED`. */
  code: string;
  message: string;
  /** The provider's own error for this record (status, category, message), when it sent one. */
  details?: Record<string, unknown>;
}

/** A field of the write that was not sent to the provider, and why. */
export interface RecordWriteWarning {
  /** Canonical field path, e.g. `fullName` or `address.country`. */
  field: string;
  code: string;
  message: string;
}

/** One canonical record queued for writing to the provider. */
export interface RecordWrite {
  /** `wr_…`, time-ordered. */
  id: string;
  workspaceId: string;
  connectionId: string;
  /** `wrb_…`: the API request that created the write. */
  batchId: string;
  /** Canonical object name, e.g. `contact`. */
  object: string;
  /** Manifest object key, e.g. `contacts`. */
  sourceObject: string;
  operation: RecordWriteOperation;
  /** Lumio id of the record; a new record is stored under it once the provider accepts it. */
  recordId: string;
  /** The provider's id of the record: known for updates, set on success for creates. */
  externalId: string | null;
  /** Canonical fields to write. */
  data: Record<string, unknown>;
  status: RecordWriteStatus;
  /** When the change was made in Lumio (ISO 8601). */
  changedAt: string;
  /** The provider's last-modified time Lumio had stored for the record when the write was accepted. */
  baseSourceUpdatedAt: string | null;
  /** Set for `failed` and `skipped` writes. */
  error: RecordWriteError | null;
  warnings: RecordWriteWarning[];
  /** Provider requests that carried this write, retries included. */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface NewRecordWrite {
  id: string;
  workspaceId: string;
  connectionId: string;
  batchId: string;
  object: string;
  sourceObject: string;
  operation: RecordWriteOperation;
  recordId: string;
  externalId: string | null;
  data: Record<string, unknown>;
  changedAt: string;
  baseSourceUpdatedAt: string | null;
  warnings?: RecordWriteWarning[];
}

export interface RecordWriteRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  batch_id: string;
  object: string;
  source_object: string;
  operation: RecordWriteOperation;
  record_id: string;
  external_id: unknown;
  data: unknown;
  status: RecordWriteStatus;
  changed_at: unknown;
  base_source_updated_at: unknown;
  error_code: unknown;
  error_message: unknown;
  error_details: unknown;
  warnings: unknown;
  attempts: unknown;
  created_at: unknown;
  updated_at: unknown;
  completed_at: unknown;
}

export function toRecordWrite(row: RecordWriteRow): RecordWrite {
  const code = readOptionalString(row.error_code);
  const details = parseJson(row.error_details) as Record<string, unknown> | null;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    connectionId: row.connection_id,
    batchId: row.batch_id,
    object: row.object,
    sourceObject: row.source_object,
    operation: row.operation,
    recordId: row.record_id,
    externalId: readOptionalString(row.external_id),
    data: (parseJson(row.data) ?? {}) as Record<string, unknown>,
    status: row.status,
    changedAt: readRequiredTimestamp(row.changed_at),
    baseSourceUpdatedAt: readTimestamp(row.base_source_updated_at),
    error: code === null ? null : { code, message: readOptionalString(row.error_message) ?? '', ...(details ? { details } : {}) },
    warnings: (parseJson(row.warnings) ?? []) as RecordWriteWarning[],
    attempts: readInteger(row.attempts),
    createdAt: readRequiredTimestamp(row.created_at),
    updatedAt: readRequiredTimestamp(row.updated_at),
    completedAt: readTimestamp(row.completed_at),
  };
}

export function toRecordWriteRow(write: NewRecordWrite, dialect: Dialect): Record<string, unknown> {
  const now = nowIso();
  return {
    id: write.id,
    workspace_id: write.workspaceId,
    connection_id: write.connectionId,
    batch_id: write.batchId,
    object: write.object,
    source_object: write.sourceObject,
    operation: write.operation,
    record_id: write.recordId,
    external_id: write.externalId,
    data: serializeJson(write.data, dialect),
    status: 'pending',
    changed_at: normalizeTimestamp(write.changedAt, 'changedAt'),
    base_source_updated_at: normalizeTimestamp(write.baseSourceUpdatedAt, 'baseSourceUpdatedAt'),
    warnings: write.warnings && write.warnings.length > 0 ? serializeJson(write.warnings, dialect) : null,
    attempts: 0,
    created_at: now,
    updated_at: now,
  };
}
