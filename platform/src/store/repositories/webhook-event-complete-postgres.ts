import type { Knex } from 'knex';
import type { PreparedCompletion } from './webhook-event-completion.js';

// PostgreSQL path of `webhookEvents.completeMany`: one statement, so one round trip and
// one implicit transaction for the whole batch. Each column travels as one array
// parameter, so the statement's size does not depend on the batch's.

const COMPLETE_SQL = `
  WITH input AS (
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[]) AS input(id, status, result)
  ), updated AS (
    UPDATE webhook_events AS event
    SET status = input.status, result = input.result::jsonb, processed_at = ?, locked_by = NULL, locked_until = NULL,
        last_error_code = NULL, last_error_message = NULL
    FROM input
    WHERE event.id = input.id AND event.status = 'processing' AND event.locked_by = ?
    RETURNING event.id, event.workspace_id, event.connection_id
  ), emitted AS (
    INSERT INTO lumio_events (id, workspace_id, connection_id, type, source_event_id, payload, created_at)
    SELECT emitted.id, updated.workspace_id, updated.connection_id, emitted.type, emitted.source_event_id, emitted.payload::jsonb, ?
    FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS emitted(id, source_event_id, type, payload)
    JOIN updated ON updated.id = emitted.source_event_id
    ORDER BY emitted.id
    ON CONFLICT (source_event_id, type) DO NOTHING
  )
  SELECT id FROM updated`;

/** Name under which pg prepares COMPLETE_SQL on each pooled connection, so PostgreSQL plans it once per connection. */
const COMPLETE_STATEMENT_NAME = 'lumio_webhook_complete_events';

/** Completes the events still locked by `workerId` and returns their ids. */
export async function completeEventsPostgres(knex: Knex, workerId: string, completions: PreparedCompletion[], now: number): Promise<Set<string>> {
  const lumioEvents = completions.flatMap((completion) => completion.lumioEvents.map((event) => ({ ...event, sourceEventId: completion.eventId })));
  const bindings = [
    completions.map((completion) => completion.eventId),
    completions.map((completion) => completion.status),
    completions.map((completion) => completion.result),
    now,
    workerId,
    now,
    lumioEvents.map((event) => event.id),
    lumioEvents.map((event) => event.sourceEventId),
    lumioEvents.map((event) => event.type),
    lumioEvents.map((event) => event.payload),
  ];

  const result: { rows: Array<{ id: string }> } = await knex.raw(COMPLETE_SQL, bindings).options({ name: COMPLETE_STATEMENT_NAME });
  return new Set(result.rows.map((row) => row.id));
}
