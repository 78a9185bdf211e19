import type { Knex } from 'knex';

import type { PlatformProcess } from './platform-process.js';

// Reads what the platform stored, straight from its database with knex and through its
// REST API, so the crash test can compare both with what the load sent.

export type EventStatusCounts = Record<string, number>;

export interface StoredEventRow {
  id: string;
  providerEventId: string | null;
  status: string;
  deliveryId: string;
}

export interface StoredRecordRow {
  externalId: string;
  raw: unknown;
  data: unknown;
  deleted: boolean;
}

/** Statuses of events the worker has not finished. */
export const OPEN_STATUSES = ['received', 'processing', 'failed'];

export async function countEventsByStatus(knex: Knex, connectionId: string): Promise<EventStatusCounts> {
  const rows: Array<{ status: string; count: number | string }> = await knex('webhook_events').where({ connection_id: connectionId }).select('status').count({ count: '*' }).groupBy('status');
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** Polls until no event of the connection is open, and returns the last counts, open or not. */
export async function waitForSettledEvents(knex: Knex, connectionId: string, timeoutMs: number): Promise<EventStatusCounts> {
  const deadline = Date.now() + timeoutMs;
  let counts = await countEventsByStatus(knex, connectionId);
  while (OPEN_STATUSES.some((status) => (counts[status] ?? 0) > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    counts = await countEventsByStatus(knex, connectionId);
  }
  return counts;
}

/** Number of events left `processing`, such as the claims of a worker that was killed. */
export async function countLockedEvents(knex: Knex, connectionId: string): Promise<number> {
  const row = await knex('webhook_events').where({ connection_id: connectionId, status: 'processing' }).count({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

export async function readStoredEvents(knex: Knex, connectionId: string): Promise<StoredEventRow[]> {
  const rows: Array<{ id: string; provider_event_id: string | null; status: string; delivery_id: string }> = await knex('webhook_events')
    .where({ connection_id: connectionId })
    .select('id', 'provider_event_id', 'status', 'delivery_id');
  return rows.map((row) => ({ id: row.id, providerEventId: row.provider_event_id, status: row.status, deliveryId: row.delivery_id }));
}

/** Stored raw delivery bodies by delivery id. */
export async function readDeliveryBodies(knex: Knex, connectionId: string): Promise<Map<string, Buffer>> {
  const rows: Array<{ id: string; body: Buffer }> = await knex('webhook_deliveries').where({ connection_id: connectionId }).select('id', 'body');
  return new Map(rows.map((row) => [row.id, Buffer.from(row.body)]));
}

/** Number of `type` rows in lumio_events per source webhook event id. */
export async function countLumioEventsBySource(knex: Knex, connectionId: string, type: string): Promise<Map<string | null, number>> {
  const rows: Array<{ source_event_id: string | null; count: number | string }> = await knex('lumio_events')
    .where({ connection_id: connectionId, type })
    .select('source_event_id')
    .count({ count: '*' })
    .groupBy('source_event_id');
  return new Map(rows.map((row) => [row.source_event_id, Number(row.count)]));
}

export async function readRecords(knex: Knex, connectionId: string, object: string): Promise<StoredRecordRow[]> {
  const rows: Array<{ external_id: string; raw: unknown; data: unknown; deleted: unknown }> = await knex('records')
    .where({ connection_id: connectionId, object })
    .select('external_id', 'raw', 'data', 'deleted');
  return rows.map((row) => ({ externalId: row.external_id, raw: parseJsonColumn(row.raw), data: parseJsonColumn(row.data), deleted: Boolean(row.deleted) }));
}

/** Reads every webhook event of the connection through the event log API, following the cursor. */
export async function listEventsThroughApi(platform: PlatformProcess, integration: string): Promise<any[]> {
  return listPages(platform, (cursor) => `/v1/integrations/${integration}/webhooks/logs?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'events');
}

/** Reads every record of the object through the records API, following the cursor. */
export async function listRecordsThroughApi(platform: PlatformProcess, integration: string, object: string): Promise<any[]> {
  return listPages(platform, (cursor) => `/v1/records?integration=${integration}&object=${object}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'records');
}

async function listPages(platform: PlatformProcess, pathOf: (cursor: string | null) => string, field: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await platform.call('GET', pathOf(cursor));
    if (status !== 200) throw new Error(`GET ${pathOf(cursor)} returned ${status}: ${JSON.stringify(body)}`);
    items.push(...body[field]);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

/** JSON columns come back as text on both databases; a driver that parses them is handled too. */
function parseJsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
