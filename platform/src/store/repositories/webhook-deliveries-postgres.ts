import type { Knex } from 'knex';
import { LumioError } from '../../errors/index.js';
import { compareCodeUnits, dedupIdentity, planDeliveries, type DeliveryPlan, type PreparedWebhookDelivery, type PreparedWebhookEvent } from './webhook-delivery-batch.js';
import { insertDeliveriesInOneStatement, MAX_STATEMENT_BODY_BYTES } from './webhook-deliveries-postgres-statement.js';
import type { InsertDeliveryResult } from './webhook-event-types.js';

// PostgreSQL path of `webhookEvents.insertDeliveries`. Batches of small bodies take one
// statement (webhook-deliveries-postgres-statement.ts). Larger ones take one transaction:
// one SELECT for stored dedup keys, one multi-row INSERT of the deliveries with new
// events, and one multi-row INSERT … ON CONFLICT DO NOTHING of the events.

/**
 * Rows per INSERT or lookup statement. An event row binds 14 parameters and PostgreSQL
 * allows 65,535 per statement.
 */
const MAX_ROWS_PER_STATEMENT = 2_000;

/** Body bytes per INSERT of deliveries, well below PostgreSQL's 1 GB message limit. */
const MAX_BODY_BYTES_PER_STATEMENT = 16 * 1024 * 1024;

interface EventRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  connector_id: string;
  delivery_id: string;
  dedup_key: string;
  provider_event_id: string | null;
  event_type: string | null;
  payload: string;
  occurred_at: number | null;
  status: 'received';
  attempts: number;
  next_attempt_at: number;
  received_at: number;
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += MAX_ROWS_PER_STATEMENT) {
    result.push(items.slice(start, start + MAX_ROWS_PER_STATEMENT));
  }
  return result;
}

async function findStoredIds(transaction: Knex.Transaction, pairs: Array<[string, string]>): Promise<Map<string, string>> {
  const stored = new Map<string, string>();
  for (const chunk of chunks(pairs)) {
    const rows: Array<{ id: string; connection_id: string; dedup_key: string }> = await transaction('webhook_events')
      .select('id', 'connection_id', 'dedup_key')
      .whereIn(['connection_id', 'dedup_key'], chunk);
    for (const row of rows) {
      stored.set(dedupIdentity(row.connection_id, row.dedup_key), row.id);
    }
  }
  return stored;
}

/** Splits delivery rows so that each INSERT carries at most MAX_BODY_BYTES_PER_STATEMENT, or one row when a body alone is larger. */
function chunksByBodySize<T extends { body: Buffer }>(rows: T[]): T[][] {
  const result: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (current.length > 0 && (bytes + row.body.length > MAX_BODY_BYTES_PER_STATEMENT || current.length >= MAX_ROWS_PER_STATEMENT)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row.body.length;
  }
  if (current.length > 0) {
    result.push(current);
  }
  return result;
}

function toEventRow(delivery: PreparedWebhookDelivery, event: PreparedWebhookEvent): EventRow {
  return {
    id: event.id,
    workspace_id: delivery.workspaceId,
    connection_id: delivery.connectionId,
    connector_id: delivery.connectorId,
    delivery_id: delivery.id,
    dedup_key: event.dedupKey,
    provider_event_id: event.providerEventId,
    event_type: event.eventType,
    payload: event.payload,
    occurred_at: event.occurredAt,
    status: 'received',
    attempts: 0,
    next_attempt_at: delivery.receivedAt,
    received_at: delivery.receivedAt,
  };
}

/**
 * Moves events that a concurrent transaction stored first (between the lookup and the
 * insert) from `inserted` to `duplicates`, then corrects or deletes their deliveries.
 */
