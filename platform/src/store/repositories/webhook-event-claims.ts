import type { Database, Statement, Transaction } from 'better-sqlite3';
import { LumioError } from '../../errors/index.js';
import type { StoreContext } from '../store-context.js';
import { validateLimit } from '../values.js';
import { storableText } from './webhook-delivery-batch.js';
import { EVENT_COLUMNS, rawRows, toStoredEvent, type WebhookEventRow } from './webhook-event-rows.js';
import type { ClaimDueOptions, FailOutcome, StoredWebhookEvent } from './webhook-event-types.js';
import { withSqliteStatements } from './webhook-sqlite-statements.js';

// Worker side of the webhook event queue: claiming due events under a lock with an
// expiry, and failing them only while the claim is still the worker's. Completion is in
// webhook-event-completion.ts.

const MAX_CLAIM_LIMIT = 1_000;

/** Longer error messages are cut to this many characters. */
export const MAX_ERROR_MESSAGE_LENGTH = 2_000;

// The WHERE clauses repeat those of the partial indexes webhook_events_stalled and
// webhook_events_due word for word, because SQLite uses a partial index only when the
// query contains its WHERE terms. Each kind is claimed by its own statement, so both
// databases read the index in order and stop at the limit instead of sorting every
// due event of a backlog.
const STALLED_CONDITION = `status = 'processing' AND locked_until < ?`;
const STALLED_ORDER = 'locked_until, id';
const DUE_CONDITION = `status IN ('received', 'failed') AND next_attempt_at <= ?`;
const DUE_ORDER = 'next_attempt_at, id';

// FOR UPDATE SKIP LOCKED makes concurrent workers pass over rows another worker is
// claiming, and re-checks the condition on rows changed since the statement's snapshot.
function claimPostgresSql(condition: string, order: string): string {
  return `
    WITH picked AS (
      SELECT id FROM webhook_events
      WHERE ${condition}
      ORDER BY ${order}
      LIMIT ?
      FOR UPDATE SKIP LOCKED
    )
    UPDATE webhook_events
    SET status = 'processing', locked_by = ?, locked_until = ?, attempts = webhook_events.attempts + 1
    FROM picked
    WHERE webhook_events.id = picked.id
    RETURNING ${EVENT_COLUMNS.map((column) => `webhook_events.${column}`).join(', ')}`;
}

// One statement is atomic on SQLite, which has a single writer.
function claimSqliteSql(condition: string, order: string): string {
  return `
    UPDATE webhook_events
    SET status = 'processing', locked_by = ?, locked_until = ?, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM webhook_events
      WHERE ${condition}
      ORDER BY ${order}
      LIMIT ?
    )
    RETURNING ${EVENT_COLUMNS.join(', ')}`;
}

// Each statement is prepared under its name on every pooled connection, so PostgreSQL
// parses and plans it once per connection instead of once per claim.
const CLAIM_POSTGRES = {
  stalled: { name: 'lumio_webhook_claim_stalled', sql: claimPostgresSql(STALLED_CONDITION, STALLED_ORDER) },
  due: { name: 'lumio_webhook_claim_due', sql: claimPostgresSql(DUE_CONDITION, DUE_ORDER) },
};

type ClaimStatement = Statement<[string, number, number, number], WebhookEventRow>;

interface ClaimStatements {
  /** Claims stalled events, then due ones up to the limit, in one IMMEDIATE transaction. */
  claim: Transaction<(options: ClaimDueOptions) => { stalled: WebhookEventRow[]; due: WebhookEventRow[] }>;
}

const claimStatementsByConnection = new WeakMap<Database, ClaimStatements>();

function prepareClaimStatements(database: Database): ClaimStatements {
  const stalled: ClaimStatement = database.prepare(claimSqliteSql(STALLED_CONDITION, STALLED_ORDER));
  const due: ClaimStatement = database.prepare(claimSqliteSql(DUE_CONDITION, DUE_ORDER));

  const claim = database.transaction((options: ClaimDueOptions) => {
    const lockedUntil = options.now + options.lockMs;
    const stalledRows = stalled.all(options.workerId, lockedUntil, options.now, options.limit);
    const remaining = options.limit - stalledRows.length;
    const dueRows = remaining > 0 ? due.all(options.workerId, lockedUntil, options.now, remaining) : [];
    return { stalled: stalledRows, due: dueRows };
  });
  return { claim };
}

