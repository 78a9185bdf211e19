import { LumioError } from '../../errors/index.js';
import { createTimeOrderedId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { readInteger, validateLimit } from '../values.js';
import { claimDueDeliveries, recordDeliveryFailure, recordDeliverySuccess } from './event-delivery-claims.js';
import { DELIVERY_COLUMNS, toAttempt, toStoredDelivery, upsertCursorSql, type EventDeliveryAttemptRow, type EventDeliveryRow } from './event-delivery-rows.js';
import {
  EVENT_DELIVERY_STATUSES,
  type AttemptOutcome,
  type ClaimedEventDelivery,
  type ClaimEventDeliveriesOptions,
  type DeliveryReplaySelection,
  type EventDeliveryAttempt,
  type EventDeliveryPage,
  type EventDeliveryStatus,
  type FailedAttemptOutcome,
  type ListEventDeliveriesOptions,
  type NewEventDelivery,
  type StoredEventDelivery,
} from './event-delivery-types.js';
import { toLumioEvent, type LumioEvent, type LumioEventRow } from './lumio-events.js';
import { decodeCursor, encodeCursor } from './webhook-event-rows.js';

/**
 * Deliveries of Lumio's own events to subscriptions: the fan-out from the `lumio_events`
 * outbox, the queue dispatchers claim from, the attempt log, and replay. Times are epoch
 * milliseconds from the callers' clocks, so processes sharing a database need synchronised
 * clocks: a dispatcher whose clock runs ahead takes over locks early.
 */
export interface EventDeliveryRepository {
  /**
   * Reads the workspace's events after its dispatch cursor, oldest first. The cursor starts
   * before the first event, and `eventSubscriptions.create` moves it to the newest event
   * when a workspace gets its first subscription.
   */
  pendingEvents(workspaceId: string, limit: number): Promise<LumioEvent[]>;
  /**
   * Creates the deliveries (`pending`, due at `now`) and moves the workspace's cursor to
   * `lastEventId`, in one transaction. A subscription and event pair that already has a
   * delivery is skipped, so fanning out the same events twice creates nothing new.
   */
  fanOut(workspaceId: string, deliveries: NewEventDelivery[], lastEventId: string, now: number): Promise<void>;
  /**
   * Claims stalled and due deliveries for a dispatcher (see `claimDueDeliveries`). On
   * PostgreSQL, concurrent dispatchers never receive the same delivery while its lock lasts.
   */
  claimDue(options: ClaimEventDeliveriesOptions): Promise<ClaimedEventDelivery[]>;
  /** Marks a claimed delivery `succeeded` and logs the attempt, only while the claim is `dispatcherId`'s. */
  recordSuccess(deliveryId: string, dispatcherId: string, outcome: AttemptOutcome): Promise<boolean>;
  /** Schedules a retry or marks the delivery `dead`, and logs the attempt, only while the claim is `dispatcherId`'s. */
  recordFailure(deliveryId: string, dispatcherId: string, outcome: FailedAttemptOutcome): Promise<boolean>;
  get(workspaceId: string, deliveryId: string): Promise<StoredEventDelivery | null>;
  /** Lists a subscription's deliveries, newest first. */
  list(options: ListEventDeliveriesOptions): Promise<EventDeliveryPage>;
  /** Reads the attempt logs of these deliveries, each oldest first. Deliveries without attempts map to an empty list. */
  listAttempts(deliveryIds: string[]): Promise<Map<string, EventDeliveryAttempt[]>>;
  /**
   * Sets the selected deliveries of the subscription back to `pending`, due at `now`, with
   * no attempts since the replay, error or lock. Their id and attempt log stay, so the
   * subscriber receives the same `webhook-id` again. Deliveries that are `sending` are left
   * alone. Returns the number of deliveries reset.
   */
  replay(workspaceId: string, subscriptionId: string, selection: DeliveryReplaySelection, now?: number): Promise<number>;
  /** Counts the subscription's deliveries in each status, with 0 for statuses it has none of. */
  countByStatus(subscriptionId: string): Promise<Record<EventDeliveryStatus, number>>;
  /**
   * Deletes `succeeded` and `dead` deliveries created before `createdBeforeMs`, with their
   * attempt logs. Deliveries still to be sent are kept however old. Returns the number deleted.
   */
  purgeOlderThan(createdBeforeMs: number): Promise<number>;
}

const MAX_LIST_LIMIT = 1_000;
/** Rows per insert or update statement, well below SQLite's and PostgreSQL's parameter limits. */
const CHUNK_SIZE = 500;

function checkStatus(status: string): void {
  if (!(EVENT_DELIVERY_STATUSES as readonly string[]).includes(status)) {
    throw new LumioError('EVENT_DELIVERY_STATUS_INVALID', `The status "${status}" is not a delivery status; pass one of ${EVENT_DELIVERY_STATUSES.join(', ')}.`, {
      status: 400,
      fault: 'caller',
      details: { status, field: 'status' },
    });
  }
}

function checkNow(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new LumioError('EVENT_DELIVERY_TIME_INVALID', `The time ${String(now)} is not epoch milliseconds; pass Date.now() or leave it out.`, { status: 500, fault: 'platform' });
  }
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK_SIZE) {
    result.push(items.slice(start, start + CHUNK_SIZE));
  }
  return result;
}