async function settleLostInserts(transaction: Knex.Transaction, plans: DeliveryPlan[], insertedIds: Set<string>): Promise<void> {
  const lost = plans.flatMap((plan) => plan.newEvents.filter((event) => !insertedIds.has(event.id)).map((event) => ({ plan, event })));
  if (lost.length === 0) {
    return;
  }

  const winners = await findStoredIds(transaction, lost.map(({ plan, event }) => [plan.delivery.connectionId, event.dedupKey]));
  for (const { plan, event } of lost) {
    const existingId = winners.get(dedupIdentity(plan.delivery.connectionId, event.dedupKey));
    // ON CONFLICT waits for the other transaction and inserts after a rollback, so a
    // missing winner means it was deleted since (its connection was deleted, say).
    // Rolling the batch back lets the provider's retry store the event.
    if (existingId === undefined) {
      throw new LumioError('WEBHOOK_EVENT_CONFLICT', `Event "${event.dedupKey}" of connection "${plan.delivery.connectionId}" conflicted with an event that no longer exists; retry the batch.`, {
        status: 503,
        fault: 'platform',
        details: { connectionId: plan.delivery.connectionId },
      });
    }
    plan.result.inserted = plan.result.inserted.filter((item) => item.id !== event.id);
    plan.result.duplicates.push({ dedupKey: event.dedupKey, existingId });
  }

  for (const plan of new Set(lost.map(({ plan }) => plan))) {
    if (plan.result.inserted.length === 0) {
      await transaction('webhook_deliveries').where({ id: plan.delivery.id }).delete();
      plan.result.deliveryId = null;
    } else {
      await transaction('webhook_deliveries').where({ id: plan.delivery.id }).update({ event_count: plan.result.inserted.length });
    }
  }
}

export async function insertDeliveriesPostgres(knex: Knex, deliveries: PreparedWebhookDelivery[]): Promise<InsertDeliveryResult[]> {
  const bodyBytes = deliveries.reduce((sum, delivery) => sum + delivery.body.length, 0);
  if (bodyBytes <= MAX_STATEMENT_BODY_BYTES) {
    return insertDeliveriesInOneStatement(knex, deliveries);
  }
  return insertDeliveriesInTransaction(knex, deliveries);
}

async function insertDeliveriesInTransaction(knex: Knex, deliveries: PreparedWebhookDelivery[]): Promise<InsertDeliveryResult[]> {
  return knex.transaction(async (transaction) => {
    const pairs = deliveries.flatMap((delivery) => delivery.events.map((event): [string, string] => [delivery.connectionId, event.dedupKey]));
    const stored = await findStoredIds(transaction, pairs);
    const plans = planDeliveries(deliveries, (connectionId, dedupKey) => stored.get(dedupIdentity(connectionId, dedupKey)));

    const toWrite = plans.filter((plan) => plan.newEvents.length > 0);
    const deliveryRows = toWrite.map(({ delivery, newEvents }) => ({
      id: delivery.id,
      workspace_id: delivery.workspaceId,
      connection_id: delivery.connectionId,
      connector_id: delivery.connectorId,
      received_at: delivery.receivedAt,
      method: delivery.method,
      content_type: delivery.contentType,
      headers: delivery.headers,
      body: delivery.body,
      body_sha256: delivery.bodySha256,
      source_ip: delivery.sourceIp,
      event_count: newEvents.length,
    }));
    for (const chunk of chunksByBodySize(deliveryRows)) {
      await transaction('webhook_deliveries').insert(chunk);
    }

    // Every batch inserts keys in the same order, so two batches that share keys wait
    // for each other instead of deadlocking.
    const eventRows = toWrite
      .flatMap(({ delivery, newEvents }) => newEvents.map((event) => toEventRow(delivery, event)))
      .sort((left, right) => compareCodeUnits(left.connection_id, right.connection_id) || compareCodeUnits(left.dedup_key, right.dedup_key));
    const insertedIds = new Set<string>();
    for (const chunk of chunks(eventRows)) {
      const rows: Array<{ id: string }> = await transaction('webhook_events').insert(chunk).onConflict(['connection_id', 'dedup_key']).ignore().returning('id');
      for (const row of rows) {
        insertedIds.add(row.id);
      }
    }

    await settleLostInserts(transaction, toWrite, insertedIds);
    return plans.map((plan) => plan.result);
  });
}
