import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { readInteger, validateLimit } from '../values.js';
import { prepareDeliveries } from './webhook-delivery-batch.js';
import { insertDeliveriesPostgres } from './webhook-deliveries-postgres.js';
import { insertDeliveriesSqlite } from './webhook-deliveries-sqlite.js';
import { claimDueEvents, failEvent } from './webhook-event-claims.js';
import { completeEvent, completeEvents } from './webhook-event-completion.js';
import { purgeEvents } from './webhook-event-purge.js';
import { decodeCursor, encodeCursor, EVENT_COLUMNS, toStoredDelivery, toStoredEvent, type WebhookDeliveryRow, type WebhookEventRow } from './webhook-event-rows.js';
import {
  WEBHOOK_EVENT_STATUSES,
  type ClaimDueOptions,
  type CompleteOutcome,
  type EventCompletion,
  type FailOutcome,
  type InsertDeliveryResult,
  type ListWebhookEventsOptions,
  type NewLumioEvent,
  type NewDelivery,
  type ReplaySelection,
  type StoredWebhookDelivery,
  type StoredWebhookEvent,
  type WebhookEventPage,
  type WebhookEventStatus,
} from './webhook-event-types.js';

/**
 * Received webhook deliveries and the queue of their events. Times are epoch
 * milliseconds from the callers' clocks, so processes sharing a database need
 * synchronised clocks: a worker whose clock runs ahead takes over locks early.
 */
export interface WebhookEventRepository {
  /**
   * Stores a batch of deliveries in one transaction. Each event is stored unless the
   * connection already has its dedup key, and a delivery whose events are all duplicates
   * is not stored. New events are `received` and due at the delivery's `receivedAt`.
   * The caller takes `workspaceId` from the connection, because the store does not
   * compare them. Raises WEBHOOK_DELIVERY_INVALID for a malformed delivery and
   * CONNECTION_NOT_FOUND (404) for a deleted connection; either way nothing of the batch is stored.
   */
  insertDeliveries(deliveries: NewDelivery[]): Promise<InsertDeliveryResult[]>;
  /**
   * Claims due and stalled events for a worker (see `claimDueEvents`). On PostgreSQL,
   * concurrent workers never receive the same event while its lock lasts.
   */
  claimDue(options: ClaimDueOptions): Promise<StoredWebhookEvent[]>;
  /** Marks the event done and stores its Lumio events, only while the claim is `workerId`'s (see `completeEvents`). */
  complete(eventId: string, workerId: string, outcome: CompleteOutcome, lumioEvents?: NewLumioEvent[]): Promise<boolean>;
  /**
   * Marks a batch of events done and stores their Lumio events in one transaction, each
   * only while its claim is `workerId`'s. Returns the ids of the events completed, in the
   * order given (see `completeEvents`).
   */
  completeMany(workerId: string, completions: EventCompletion[]): Promise<string[]>;
  /** Schedules a retry, or marks the event `dead`, only while the claim is `workerId`'s (see `failEvent`). */
  fail(eventId: string, workerId: string, outcome: FailOutcome): Promise<boolean>;
  get(workspaceId: string, eventId: string): Promise<StoredWebhookEvent | null>;
  /** Events of a connection, newest first, without delivery bodies. */
  list(options: ListWebhookEventsOptions): Promise<WebhookEventPage>;
  /** A delivery with its raw body. */
  getDelivery(workspaceId: string, deliveryId: string): Promise<StoredWebhookDelivery | null>;
  /**
   * Sets the selected events of the connection back to `received`, due at `now`, with no
   * attempts, error, result or lock. Events that are `processing` are left alone. Returns
   * the number of events reset.
   */
  replay(workspaceId: string, connectionId: string, selection: ReplaySelection, now?: number): Promise<number>;
  /** Number of the connection's events in each status, 0 for statuses it has none of. */
  countByStatus(connectionId: string): Promise<Record<WebhookEventStatus, number>>;
  /**
   * Deletes `processed`, `ignored` and `dead` events received before `receivedBeforeMs`,
   * then deliveries left with no events. Events still `received`, `processing` or
   * `failed` are kept however old, so no unprocessed event is lost. Returns the number of
   * events deleted.
   */
  purgeOlderThan(receivedBeforeMs: number): Promise<number>;
}

const MAX_LIST_LIMIT = 1_000;
/** Event ids per replay statement, well below SQLite's and PostgreSQL's parameter limits. */
const REPLAY_CHUNK_SIZE = 500;

function checkStatus(status: string): void {
  if (!(WEBHOOK_EVENT_STATUSES as readonly string[]).includes(status)) {
    throw new LumioError('WEBHOOK_EVENT_STATUS_INVALID', `The status "${status}" is not a webhook event status; pass one of ${WEBHOOK_EVENT_STATUSES.join(', ')}.`, {
      status: 400,
      fault: 'caller',
      details: { status },
    });
  }
}

