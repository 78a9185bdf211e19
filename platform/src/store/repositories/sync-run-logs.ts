import { LumioError } from '../../errors/index.js';
import type { StoreContext } from '../store-context.js';
import { parseJson, readInteger, readOptionalInteger, readOptionalString, serializeJson, validateLimit } from '../values.js';
import { storableText } from './webhook-delivery-batch.js';

/** Kind of a log entry: a run's start, a page, a retried request, a record error, or how the attempt ended. */
export type SyncRunLogKind = 'started' | 'page' | 'retry' | 'record_error' | 'interrupted' | 'failed' | 'succeeded';

/** Longer messages are cut to this many characters. */
export const MAX_SYNC_LOG_MESSAGE_LENGTH = 2_000;

/** A log entry to append. Fields that do not apply to its kind stay undefined. */
export interface NewSyncRunLogEntry {
  kind: SyncRunLogKind;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The job attempt that wrote the entry. */
  attempt?: number;
  /** Page number within the run, 1 for the first. */
  page?: number;
  records?: number;
  inserted?: number;
  updated?: number;
  unchanged?: number;
  deleted?: number;
  durationMs?: number;
  /** The provider's request or correlation id. */
  requestId?: string;
  /** Stable error code of an entry that describes a failure. */
  code?: string;
  message?: string;
  /** Small JSON object with more fields (external id, phase, worker). Never a secret. */
  details?: Record<string, unknown>;
}

export interface SyncRunLogEntry extends NewSyncRunLogEntry {
  /** Position in the log, increasing in insertion order. */
  seq: number;
  runId: string;
}

export interface ListSyncRunLogOptions {
  runId: string;
  /** `failed` lists only entries with an error code; `pages` only page entries. */
  filter?: 'all' | 'failed' | 'pages';
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** 1 to 1000. */
  limit: number;
}

export interface SyncRunLogPage {
  entries: SyncRunLogEntry[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

export interface SyncRunLogRepository {
  /** Appends entries to a run's log in one statement. */
  append(runId: string, entries: NewSyncRunLogEntry[]): Promise<void>;
  /** Entries of a run in insertion order. */
  list(options: ListSyncRunLogOptions): Promise<SyncRunLogPage>;
}

const MAX_LIST_LIMIT = 1_000;
/** Entries per insert statement: 17 parameters each, well below SQLite's limit of 32,766. */
const APPEND_CHUNK_SIZE = 500;

type SyncRunLogRow = Record<string, unknown>;

const COUNT_FIELDS = [
  ['page', 'page'],
  ['records', 'records'],
  ['inserted', 'inserted'],
  ['updated', 'updated'],
  ['unchanged', 'unchanged'],
  ['deleted', 'deleted'],
  ['durationMs', 'duration_ms'],
  ['attempt', 'attempt'],
] as const;

function toEntry(row: SyncRunLogRow): SyncRunLogEntry {
  const entry: SyncRunLogEntry = {
    seq: readInteger(row.seq),
    runId: String(row.run_id),
    kind: row.kind as SyncRunLogKind,
    createdAt: readInteger(row.created_at),
  };
  for (const [field, column] of COUNT_FIELDS) {
    const value = readOptionalInteger(row[column]);
    if (value !== null) entry[field] = value;
  }

  const requestId = readOptionalString(row.request_id);
  if (requestId !== null) entry.requestId = requestId;
  const code = readOptionalString(row.code);
  if (code !== null) entry.code = code;
  const message = readOptionalString(row.message);
  if (message !== null) entry.message = message;
  const details = parseJson(row.details);
  if (details !== null) entry.details = details as Record<string, unknown>;
  return entry;
}

function encodeCursor(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(seq)) {
    throw new LumioError('INVALID_CURSOR', `The cursor "${cursor.slice(0, 100)}" is not valid; pass the nextCursor of a previous page, or no cursor for the first page.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'cursor' },
    });
  }
  return seq;
}

export function createSyncRunLogRepository({ knex, dialect }: StoreContext): SyncRunLogRepository {
  const toRow = (runId: string, entry: NewSyncRunLogEntry) => ({
    run_id: runId,
    kind: entry.kind,
    created_at: entry.createdAt,
    attempt: entry.attempt ?? null,
    page: entry.page ?? null,
    records: entry.records ?? null,
    inserted: entry.inserted ?? null,
    updated: entry.updated ?? null,
    unchanged: entry.unchanged ?? null,
    deleted: entry.deleted ?? null,
    duration_ms: entry.durationMs === undefined ? null : Math.round(entry.durationMs),
    request_id: storableText(entry.requestId, dialect),
    code: storableText(entry.code, dialect),
    message: storableText(entry.message?.slice(0, MAX_SYNC_LOG_MESSAGE_LENGTH), dialect),
    details: entry.details === undefined ? null : serializeJson(entry.details, dialect),
  });

  return {
    async append(runId, entries) {
      for (let start = 0; start < entries.length; start += APPEND_CHUNK_SIZE) {
        const rows = entries.slice(start, start + APPEND_CHUNK_SIZE).map((entry) => toRow(runId, entry));
        await knex('sync_run_logs').insert(rows);
      }
    },

    async list(options) {
      validateLimit(options.limit, MAX_LIST_LIMIT);

      let query = knex<SyncRunLogRow>('sync_run_logs').where({ run_id: options.runId }).orderBy('seq').limit(options.limit + 1);
      if (options.cursor) query = query.where('seq', '>', decodeCursor(options.cursor));
      if (options.filter === 'failed') query = query.whereNotNull('code');
      if (options.filter === 'pages') query = query.where({ kind: 'page' });

      const rows = await query;
      const entries = rows.slice(0, options.limit).map(toEntry);
      const last = entries.at(-1);
      return { entries, nextCursor: rows.length > options.limit && last ? encodeCursor(last.seq) : null };
    },
  };
}
