import type { Knex } from 'knex';
import { LumioError } from '../../errors/index.js';
import type { Dialect } from '../dialect.js';
import type { StoreContext } from '../store-context.js';
import { validateLimit } from '../values.js';
import { DELIVERY_COLUMNS, toStoredDelivery, type EventDeliveryRow } from './event-delivery-rows.js';
import type { AttemptOutcome, ClaimedEventDelivery, ClaimEventDeliveriesOptions, FailedAttemptOutcome, StoredEventDelivery } from './event-delivery-types.js';
import { toLumioEvent, type LumioEventRow } from './lumio-events.js';
import { storableText } from './webhook-delivery-batch.js';
import { rawRows } from './webhook-event-rows.js';

// Dispatcher side of the delivery queue: claiming due deliveries under a lock with an
// expiry, and recording each attempt only while the claim is still the dispatcher's.

const MAX_CLAIM_LIMIT = 1_000;

/** Longer error messages are cut to this many characters. */
export const MAX_DELIVERY_ERROR_LENGTH = 2_000;

/** Longer response bodies are cut to this many characters in the attempt log. */
export const MAX_RESPONSE_EXCERPT_LENGTH = 500;

// The WHERE clauses repeat those of the partial indexes event_deliveries_stalled and
// event_deliveries_due word for word, because SQLite uses a partial index only when the
// query contains its WHERE terms.
const STALLED_CONDITION = `status = 'sending' AND locked_until < ?`;
const STALLED_ORDER = 'locked_until, id';
const DUE_CONDITION = `status IN ('pending', 'failed') AND next_attempt_at <= ?`;
const DUE_ORDER = 'next_attempt_at, id';

// Unqualified columns are unambiguous in the PostgreSQL form too, because `picked` has only `id`.
const CLAIM_SET = `status = 'sending', locked_by = ?, locked_until = ?, attempts = attempts + 1, total_attempts = total_attempts + 1, last_attempt_at = ?`;

// FOR UPDATE SKIP LOCKED makes concurrent dispatchers pass over rows another one is
// claiming, and re-checks the condition on rows changed since the statement's snapshot.
function claimPostgresSql(condition: string, order: string): string {
  return `
    WITH picked AS (
      SELECT id FROM event_deliveries
      WHERE ${condition}
      ORDER BY ${order}
      LIMIT ?
      FOR UPDATE SKIP LOCKED
    )
    UPDATE event_deliveries
    SET ${CLAIM_SET}
    FROM picked
    WHERE event_deliveries.id = picked.id
    RETURNING ${DELIVERY_COLUMNS.map((column) => `event_deliveries.${column}`).join(', ')}`;
}

// One statement is atomic on SQLite, which has a single writer.
function claimSqliteSql(condition: string, order: string): string {
  return `
    UPDATE event_deliveries
    SET ${CLAIM_SET}
    WHERE id IN (
      SELECT id FROM event_deliveries
      WHERE ${condition}
      ORDER BY ${order}
      LIMIT ?
    )
    RETURNING ${DELIVERY_COLUMNS.join(', ')}`;
}

const CLAIM_SQL: Record<Dialect, { stalled: string; due: string }> = {
  postgres: { stalled: claimPostgresSql(STALLED_CONDITION, STALLED_ORDER), due: claimPostgresSql(DUE_CONDITION, DUE_ORDER) },
  sqlite: { stalled: claimSqliteSql(STALLED_CONDITION, STALLED_ORDER), due: claimSqliteSql(DUE_CONDITION, DUE_ORDER) },
};

function invalidArgument(code: string, message: string): LumioError {
  return new LumioError(code, message, { status: 500, fault: 'platform' });
}

function checkTime(value: unknown, name: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw invalidArgument('EVENT_DELIVERY_TIME_INVALID', `The ${name} ${String(value)} is not epoch milliseconds; pass a non-negative integer such as Date.now().`);
  }
}

function checkClaimOptions(options: ClaimEventDeliveriesOptions): void {
  validateLimit(options.limit, MAX_CLAIM_LIMIT);
  if (typeof options.dispatcherId !== 'string' || options.dispatcherId === '') {
    throw invalidArgument('EVENT_DISPATCHER_ID_INVALID', 'The dispatcher id is empty; pass an id unique to the dispatcher process.');
  }
  if (!Number.isSafeInteger(options.lockMs) || options.lockMs < 1) {
    throw invalidArgument('EVENT_DELIVERY_LOCK_INVALID', `The lock duration ${String(options.lockMs)} is not a positive number of milliseconds; pass an integer of at least 1.`);
  }
  checkTime(options.now, 'claim time');
}

async function runClaim({ knex, dialect }: StoreContext, sql: string, options: ClaimEventDeliveriesOptions, limit: number): Promise<StoredEventDelivery[]> {
  const lockedUntil = options.now + options.lockMs;
  const setBindings = [options.dispatcherId, lockedUntil, options.now];
  const bindings = dialect === 'postgres' ? [options.now, limit, ...setBindings] : [...setBindings, options.now, limit];
  const result = await knex.raw(sql, bindings);
  return rawRows<EventDeliveryRow>(result, dialect).map(toStoredDelivery);
}