export function createWebhookEventRepository(context: StoreContext): WebhookEventRepository {
  const { knex, dialect } = context;

  const replayColumns = (now: number) => ({
    status: 'received',
    attempts: 0,
    next_attempt_at: now,
    locked_by: null,
    locked_until: null,
    last_error_code: null,
    last_error_message: null,
    result: null,
    processed_at: null,
  });

  return {
    async insertDeliveries(deliveries) {
      if (deliveries.length === 0) {
        return [];
      }
      const prepared = prepareDeliveries(deliveries, dialect, Date.now());

      try {
        return dialect === 'postgres' ? await insertDeliveriesPostgres(knex, prepared) : await insertDeliveriesSqlite(knex, prepared);
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          const connectionIds = [...new Set(deliveries.map((delivery) => delivery.connectionId))];
          throw new LumioError('CONNECTION_NOT_FOUND', `A connection of this webhook batch (${connectionIds.join(', ')}) no longer exists; nothing of the batch was stored, so store the other deliveries again.`, {
            status: 404,
            fault: 'caller',
            details: { connectionIds },
            cause: error,
          });
        }
        throw error;
      }
    },

    claimDue: (options) => claimDueEvents(context, options),
    complete: (eventId, workerId, outcome, lumioEvents) => completeEvent(context, eventId, workerId, outcome, lumioEvents),
    completeMany: (workerId, completions) => completeEvents(context, workerId, completions),
    fail: (eventId, workerId, outcome) => failEvent(context, eventId, workerId, outcome),

    async get(workspaceId, eventId) {
      const row: WebhookEventRow | undefined = await knex('webhook_events').select(EVENT_COLUMNS).where({ id: eventId, workspace_id: workspaceId }).first();
      return row ? toStoredEvent(row) : null;
    },

    async list(options) {
      validateLimit(options.limit, MAX_LIST_LIMIT);
      if (options.status !== undefined) {
        checkStatus(options.status);
      }

      let query = knex('webhook_events').select(EVENT_COLUMNS).where({ workspace_id: options.workspaceId, connection_id: options.connectionId });
      if (options.status !== undefined) {
        query = query.where({ status: options.status });
      }
      if (options.cursor) {
        query = query.where('id', '<', decodeCursor(options.cursor, 'whe'));
      }

      // Reading one row past the limit shows whether another page follows.
      const rows: WebhookEventRow[] = await query.orderBy('id', 'desc').limit(options.limit + 1);
      const events = rows.slice(0, options.limit).map(toStoredEvent);
      const last = events.at(-1);
      return { events, nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null };
    },

    async getDelivery(workspaceId, deliveryId) {
      const row: WebhookDeliveryRow | undefined = await knex('webhook_deliveries').where({ id: deliveryId, workspace_id: workspaceId }).first();
      return row ? toStoredDelivery(row) : null;
    },

    async replay(workspaceId, connectionId, selection, now = Date.now()) {
      if (!Number.isSafeInteger(now) || now < 0) {
        throw new LumioError('WEBHOOK_TIME_INVALID', `The replay time ${String(now)} is not epoch milliseconds; pass Date.now() or leave it out.`, { status: 500, fault: 'platform' });
      }
      const scope = () => knex('webhook_events').where({ workspace_id: workspaceId, connection_id: connectionId }).whereNot('status', 'processing');

      if (!Array.isArray(selection)) {
        if (selection.status !== 'dead' && selection.status !== 'failed') {
          throw new LumioError('WEBHOOK_REPLAY_STATUS_INVALID', `Replaying every event with status "${String(selection.status)}" is not supported; pass dead or failed, or a list of event ids.`, {
            status: 400,
            fault: 'caller',
          });
        }
        return scope().where({ status: selection.status }).update(replayColumns(now));
      }

      const ids = [...new Set(selection)];
      let replayed = 0;
      for (let start = 0; start < ids.length; start += REPLAY_CHUNK_SIZE) {
        replayed += await scope()
          .whereIn('id', ids.slice(start, start + REPLAY_CHUNK_SIZE))
          .update(replayColumns(now));
      }
      return replayed;
    },

    async countByStatus(connectionId) {
      const rows: Array<{ status: WebhookEventStatus; count: unknown }> = await knex('webhook_events')
        .select('status')
        .count({ count: '*' })
        .where({ connection_id: connectionId })
        .groupBy('status');

      const counts = Object.fromEntries(WEBHOOK_EVENT_STATUSES.map((status) => [status, 0])) as Record<WebhookEventStatus, number>;
      for (const row of rows) {
        counts[row.status] = readInteger(row.count);
      }
      return counts;
    },

    purgeOlderThan: (receivedBeforeMs) => purgeEvents(context, receivedBeforeMs),
  };
}
