import { LumioError } from '../../errors/index.js';
import { createTimeOrderedId, timeOrderedIdPattern } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { parseJson, readInteger, readOptionalInteger, readOptionalString, serializeJson, validateLimit } from '../values.js';
import { storableText } from './webhook-delivery-batch.js';

/** An audit entry to store. */
export interface NewAuditEntry {
  /** Null for a failed sign-in whose e-mail address belongs to no known workspace. */
  workspaceId: string | null;
  /** Epoch milliseconds. */
  occurredAt: number;
  /** `key:<id>`, `user:<id>`, `system` or `anonymous`. */
  actor: string;
  userId: string | null;
  apiKeyId: string | null;
  /** e.g. `integration.connect`, `api_key.create`, or `POST /v1/...` for unnamed routes. */
  action: string;
  /** Id of the connection, key, user or other object the action touched. */
  resource: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  status: 'success' | 'failure';
  /** HTTP status of the response, or null for events outside a request. */
  statusCode: number | null;
  requestId: string | null;
  /** Context without secret values: body field names, path parameters, error code. */
  metadata: Record<string, unknown> | null;
}

export interface AuditEntry extends NewAuditEntry {
  /** `aud_…`, time-ordered. */
  id: string;
}

export interface ListAuditEntriesOptions {
  workspaceId: string;
  /** An exact action, or a prefix ending in `.*` such as `integration.*`. */
  action?: string;
  resource?: string;
  /** Entries at or after this time, in epoch milliseconds. */
  since?: number;
  /** 1 to 200. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface AuditEntryPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
}

export interface AuditLogRepository {
  /** Stores one entry and returns it with its id. */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries of one workspace, newest first. */
  list(options: ListAuditEntriesOptions): Promise<AuditEntryPage>;
  /**
   * Deletes at most `limit` entries (of any workspace) that occurred before
   * `occurredBeforeMs`, oldest first, and returns how many it deleted. Callers repeat it
   * until it returns less than `limit`, so no single statement holds the write lock long.
   */
  deleteOlderThan(occurredBeforeMs: number, limit: number): Promise<number>;
}

/** Longer user agents are cut to this many characters. */
export const MAX_USER_AGENT_LENGTH = 512;
const MAX_LIST_LIMIT = 200;
const MAX_DELETE_BATCH = 10_000;
const ID_PREFIX = 'aud';
const ID_PATTERN = timeOrderedIdPattern(ID_PREFIX);

type AuditRow = Record<string, unknown>;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    workspaceId: readOptionalString(row.workspace_id),
    occurredAt: readInteger(row.occurred_at),
    actor: String(row.actor),
    userId: readOptionalString(row.user_id),
    apiKeyId: readOptionalString(row.api_key_id),
    action: String(row.action),
    resource: readOptionalString(row.resource),
    ipAddress: readOptionalString(row.ip_address),
    userAgent: readOptionalString(row.user_agent),
    status: row.status === 'success' ? 'success' : 'failure',
    statusCode: readOptionalInteger(row.status_code),
    requestId: readOptionalString(row.request_id),
    metadata: parseJson(row.metadata) as Record<string, unknown> | null,
  };
}

function checkCursor(cursor: string): string {
  if (!ID_PATTERN.test(cursor)) {
    throw new LumioError('INVALID_CURSOR', `The cursor "${cursor.slice(0, 100)}" is not valid; pass the nextCursor of a previous page, or no cursor for the first page.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'cursor' },
    });
  }
  return cursor;
}

/** Escapes LIKE wildcards, so an action prefix matches only itself. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export function createAuditLogRepository({ knex, dialect }: StoreContext): AuditLogRepository {
  return {
    async append(entry) {
      const id = createTimeOrderedId(ID_PREFIX);
      await knex('audit_log').insert({
        id,
        workspace_id: entry.workspaceId,
        occurred_at: entry.occurredAt,
        actor: entry.actor,
        user_id: entry.userId,
        api_key_id: entry.apiKeyId,
        action: storableText(entry.action, dialect),
        resource: storableText(entry.resource, dialect),
        ip_address: storableText(entry.ipAddress, dialect),
        user_agent: storableText(entry.userAgent?.slice(0, MAX_USER_AGENT_LENGTH), dialect),
        status: entry.status,
        status_code: entry.statusCode,
        request_id: storableText(entry.requestId, dialect),
        metadata: entry.metadata === null ? null : serializeJson(entry.metadata, dialect),
      });
      return { ...entry, id };
    },

    async list(options) {
      validateLimit(options.limit, MAX_LIST_LIMIT);

      let query = knex<AuditRow>('audit_log').where({ workspace_id: options.workspaceId }).orderBy('id', 'desc').limit(options.limit + 1);
      if (options.cursor) query = query.where('id', '<', checkCursor(options.cursor));
      if (options.resource !== undefined) query = query.where({ resource: options.resource });
      if (options.since !== undefined) query = query.where('occurred_at', '>=', options.since);
      if (options.action !== undefined) {
        query = options.action.endsWith('.*')
          ? query.whereRaw("action LIKE ? ESCAPE '\\'", [`${escapeLike(options.action.slice(0, -1))}%`])
          : query.where({ action: options.action });
      }

      const rows = await query;
      const entries = rows.slice(0, options.limit).map(toEntry);
      const last = entries.at(-1);
      return { entries, nextCursor: rows.length > options.limit && last ? last.id : null };
    },

    async deleteOlderThan(occurredBeforeMs, limit) {
      validateLimit(limit, MAX_DELETE_BATCH);
      // A subquery with LIMIT works on both databases, where DELETE … LIMIT does not.
      const oldest = knex('audit_log').select('id').where('occurred_at', '<', occurredBeforeMs).orderBy('occurred_at').limit(limit);
      return knex('audit_log').whereIn('id', oldest).delete();
    },
  };
}
