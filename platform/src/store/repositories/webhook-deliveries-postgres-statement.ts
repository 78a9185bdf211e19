import type { Knex } from 'knex';
import { LumioError } from '../../errors/index.js';
import { compareCodeUnits, dedupIdentity, planDeliveries, type PreparedWebhookDelivery } from './webhook-delivery-batch.js';
import type { InsertDeliveryResult } from './webhook-event-types.js';

// PostgreSQL path of `webhookEvents.insertDeliveries` for batches of small bodies: one
// statement, so one round trip, where the transaction path takes five. The events are
// inserted first with ON CONFLICT DO NOTHING, and only the deliveries with a new event
// are inserted after them, each with its count. PostgreSQL checks the foreign key from
// events to deliveries at the end of the statement, when both are in place.

/**
 * Largest sum of body bytes sent in one statement. Bodies travel hex-encoded inside an
 * array parameter, twice their size, so larger batches take the transaction path, which
 * splits them.
 */
export const MAX_STATEMENT_BODY_BYTES = 4 * 1024 * 1024;

const INSERT_SQL = `
  WITH event_input AS (
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
      WITH ORDINALITY AS input(id, workspace_id, connection_id, connector_id, delivery_id, dedup_key, provider_event_id, event_type, payload, occurred_at, received_at, position)
  ), inserted AS (
    INSERT INTO webhook_events (id, workspace_id, connection_id, connector_id, delivery_id, dedup_key, provider_event_id, event_type,
                                payload, occurred_at, status, attempts, next_attempt_at, received_at)
    SELECT id, workspace_id, connection_id, connector_id, delivery_id, dedup_key, provider_event_id, event_type,
           payload::jsonb, occurred_at, 'received', 0, received_at, received_at
    FROM event_input
    ORDER BY position
    ON CONFLICT (connection_id, dedup_key) DO NOTHING
    RETURNING id, delivery_id
  ), delivery_input AS (
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::text[])
      AS input(id, workspace_id, connection_id, connector_id, received_at, method, content_type, headers, body, body_sha256, source_ip)
  ), stored_deliveries AS (
    INSERT INTO webhook_deliveries (id, workspace_id, connection_id, connector_id, received_at, method, content_type,
                                    headers, body, body_sha256, source_ip, event_count)
    SELECT delivery.id, delivery.workspace_id, delivery.connection_id, delivery.connector_id, delivery.received_at, delivery.method,
           delivery.content_type, delivery.headers::jsonb, delivery.body, delivery.body_sha256, delivery.source_ip, counts.event_count
    FROM delivery_input AS delivery
    JOIN (SELECT delivery_id, count(*)::integer AS event_count FROM inserted GROUP BY delivery_id) AS counts ON counts.delivery_id = delivery.id
  )
  SELECT id FROM inserted`;

/**
 * Name under which pg prepares INSERT_SQL on each pooled connection, so PostgreSQL parses
 * and plans it once per connection instead of for every batch. With batches of four 1 KB
 * deliveries, that cut PostgreSQL 15's CPU time per delivery by about a third on a 2-core
 * test machine.
 * NOTE: a connection pooler in transaction mode that does not track prepared statements,
 * such as PgBouncer before 1.21, cannot run named statements.
 */
const INSERT_STATEMENT_NAME = 'lumio_webhook_insert_deliveries';

interface EventColumn {
  delivery: PreparedWebhookDelivery;
  event: PreparedWebhookDelivery['events'][number];
}

/** Returns the batch's events in the order every batch inserts them: by connection and dedup key, first occurrence first. */
function insertionOrder(deliveries: PreparedWebhookDelivery[]): EventColumn[] {
  const events = deliveries.flatMap((delivery) => delivery.events.map((event) => ({ delivery, event })));
  // Array.prototype.sort is stable, so repeats of a key keep their batch order.
  return events.sort((left, right) => compareCodeUnits(left.delivery.connectionId, right.delivery.connectionId) || compareCodeUnits(left.event.dedupKey, right.event.dedupKey));
}