export function createEventDeliveryRepository(context: StoreContext): EventDeliveryRepository {
  const { knex } = context;

  const replayColumns = (now: number) => ({
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    locked_by: null,
    locked_until: null,
    last_status_code: null,
    last_error_code: null,
    last_error_message: null,
    succeeded_at: null,
  });

  return {
    async pendingEvents(workspaceId, limit) {
      validateLimit(limit, MAX_LIST_LIMIT);
      const cursor: { last_event_id: unknown } | undefined = await knex('event_dispatch_cursors').select('last_event_id').where({ workspace_id: workspaceId }).first();

      let query = knex<LumioEventRow>('lumio_events').where({ workspace_id: workspaceId });
      if (cursor?.last_event_id !== null && cursor?.last_event_id !== undefined) {
        query = query.where('id', '>', String(cursor.last_event_id));
      }
      const rows = await query.orderBy('id').limit(limit);
      return rows.map(toLumioEvent);
    },

    async fanOut(workspaceId, deliveries, lastEventId, now) {
      checkNow(now);
      const rows = deliveries.map((delivery) => ({
        id: createTimeOrderedId('msg'),
        workspace_id: workspaceId,
        subscription_id: delivery.subscriptionId,
        event_id: delivery.eventId,
        event_type: delivery.eventType,
        status: 'pending',
        attempts: 0,
        total_attempts: 0,
        next_attempt_at: now,
        created_at: now,
      }));

      await knex.transaction(async (transaction) => {
        for (const chunk of chunks(rows)) {
          await transaction('event_deliveries').insert(chunk).onConflict(['subscription_id', 'event_id']).ignore();
        }
        await transaction.raw(upsertCursorSql, [workspaceId, lastEventId, now]);
      });
    },

    claimDue: (options) => claimDueDeliveries(context, options),
    recordSuccess: (deliveryId, dispatcherId, outcome) => recordDeliverySuccess(context, deliveryId, dispatcherId, outcome),
    recordFailure: (deliveryId, dispatcherId, outcome) => recordDeliveryFailure(context, deliveryId, dispatcherId, outcome),

    async get(workspaceId, deliveryId) {
      const row: EventDeliveryRow | undefined = await knex('event_deliveries').select(DELIVERY_COLUMNS).where({ id: deliveryId, workspace_id: workspaceId }).first();
      return row ? toStoredDelivery(row) : null;
    },

    async list(options) {
      validateLimit(options.limit, MAX_LIST_LIMIT);
      if (options.status !== undefined) {
        checkStatus(options.status);
      }

      let query = knex('event_deliveries').select(DELIVERY_COLUMNS).where({ workspace_id: options.workspaceId, subscription_id: options.subscriptionId });
      if (options.status !== undefined) {
        query = query.where({ status: options.status });
      }
      if (options.cursor) {
        query = query.where('id', '<', decodeCursor(options.cursor, 'msg'));
      }

      // Reading one row past the limit shows whether another page follows.
      const rows: EventDeliveryRow[] = await query.orderBy('id', 'desc').limit(options.limit + 1);
      const deliveries = rows.slice(0, options.limit).map(toStoredDelivery);
      const last = deliveries.at(-1);
      return { deliveries, nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null };
    },

    async listAttempts(deliveryIds) {
      const attempts = new Map<string, EventDeliveryAttempt[]>(deliveryIds.map((id) => [id, []]));
      for (const chunk of chunks([...new Set(deliveryIds)])) {
        const rows: EventDeliveryAttemptRow[] = await knex('event_delivery_attempts').whereIn('delivery_id', chunk).orderBy(['delivery_id', 'number']);
        for (const row of rows) {
          attempts.get(row.delivery_id)?.push(toAttempt(row));
        }
      }
      return attempts;
    },

    async replay(workspaceId, subscriptionId, selection, now = Date.now()) {
      checkNow(now);
      const scope = () => knex('event_deliveries').where({ workspace_id: workspaceId, subscription_id: subscriptionId }).whereNot('status', 'sending');

      if (!Array.isArray(selection)) {
        if (selection.status !== 'dead' && selection.status !== 'failed') {
          throw new LumioError('EVENT_REPLAY_STATUS_INVALID', `Replaying every delivery with status "${String(selection.status)}" is not supported; pass dead or failed, or a list of delivery ids.`, {
            status: 400,
            fault: 'caller',
            details: { field: 'status' },
          });
        }
        return scope().where({ status: selection.status }).update(replayColumns(now));
      }

      let replayed = 0;
      for (const chunk of chunks([...new Set(selection)])) {
        replayed += await scope().whereIn('id', chunk).update(replayColumns(now));
      }
      return replayed;
    },

    async countByStatus(subscriptionId) {
      const rows: Array<{ status: EventDeliveryStatus; count: unknown }> = await knex('event_deliveries')
        .select('status')
        .count({ count: '*' })
        .where({ subscription_id: subscriptionId })
        .groupBy('status');

      const counts = Object.fromEntries(EVENT_DELIVERY_STATUSES.map((status) => [status, 0])) as Record<EventDeliveryStatus, number>;
      for (const row of rows) {
        counts[row.status] = readInteger(row.count);
      }
      return counts;
    },

    async purgeOlderThan(createdBeforeMs) {
      checkNow(createdBeforeMs);
      // The WHERE clause repeats that of the partial index event_deliveries_purgeable.
      return knex('event_deliveries').whereRaw(`status IN ('succeeded', 'dead') AND created_at < ?`, [createdBeforeMs]).delete();
    },
  };
}