function invalidArgument(code: string, message: string): LumioError {
  return new LumioError(code, message, { status: 500, fault: 'platform' });
}

function checkClaimOptions(options: ClaimDueOptions): void {
  validateLimit(options.limit, MAX_CLAIM_LIMIT);
  if (typeof options.workerId !== 'string' || options.workerId === '') {
    throw invalidArgument('WEBHOOK_WORKER_ID_INVALID', 'The worker id is empty; pass an id unique to the worker process.');
  }
  if (!Number.isSafeInteger(options.lockMs) || options.lockMs < 1) {
    throw invalidArgument('WEBHOOK_LOCK_INVALID', `The lock duration ${String(options.lockMs)} is not a positive number of milliseconds; pass an integer of at least 1.`);
  }
  if (!Number.isSafeInteger(options.now) || options.now < 0) {
    throw invalidArgument('WEBHOOK_TIME_INVALID', `The time ${String(options.now)} is not epoch milliseconds; pass Date.now().`);
  }
}

/**
 * RETURNING gives no order. The update leaves next_attempt_at as it was, so sorting by it
 * restores the order of due events.
 */
function toSortedEvents(rows: WebhookEventRow[]): StoredWebhookEvent[] {
  return rows.map(toStoredEvent).sort((left, right) => left.nextAttemptAt - right.nextAttemptAt || (left.id < right.id ? -1 : 1));
}

async function runPostgresClaim({ knex }: StoreContext, statement: { name: string; sql: string }, options: ClaimDueOptions, limit: number): Promise<StoredWebhookEvent[]> {
  const result = await knex.raw(statement.sql, [options.now, limit, options.workerId, options.now + options.lockMs]).options({ name: statement.name });
  return toSortedEvents(rawRows<WebhookEventRow>(result, 'postgres'));
}

/**
 * Takes up to `limit` events: first stalled ones (`processing` with a lock that expired
 * before `now`, oldest expiry first), then due ones (`received` or `failed` with
 * next_attempt_at at or before `now`, oldest due time first). Each one becomes
 * `processing`, locked by `workerId` until now + lockMs, with one more attempt. Returns
 * the stalled events, then the due ones, each group sorted by next_attempt_at and id.
 */
export async function claimDueEvents(context: StoreContext, options: ClaimDueOptions): Promise<StoredWebhookEvent[]> {
  checkClaimOptions(options);

  if (context.dialect === 'sqlite') {
    const rows = await withSqliteStatements(context.knex, claimStatementsByConnection, prepareClaimStatements, (statements) => statements.claim.immediate(options));
    return [...toSortedEvents(rows.stalled), ...toSortedEvents(rows.due)];
  }

  const stalled = await runPostgresClaim(context, CLAIM_POSTGRES.stalled, options, options.limit);
  const due = stalled.length < options.limit ? await runPostgresClaim(context, CLAIM_POSTGRES.due, options, options.limit - stalled.length) : [];
  return [...stalled, ...due];
}

/**
 * Records a failed attempt: `failed` with a retry at `nextAttemptAt`, or `dead` when it
 * is null. Fenced like `completeEvent`, so it returns false when the lock was lost.
 */
export async function failEvent({ knex, dialect }: StoreContext, eventId: string, workerId: string, outcome: FailOutcome): Promise<boolean> {
  if (typeof outcome.code !== 'string' || outcome.code === '') {
    throw invalidArgument('WEBHOOK_ERROR_CODE_INVALID', 'The error code of a failed webhook event is empty; pass a stable code such as MAPPING_FAILED.');
  }
  const retry = outcome.nextAttemptAt !== null;
  if (retry && (!Number.isSafeInteger(outcome.nextAttemptAt) || (outcome.nextAttemptAt as number) < 0)) {
    throw invalidArgument('WEBHOOK_TIME_INVALID', `The retry time ${String(outcome.nextAttemptAt)} is not epoch milliseconds; pass a time, or null to give up.`);
  }

  const columns: Record<string, unknown> = {
    status: retry ? 'failed' : 'dead',
    locked_by: null,
    locked_until: null,
    last_error_code: outcome.code,
    last_error_message: storableText(String(outcome.message ?? '').slice(0, MAX_ERROR_MESSAGE_LENGTH), dialect),
  };
  if (retry) {
    columns.next_attempt_at = outcome.nextAttemptAt;
  }
  const changed = await knex('webhook_events').where({ id: eventId, status: 'processing', locked_by: workerId }).update(columns);
  return changed > 0;
}
