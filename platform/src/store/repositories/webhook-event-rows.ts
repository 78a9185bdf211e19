import { LumioError } from '../../errors/index.js';
import type { Dialect } from '../dialect.js';
import { timeOrderedIdPattern } from '../ids.js';
import { parseJson, readInteger, readOptionalInteger, readOptionalString } from '../values.js';
import type { StoredWebhookDelivery, StoredWebhookEvent, WebhookEventStatus } from './webhook-event-types.js';

// Conversions between rows of the webhook tables and repository values. pg returns bigint
// columns as strings and better-sqlite3 returns numbers, so every time is read with readInteger.

/** Columns of `webhook_events` that `list`, `get` and `claimDue` return. */
export const EVENT_COLUMNS = [
  'id',
  'workspace_id',
  'connection_id',
  'connector_id',
  'delivery_id',
  'dedup_key',
  'provider_event_id',
  'event_type',
  'payload',
  'occurred_at',
  'status',
  'attempts',
  'next_attempt_at',
  'locked_by',
  'locked_until',
  'last_error_code',
  'last_error_message',
  'result',
  'received_at',
  'processed_at',
] as const;

export type WebhookEventRow = Record<(typeof EVENT_COLUMNS)[number], unknown>;

export interface WebhookDeliveryRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  connector_id: string;
  received_at: unknown;
  method: string;
  content_type: unknown;
  headers: unknown;
  body: unknown;
  body_sha256: string;
  source_ip: unknown;
  event_count: unknown;
}

export function toStoredEvent(row: WebhookEventRow): StoredWebhookEvent {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    connectionId: String(row.connection_id),
    connectorId: String(row.connector_id),
    deliveryId: String(row.delivery_id),
    dedupKey: String(row.dedup_key),
    providerEventId: readOptionalString(row.provider_event_id),
    eventType: readOptionalString(row.event_type),
    payload: parseJson(row.payload),
    occurredAt: readOptionalInteger(row.occurred_at),
    status: row.status as WebhookEventStatus,
    attempts: readInteger(row.attempts),
    nextAttemptAt: readInteger(row.next_attempt_at),
    lockedBy: readOptionalString(row.locked_by),
    lockedUntil: readOptionalInteger(row.locked_until),
    lastErrorCode: readOptionalString(row.last_error_code),
    lastErrorMessage: readOptionalString(row.last_error_message),
    result: parseJson(row.result),
    receivedAt: readInteger(row.received_at),
    processedAt: readOptionalInteger(row.processed_at),
  };
}

export function toStoredDelivery(row: WebhookDeliveryRow): StoredWebhookDelivery {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    connectionId: row.connection_id,
    connectorId: row.connector_id,
    receivedAt: readInteger(row.received_at),
    method: row.method,
    contentType: readOptionalString(row.content_type),
    headers: parseJson(row.headers) as Record<string, string | string[]>,
    body: Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body as Uint8Array),
    bodySha256: row.body_sha256,
    sourceIp: readOptionalString(row.source_ip),
    eventCount: readInteger(row.event_count),
  };
}

/** Rows of `knex.raw`: better-sqlite3 returns them as an array, pg inside a result object. */
export function rawRows<T>(result: unknown, dialect: Dialect): T[] {
  return dialect === 'postgres' ? (result as { rows: T[] }).rows : (result as T[]);
}

/** Encodes the last id of a page as base64url. Callers must treat the cursor as opaque. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Decodes a cursor that `encodeCursor` made from an id with this prefix. Raises INVALID_CURSOR (400) for any other text. */
export function decodeCursor(cursor: string, prefix: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!timeOrderedIdPattern(prefix).test(id)) {
    throw new LumioError('INVALID_CURSOR', `The cursor "${cursor}" is not valid; pass the nextCursor of a previous page, or no cursor for the first page.`, {
      status: 400,
      fault: 'caller',
    });
  }
  return id;
}
