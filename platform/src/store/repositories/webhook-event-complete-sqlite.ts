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
  // Positional parameters, because named ones need an object per row to bind from.
  const complete: Statement<[status: string, result: string, now: number, id: string, workerId: string], { workspace_id: string; connection_id: string }> = database.prepare(
    `UPDATE webhook_events
     SET status = ?, result = ?, processed_at = ?, locked_by = NULL, locked_until = NULL,
         last_error_code = NULL, last_error_message = NULL
     WHERE id = ? AND status = 'processing' AND locked_by = ?
     RETURNING workspace_id, connection_id`,
  );

  const insertLumioEvent: Statement<[id: string, workspaceId: string, connectionId: string, type: string, sourceEventId: string, payload: string, now: number]> = database.prepare(
    `INSERT INTO lumio_events (id, workspace_id, connection_id, type, source_event_id, payload, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_event_id, type) DO NOTHING`,
  );

  const completeAll = database.transaction((workerId: string, completions: PreparedCompletion[], now: number): Set<string> => {
    const completed = new Set<string>();
    for (const completion of completions) {
      const event = complete.get(completion.status, completion.result, now, completion.eventId, workerId);
      if (!event) {
        continue;
      }

      completed.add(completion.eventId);
      for (const lumioEvent of completion.lumioEvents) {
        insertLumioEvent.run(lumioEvent.id, event.workspace_id, event.connection_id, lumioEvent.type, completion.eventId, lumioEvent.payload, now);
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