/** Returns one array per column. pg sends null elements as SQL NULL, though knex's binding types do not list them. */
function bindings(deliveries: PreparedWebhookDelivery[], events: EventColumn[]): Knex.RawBinding[] {
  const columns: unknown[][] = [
    events.map(({ event }) => event.id),
    events.map(({ delivery }) => delivery.workspaceId),
    events.map(({ delivery }) => delivery.connectionId),
    events.map(({ delivery }) => delivery.connectorId),
    events.map(({ delivery }) => delivery.id),
    events.map(({ event }) => event.dedupKey),
    events.map(({ event }) => event.providerEventId),
    events.map(({ event }) => event.eventType),
    events.map(({ event }) => event.payload),
    events.map(({ event }) => event.occurredAt),
    events.map(({ delivery }) => delivery.receivedAt),
    deliveries.map((delivery) => delivery.id),
    deliveries.map((delivery) => delivery.workspaceId),
    deliveries.map((delivery) => delivery.connectionId),
    deliveries.map((delivery) => delivery.connectorId),
    deliveries.map((delivery) => delivery.receivedAt),
    deliveries.map((delivery) => delivery.method),
    deliveries.map((delivery) => delivery.contentType),
    deliveries.map((delivery) => delivery.headers),
    deliveries.map((delivery) => delivery.body),
    deliveries.map((delivery) => delivery.bodySha256),
    deliveries.map((delivery) => delivery.sourceIp),
  ];
  return columns as Knex.RawBinding[];
}

/** Ids of stored events with these connection and dedup keys, by `dedupIdentity`. */
async function findStoredIds(knex: Knex, keys: Array<{ connectionId: string; dedupKey: string }>): Promise<Map<string, string>> {
  const result: { rows: Array<{ id: string; connection_id: string; dedup_key: string }> } = await knex.raw(
    'SELECT id, connection_id, dedup_key FROM webhook_events WHERE (connection_id, dedup_key) IN (SELECT * FROM unnest(?::text[], ?::text[]))',
    [keys.map((key) => key.connectionId), keys.map((key) => key.dedupKey)],
  );
  return new Map(result.rows.map((row) => [dedupIdentity(row.connection_id, row.dedup_key), row.id]));
}

/**
 * Stores the batch in one statement and returns each delivery's outcome. A second,
 * read-only query runs only when some events were duplicates of stored ones, to find the
 * stored events' ids.
 */
export async function insertDeliveriesInOneStatement(knex: Knex, deliveries: PreparedWebhookDelivery[]): Promise<InsertDeliveryResult[]> {
  const events = insertionOrder(deliveries);
  const result: { rows: Array<{ id: string }> } = await knex.raw(INSERT_SQL, bindings(deliveries, events)).options({ name: INSERT_STATEMENT_NAME });
  const insertedIds = new Set(result.rows.map((row) => row.id));

  // The first occurrence of each key was inserted unless an event stored before has the key.
  const firstOccurrences = new Map<string, { eventId: string; connectionId: string; dedupKey: string }>();
  for (const { delivery, event } of events) {
    const identity = dedupIdentity(delivery.connectionId, event.dedupKey);
    if (!firstOccurrences.has(identity)) firstOccurrences.set(identity, { eventId: event.id, connectionId: delivery.connectionId, dedupKey: event.dedupKey });
  }
  const storedBefore = [...firstOccurrences.values()].filter((first) => !insertedIds.has(first.eventId));
  const storedIds = storedBefore.length === 0 ? new Map<string, string>() : await findStoredIds(knex, storedBefore);

  return planDeliveries(deliveries, (connectionId, dedupKey) => {
    const identity = dedupIdentity(connectionId, dedupKey);
    if (insertedIds.has(firstOccurrences.get(identity)?.eventId ?? '')) return undefined;

    const existingId = storedIds.get(identity);
    // The stored event was deleted (with its connection, say) between the insert and the lookup.
    if (existingId === undefined) {
      throw new LumioError('WEBHOOK_EVENT_CONFLICT', `Event "${dedupKey}" of connection "${connectionId}" conflicted with an event that no longer exists; retry the batch.`, {
        status: 503,
        fault: 'platform',
        details: { connectionId },
      });
    }
    return existingId;
  }).map((plan) => plan.result);
}
