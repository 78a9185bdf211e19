import { LumioError } from '../../errors/index.js';
import type { Dialect } from '../dialect.js';
import { createTimeOrderedId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { serializeJson } from '../values.js';
import { completeEventsPostgres } from './webhook-event-complete-postgres.js';
import { completeEventsSqlite } from './webhook-event-complete-sqlite.js';
import type { CompleteOutcome, EventCompletion, NewLumioEvent } from './webhook-event-types.js';

// Completion of claimed webhook events: status, result and Lumio events of a whole batch
// in one transaction, fenced by the claim.

/** A Lumio event ready to insert: id assigned, payload serialised. */
export interface PreparedLumioEvent {
  id: string;
  type: string;
  payload: string;
}

/** An event completion ready to write: result serialised, Lumio events prepared. */
export interface PreparedCompletion {
  eventId: string;
  status: 'processed' | 'ignored';
  result: string;
  lumioEvents: PreparedLumioEvent[];
}

function invalidArgument(code: string, message: string): LumioError {
  return new LumioError(code, message, { status: 500, fault: 'platform' });
}

function checkCompletion(completion: EventCompletion): void {
  if (typeof completion.eventId !== 'string' || completion.eventId === '') {
    throw invalidArgument('WEBHOOK_EVENT_ID_INVALID', 'A completion has no event id; pass the id of a claimed event.');
  }
  const status: unknown = completion.outcome?.status;
  if (status !== 'processed' && status !== 'ignored') {
    throw invalidArgument('WEBHOOK_OUTCOME_INVALID', `The outcome status "${String(status)}" is not valid; pass processed or ignored.`);
  }
  (completion.lumioEvents ?? []).forEach((event, index) => {
    if (typeof event.type !== 'string' || event.type === '') {
      throw invalidArgument('LUMIO_EVENT_INVALID', `Lumio event ${index} has no type; pass a type such as contact.updated.`);
    }
  });
}

function prepareCompletion(completion: EventCompletion, dialect: Dialect): PreparedCompletion {
  return {
    eventId: completion.eventId,
    status: completion.outcome.status,
    result: serializeJson(completion.outcome.result, dialect),
    lumioEvents: (completion.lumioEvents ?? []).map((event) => ({ id: createTimeOrderedId('evt'), type: event.type, payload: serializeJson(event.payload, dialect) })),
  };
}

/**
 * Marks each event `processed` or `ignored` and stores the Lumio events it emits, all in
 * one transaction. Fenced per event: an event changes only while it is still `processing`
 * under `workerId`, so a worker whose lock expired and was taken over completes nothing of
 * it. A Lumio event type that a webhook event already emitted (before a replay) is
 * skipped. Returns the ids of the events completed, in the order given. Raises
 * WEBHOOK_OUTCOME_INVALID or LUMIO_EVENT_INVALID for a malformed completion, and then
 * completes none of them.
 */
export async function completeEvents({ knex, dialect }: StoreContext, workerId: string, completions: EventCompletion[]): Promise<string[]> {
  completions.forEach(checkCompletion);
  if (completions.length === 0) {
    return [];
  }

  const prepared = completions.map((completion) => prepareCompletion(completion, dialect));
  const now = Date.now();
  const completed = dialect === 'postgres' ? await completeEventsPostgres(knex, workerId, prepared, now) : await completeEventsSqlite(knex, workerId, prepared, now);
  return prepared.map((completion) => completion.eventId).filter((eventId) => completed.has(eventId));
}

/** Completes one event as `completeEvents` does. Returns false when the lock was lost. */
export async function completeEvent(context: StoreContext, eventId: string, workerId: string, outcome: CompleteOutcome, lumioEvents: NewLumioEvent[] = []): Promise<boolean> {
  const completed = await completeEvents(context, workerId, [{ eventId, outcome, lumioEvents }]);
  return completed.length === 1;
}
