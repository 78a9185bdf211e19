import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Knex } from 'knex';
import { planDeliveries, type PreparedWebhookDelivery } from './webhook-delivery-batch.js';
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

  // The transaction holds SQLite's write lock from its first statement, so the lookup
  // above stays true until the commit. DO NOTHING is a second guard that never fires then.
  const insertEvent: Statement<EventRow> = database.prepare(
    `INSERT INTO webhook_events (id, workspace_id, connection_id, connector_id, delivery_id, dedup_key, provider_event_id,
                                 event_type, payload, occurred_at, status, attempts, next_attempt_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', 0, ?, ?)
     ON CONFLICT (connection_id, dedup_key) DO NOTHING`,
  );

  const insertBatch = database.transaction((deliveries: PreparedWebhookDelivery[]): InsertDeliveryResult[] => {
    const plans = planDeliveries(deliveries, (connectionId, dedupKey) => selectExisting.get(connectionId, dedupKey)?.id);

    for (const { delivery, newEvents } of plans) {
      if (newEvents.length === 0) {
        continue;
      }

      const { id, workspaceId, connectionId, connectorId, receivedAt } = delivery;
      insertDelivery.run(id, workspaceId, connectionId, connectorId, receivedAt, delivery.method, delivery.contentType, delivery.headers, delivery.body, delivery.bodySha256, delivery.sourceIp, newEvents.length);
      for (const event of newEvents) {
        insertEvent.run(event.id, workspaceId, connectionId, connectorId, id, event.dedupKey, event.providerEventId, event.eventType, event.payload, event.occurredAt, receivedAt, receivedAt);
      }
    }
    return plans.map((plan) => plan.result);
  });

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

    // IMMEDIATE takes the write lock before the first lookup, so another process cannot
    // store the same dedup key between the lookup and the insert.
    return statements.insertBatch.immediate(deliveries);
  } finally {
    await knex.client.releaseConnection(database);
  }
}
