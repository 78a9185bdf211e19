import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Knex } from 'knex';
import { LumioError } from '../../errors/index.js';
import type { PreparedWebhookDelivery } from './webhook-delivery-batch.js';
import type { InsertDeliveryResult } from './webhook-event-types.js';

// SQLite path of `webhookEvents.insertDeliveries`. Like the records upsert, it runs
// prepared statements on the better-sqlite3 connection that knex manages, because
// knex's per-query overhead would cost more than the writes themselves.

type DeliveryRow = [
  id: string,
  workspaceId: string,
  connectionId: string,
  connectorId: string,
  receivedAt: number,
  method: string,
  contentType: string | null,
  headers: string,
  body: Buffer,
  bodySha256: string,
  sourceIp: string | null,
  eventCount: number,
];

type EventRow = [
  id: string,
  workspaceId: string,
  connectionId: string,
  connectorId: string,
  deliveryId: string,
  dedupKey: string,
  providerEventId: string | null,
  eventType: string | null,
  payload: string,
  occurredAt: number | null,
  nextAttemptAt: number,
  receivedAt: number,
];

interface DeliveryStatements {
  insertBatch: Transaction<(deliveries: PreparedWebhookDelivery[]) => InsertDeliveryResult[]>;
}

const statementsByConnection = new WeakMap<Database, DeliveryStatements>();

function prepareStatements(database: Database): DeliveryStatements {
  const selectExisting: Statement<[string, string], { id: string }> = database.prepare(
    'SELECT id FROM webhook_events WHERE connection_id = ? AND dedup_key = ?',
  );

  // Positional parameters, because named ones need an object per row to bind from, which
  // shows at thousands of rows per second.
  const insertDelivery: Statement<DeliveryRow> = database.prepare(
    `INSERT INTO webhook_deliveries (id, workspace_id, connection_id, connector_id, received_at, method, content_type,
                                     headers, body, body_sha256, source_ip, event_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const deleteDelivery: Statement<[id: string]> = database.prepare('DELETE FROM webhook_deliveries WHERE id = ?');
  const updateEventCount: Statement<[eventCount: number, id: string]> = database.prepare('UPDATE webhook_deliveries SET event_count = ? WHERE id = ?');

  // The conflict clause is the duplicate check: an event inserts no row when the
  // connection has its dedup key, from an earlier batch or earlier in this one. The
  // transaction holds SQLite's write lock, so no other connection stores that key until
  // the commit.
  const insertEvent: Statement<EventRow> = database.prepare(
    `INSERT INTO webhook_events (id, workspace_id, connection_id, connector_id, delivery_id, dedup_key, provider_event_id,
                                 event_type, payload, occurred_at, status, attempts, next_attempt_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', 0, ?, ?)
     ON CONFLICT (connection_id, dedup_key) DO NOTHING`,
  );

  // The delivery row goes in first, because its events reference it. Duplicates are
  // rare, so a delivery is corrected afterwards instead of looking up every key first:
  // its count is lowered when some events were duplicates, and it is deleted when all were.
  const insertOne = (delivery: PreparedWebhookDelivery): InsertDeliveryResult => {
    const { id, workspaceId, connectionId, connectorId, receivedAt, events } = delivery;
    insertDelivery.run(id, workspaceId, connectionId, connectorId, receivedAt, delivery.method, delivery.contentType, delivery.headers, delivery.body, delivery.bodySha256, delivery.sourceIp, events.length);

    const inserted: InsertDeliveryResult['inserted'] = [];
    const duplicates: InsertDeliveryResult['duplicates'] = [];
    for (const event of events) {
      const { changes } = insertEvent.run(event.id, workspaceId, connectionId, connectorId, id, event.dedupKey, event.providerEventId, event.eventType, event.payload, event.occurredAt, receivedAt, receivedAt);
      if (changes > 0) {
        inserted.push({ id: event.id, dedupKey: event.dedupKey });
        continue;
      }
      const existing = selectExisting.get(connectionId, event.dedupKey);
      if (!existing) {
        throw new LumioError('WEBHOOK_EVENT_CONFLICT', `Event "${event.dedupKey}" of connection "${connectionId}" conflicted with an event that could not be found; retry the batch.`, {
          status: 503,
          fault: 'platform',
          details: { connectionId },
        });
      }
      duplicates.push({ dedupKey: event.dedupKey, existingId: existing.id });
    }

    if (inserted.length === 0) {
      deleteDelivery.run(id);
      return { deliveryId: null, inserted, duplicates };
    }
    if (duplicates.length > 0) {
      updateEventCount.run(inserted.length, id);
    }
    return { deliveryId: id, inserted, duplicates };
  };

  const insertBatch = database.transaction((deliveries: PreparedWebhookDelivery[]): InsertDeliveryResult[] => deliveries.map(insertOne));

  return { insertBatch };
}

export async function insertDeliveriesSqlite(knex: Knex, deliveries: PreparedWebhookDelivery[]): Promise<InsertDeliveryResult[]> {
  const database = (await knex.client.acquireConnection()) as Database;
  try {
    let statements = statementsByConnection.get(database);
    if (!statements) {
      statements = prepareStatements(database);
      statementsByConnection.set(database, statements);
    }

    // IMMEDIATE takes the write lock at BEGIN, so no other process writes between an
    // event's conflict and the lookup of the stored event it conflicted with.
    return statements.insertBatch.immediate(deliveries);
  } finally {
    await knex.client.releaseConnection(database);
  }
}