async function attachEvents(knex: Knex, deliveries: StoredEventDelivery[]): Promise<ClaimedEventDelivery[]> {
  if (deliveries.length === 0) {
    return [];
  }
  const rows: LumioEventRow[] = await knex('lumio_events').whereIn('id', [...new Set(deliveries.map((delivery) => delivery.eventId))]);
  const events = new Map(rows.map((row) => [row.id, toLumioEvent(row)]));

  // A delivery's event cannot be missing, because deleting an event deletes its deliveries.
  const claimed: ClaimedEventDelivery[] = [];
  for (const delivery of deliveries) {
    const event = events.get(delivery.eventId);
    if (event) {
      claimed.push({ ...delivery, event });
    }
  }
  return claimed;
}

/**
 * Takes up to `limit` deliveries: first stalled ones (`sending` with a lock that expired
 * before `now`), then due ones (`pending` or `failed` with next_attempt_at at or before
 * `now`), oldest first. Each one becomes `sending`, locked by `dispatcherId` until
 * now + lockMs, with one more attempt. Returns them with their events.
 */
export async function claimDueDeliveries(context: StoreContext, options: ClaimEventDeliveriesOptions): Promise<ClaimedEventDelivery[]> {
  checkClaimOptions(options);
  const sql = CLAIM_SQL[context.dialect];

  const stalled = await runClaim(context, sql.stalled, options, options.limit);
  const due = stalled.length < options.limit ? await runClaim(context, sql.due, options, options.limit - stalled.length) : [];

  // RETURNING gives no order, and the claim leaves next_attempt_at as it was.
  const byDueTime = (left: StoredEventDelivery, right: StoredEventDelivery) => left.nextAttemptAt - right.nextAttemptAt || (left.id < right.id ? -1 : 1);
  return attachEvents(context.knex, [...stalled.sort(byDueTime), ...due.sort(byDueTime)]);
}

function attemptColumns(outcome: AttemptOutcome, dialect: Dialect) {
  return {
    attempted_at: outcome.attemptedAt,
    duration_ms: Math.max(0, Math.round(outcome.durationMs)),
    status_code: outcome.statusCode,
    error_code: outcome.errorCode,
    error_message: storableText(outcome.errorMessage?.slice(0, MAX_DELIVERY_ERROR_LENGTH), dialect),
    response_excerpt: storableText(outcome.responseExcerpt?.slice(0, MAX_RESPONSE_EXCERPT_LENGTH), dialect),
  };
}

/**
 * Applies `columns` to a delivery and appends the attempt to its log, in one transaction.
 * Fenced: nothing changes unless the delivery is still `sending` under `dispatcherId`, so
 * a dispatcher whose lock expired and was taken over cannot record over the new owner.
 */
async function recordAttempt({ knex, dialect }: StoreContext, deliveryId: string, dispatcherId: string, outcome: AttemptOutcome, columns: Record<string, unknown>): Promise<boolean> {
  checkTime(outcome.attemptedAt, 'attempt time');

  return knex.transaction(async (transaction) => {
    const updated: Array<{ total_attempts: unknown }> = await transaction('event_deliveries')
      .where({ id: deliveryId, status: 'sending', locked_by: dispatcherId })
      .update({ ...columns, locked_by: null, locked_until: null, last_status_code: outcome.statusCode })
      .returning(['total_attempts']);
    const row = updated[0];
    if (!row) {
      return false;
    }

    await transaction('event_delivery_attempts').insert({ delivery_id: deliveryId, number: Number(row.total_attempts), ...attemptColumns(outcome, dialect) });
    return true;
  });
}

/** Marks a claimed delivery `succeeded`. Returns false when the lock was lost. */
export function recordDeliverySuccess(context: StoreContext, deliveryId: string, dispatcherId: string, outcome: AttemptOutcome): Promise<boolean> {
  return recordAttempt(context, deliveryId, dispatcherId, outcome, {
    status: 'succeeded',
    succeeded_at: outcome.attemptedAt + Math.max(0, Math.round(outcome.durationMs)),
    last_error_code: null,
    last_error_message: null,
  });
}

/**
 * Records a failed attempt: `failed` with a retry at `nextAttemptAt`, or `dead` when it
 * is null. Returns false when the lock was lost.
 */
export function recordDeliveryFailure(context: StoreContext, deliveryId: string, dispatcherId: string, outcome: FailedAttemptOutcome): Promise<boolean> {
  if (typeof outcome.errorCode !== 'string' || outcome.errorCode === '') {
    throw invalidArgument('EVENT_DELIVERY_ERROR_CODE_INVALID', 'The error code of a failed delivery is empty; pass a stable code such as SUBSCRIBER_REJECTED.');
  }
  const retry = outcome.nextAttemptAt !== null;
  if (retry) {
    checkTime(outcome.nextAttemptAt, 'retry time');
  }

  return recordAttempt(context, deliveryId, dispatcherId, outcome, {
    status: retry ? 'failed' : 'dead',
    ...(retry ? { next_attempt_at: outcome.nextAttemptAt } : {}),
    last_error_code: outcome.errorCode,
    last_error_message: storableText(outcome.errorMessage?.slice(0, MAX_DELIVERY_ERROR_LENGTH), context.dialect),
  });
}
