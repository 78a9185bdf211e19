import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Knex } from 'knex';
import type { PreparedCompletion } from './webhook-event-completion.js';
import { withSqliteStatements } from './webhook-sqlite-statements.js';

// SQLite path of `webhookEvents.completeMany`: one fenced UPDATE per event and one INSERT
// per Lumio event, as prepared statements inside one IMMEDIATE transaction.

interface CompletionStatements {
  completeAll: Transaction<(workerId: string, completions: PreparedCompletion[], now: number) => Set<string>>;
}

const statementsByConnection = new WeakMap<Database, CompletionStatements>();

function prepareStatements(database: Database): CompletionStatements {
  const complete: Statement<[{ id: string; workerId: string; status: string; result: string; now: number }], { workspace_id: string; connection_id: string }> = database.prepare(
    `UPDATE webhook_events
     SET status = @status, result = @result, processed_at = @now, locked_by = NULL, locked_until = NULL,
         last_error_code = NULL, last_error_message = NULL
     WHERE id = @id AND status = 'processing' AND locked_by = @workerId
     RETURNING workspace_id, connection_id`,
  );

  const insertLumioEvent = database.prepare(
    `INSERT INTO lumio_events (id, workspace_id, connection_id, type, source_event_id, payload, created_at)
     VALUES (@id, @workspaceId, @connectionId, @type, @sourceEventId, @payload, @now)
     ON CONFLICT (source_event_id, type) DO NOTHING`,
  );

  const completeAll = database.transaction((workerId: string, completions: PreparedCompletion[], now: number): Set<string> => {
    const completed = new Set<string>();
    for (const completion of completions) {
      const event = complete.get({ id: completion.eventId, workerId, status: completion.status, result: completion.result, now });
      if (!event) {
        continue;
      }

      completed.add(completion.eventId);
      for (const lumioEvent of completion.lumioEvents) {
        insertLumioEvent.run({ ...lumioEvent, workspaceId: event.workspace_id, connectionId: event.connection_id, sourceEventId: completion.eventId, now });
      }
    }
    return completed;
  });

  return { completeAll };
}

/** Completes the events still locked by `workerId` and returns their ids. */
export function completeEventsSqlite(knex: Knex, workerId: string, completions: PreparedCompletion[], now: number): Promise<Set<string>> {
  return withSqliteStatements(knex, statementsByConnection, prepareStatements, (statements) => statements.completeAll.immediate(workerId, completions, now));
}
