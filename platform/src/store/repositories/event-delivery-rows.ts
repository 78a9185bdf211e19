import { readInteger, readOptionalInteger, readOptionalString } from '../values.js';
import type { EventDeliveryAttempt, EventDeliveryStatus, StoredEventDelivery } from './event-delivery-types.js';

// Conversions between rows of the event delivery tables and repository values. pg returns
// bigint columns as strings and better-sqlite3 returns numbers, so times go through readInteger.

/** Columns of `event_deliveries` that reads and claims return. */
export const DELIVERY_COLUMNS = [
  'id',
  'workspace_id',
  'subscription_id',
  'event_id',
  'event_type',
  'status',
  'attempts',
  'total_attempts',
  'next_attempt_at',
  'locked_by',
  'locked_until',
  'last_status_code',
  'last_error_code',
  'last_error_message',
  'last_attempt_at',
  'succeeded_at',
  'created_at',
] as const;

export type EventDeliveryRow = Record<(typeof DELIVERY_COLUMNS)[number], unknown>;

export interface EventDeliveryAttemptRow {
  delivery_id: string;
  number: unknown;
  attempted_at: unknown;
  duration_ms: unknown;
  status_code: unknown;
  error_code: unknown;
  error_message: unknown;
  response_excerpt: unknown;
}

/**
 * Inserts a workspace's dispatch cursor, or moves it forward. It never moves back, so two
 * dispatchers that fan out the same events in parallel leave the newer position. Bindings:
 * workspace id, last event id (null for "before every event"), time. Ids of one prefix
 * compare in time order as text (see `createTimeOrderedId`). The syntax is valid on both
 * databases.
 */
export const upsertCursorSql = `
  INSERT INTO event_dispatch_cursors (workspace_id, last_event_id, updated_at) VALUES (?, ?, ?)
  ON CONFLICT (workspace_id) DO UPDATE
  SET last_event_id = excluded.last_event_id, updated_at = excluded.updated_at
  WHERE event_dispatch_cursors.last_event_id IS NULL OR event_dispatch_cursors.last_event_id < excluded.last_event_id`;

export function toStoredDelivery(row: EventDeliveryRow): StoredEventDelivery {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    subscriptionId: String(row.subscription_id),
    eventId: String(row.event_id),
    eventType: String(row.event_type),
    status: row.status as EventDeliveryStatus,
    attempts: readInteger(row.attempts),
    totalAttempts: readInteger(row.total_attempts),
    nextAttemptAt: readInteger(row.next_attempt_at),
    lockedBy: readOptionalString(row.locked_by),
    lockedUntil: readOptionalInteger(row.locked_until),
    lastStatusCode: readOptionalInteger(row.last_status_code),
    lastErrorCode: readOptionalString(row.last_error_code),
    lastErrorMessage: readOptionalString(row.last_error_message),
    lastAttemptAt: readOptionalInteger(row.last_attempt_at),
    succeededAt: readOptionalInteger(row.succeeded_at),
    createdAt: readInteger(row.created_at),
  };
}

export function toAttempt(row: EventDeliveryAttemptRow): EventDeliveryAttempt {
  return {
    number: readInteger(row.number),
    attemptedAt: readInteger(row.attempted_at),
    durationMs: readInteger(row.duration_ms),
    statusCode: readOptionalInteger(row.status_code),
    errorCode: readOptionalString(row.error_code),
    errorMessage: readOptionalString(row.error_message),
    responseExcerpt: readOptionalString(row.response_excerpt),
  };
}
