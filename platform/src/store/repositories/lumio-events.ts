import { LumioError } from '../../errors/index.js';
import { createTimeOrderedId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { parseJson, readInteger, readOptionalString, serializeJson, validateLimit } from '../values.js';
import { decodeCursor, encodeCursor } from './webhook-event-rows.js';

/** An event Lumio emits for subscribers, e.g. after a webhook event updated a record. */
export interface LumioEvent {
  /** `evt_…`, time-ordered. */
  id: string;
  workspaceId: string;
  /** Null for events about the workspace as a whole, or after the connection was deleted. */
  connectionId: string | null;
  /** E.g. `contact.updated`. */
  type: string;
  /** Id of the webhook event that caused it, or null. */
  sourceEventId: string | null;
  payload: unknown;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** An event recorded outside the webhook worker, such as `sync.completed`. */
export interface AppendLumioEventInput {
  workspaceId: string;
  connectionId?: string | null;
  /** E.g. `sync.completed`. */
  type: string;
  payload: unknown;
}

export interface ListLumioEventsOptions {
  workspaceId: string;
  type?: string;
  sourceEventId?: string;
  /** 1 to 1000. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface LumioEventPage {
  /** Oldest first. */
  events: LumioEvent[];
  /**
   * Cursor after the last event of this page, also on the last page, so a reader can
   * poll with it for newer events. Null when the page is empty: keep the previous cursor.
   */
  nextCursor: string | null;
  /** True when more events follow this page now. */
  hasMore: boolean;
}

/**
 * The outbox of Lumio's own events. Completing a webhook event writes the events it
 * caused (see `webhookEvents.complete`), `append` writes the others, and `list` reads them.
 */
export interface LumioEventRepository {
  /**
   * Events of a workspace in creation order, so a reader that keeps the cursor of its
   * last page later receives only newer events.
   *
   * NOTE: ids made by different processes within one millisecond interleave in random
   * order, so an event committed just after a page was read can sort before that page's
   * cursor and be skipped by such a reader.
   */
  list(options: ListLumioEventsOptions): Promise<LumioEventPage>;
  /** Number of events a webhook event emitted. */
  countBySource(sourceEventId: string): Promise<number>;
  /**
   * Stores an event that no webhook event caused, created now. Raises LUMIO_EVENT_INVALID
   * for an empty type, and the database's foreign key error for an unknown workspace.
   */
  append(input: AppendLumioEventInput): Promise<LumioEvent>;
}

const MAX_LIST_LIMIT = 1_000;

export interface LumioEventRow {
  id: string;
  workspace_id: string;
  connection_id: unknown;
  type: string;
  source_event_id: unknown;
  payload: unknown;
  created_at: unknown;
}

export function toLumioEvent(row: LumioEventRow): LumioEvent {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    connectionId: readOptionalString(row.connection_id),
    type: row.type,
    sourceEventId: readOptionalString(row.source_event_id),
    payload: parseJson(row.payload),
    createdAt: readInteger(row.created_at),
  };
}

export function createLumioEventRepository({ knex, dialect }: StoreContext): LumioEventRepository {
  return {
    async list(options) {
      validateLimit(options.limit, MAX_LIST_LIMIT);

      let query = knex<LumioEventRow>('lumio_events').where({ workspace_id: options.workspaceId });
      if (options.type !== undefined) {
        query = query.where({ type: options.type });
      }
      if (options.sourceEventId !== undefined) {
        query = query.where({ source_event_id: options.sourceEventId });
      }
      if (options.cursor) {
        query = query.where('id', '>', decodeCursor(options.cursor, 'evt'));
      }

      // Reading one row past the limit shows whether another page follows.
      const rows = await query.orderBy('id').limit(options.limit + 1);
      const events = rows.slice(0, options.limit).map(toLumioEvent);
      const last = events.at(-1);
      return { events, nextCursor: last ? encodeCursor(last.id) : null, hasMore: rows.length > options.limit };
    },

    async countBySource(sourceEventId) {
      const row = await knex('lumio_events').where({ source_event_id: sourceEventId }).count<{ count: unknown }[]>({ count: '*' }).first();
      return readInteger(row?.count);
    },

    async append(input) {
      if (typeof input.type !== 'string' || input.type === '') {
        throw new LumioError('LUMIO_EVENT_INVALID', 'The Lumio event has no type; pass a type such as sync.completed.', { status: 500, fault: 'platform' });
      }

      const event: LumioEvent = {
        id: createTimeOrderedId('evt'),
        workspaceId: input.workspaceId,
        connectionId: input.connectionId ?? null,
        type: input.type,
        sourceEventId: null,
        payload: input.payload ?? null,
        createdAt: Date.now(),
      };
      await knex('lumio_events').insert({
        id: event.id,
        workspace_id: event.workspaceId,
        connection_id: event.connectionId,
        type: event.type,
        source_event_id: null,
        payload: serializeJson(event.payload, dialect),
        created_at: event.createdAt,
      });
      return event;
    },
  };
}
