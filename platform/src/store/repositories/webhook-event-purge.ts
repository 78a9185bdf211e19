import { LumioError } from '../../errors/index.js';
import type { StoreContext } from '../store-context.js';
import { rawRows } from './webhook-event-rows.js';

// Retention of webhook events. Only finished events are deleted, so a backlog of
// unprocessed events survives any retention period.

/**
 * Events deleted per transaction. Small batches keep each transaction short, so the
 * router's inserts on SQLite wait for the write lock during one batch at most.
 */
const PURGE_BATCH_SIZE = 1_000;

/** Delivery ids per delete statement, well below SQLite's and PostgreSQL's parameter limits. */
const DELIVERY_CHUNK_SIZE = 500;

// The status list repeats the WHERE clause of the partial index webhook_events_purgeable
// word for word so SQLite can use it. The outer conditions make PostgreSQL re-check rows
// that a concurrent replay changed after the subquery read them.
const DELETE_FINISHED_EVENTS = `
  DELETE FROM webhook_events
  WHERE id IN (
    SELECT id FROM webhook_events
    WHERE status IN ('processed', 'ignored', 'dead') AND received_at < ?
    LIMIT ?
  )
  AND status IN ('processed', 'ignored', 'dead') AND received_at < ?
  RETURNING delivery_id`;

/**
 * Deletes `processed`, `ignored` and `dead` events received before `receivedBeforeMs`,
 * and the deliveries they leave with no events, in batches of PURGE_BATCH_SIZE events.
 * Events that are `received`, `processing` or `failed` are never deleted. Returns the
 * number of events deleted.
 */
export async function purgeEvents({ knex, dialect }: StoreContext, receivedBeforeMs: number): Promise<number> {
  if (!Number.isSafeInteger(receivedBeforeMs)) {
    throw new LumioError('WEBHOOK_TIME_INVALID', `The purge cutoff ${String(receivedBeforeMs)} is not epoch milliseconds; pass an integer such as Date.now() minus the retention period.`, {
      status: 500,
      fault: 'platform',
    });
  }

  let total = 0;
  for (;;) {
    const deleted = await knex.transaction(async (transaction) => {
      const result = await transaction.raw(DELETE_FINISHED_EVENTS, [receivedBeforeMs, PURGE_BATCH_SIZE, receivedBeforeMs]);
      const rows = rawRows<{ delivery_id: string }>(result, dialect);

      // A delivery keeps its row while any of its events remains.
      const deliveryIds = [...new Set(rows.map((row) => row.delivery_id))];
      for (let start = 0; start < deliveryIds.length; start += DELIVERY_CHUNK_SIZE) {
        await transaction('webhook_deliveries')
          .whereIn('id', deliveryIds.slice(start, start + DELIVERY_CHUNK_SIZE))
          .whereNotExists(transaction('webhook_events').select(transaction.raw('1')).whereRaw('webhook_events.delivery_id = webhook_deliveries.id'))
          .delete();
      }
      return rows.length;
    });

    total += deleted;
    if (deleted < PURGE_BATCH_SIZE) {
      return total;
    }
  }
}
