import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import { timeOrderedIdPattern } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { parseJson, readBoolean, readInteger, readRequiredTimestamp, readTimestamp, serializeJson, validateLimit } from '../values.js';
import { prepareRows, type UpsertPageInput, type UpsertPageResult } from './record-page.js';
import { selectRowArrays, selectRows, type SelectParameter } from './select-rows.js';
import { upsertPagePostgres } from './upsert-page-postgres.js';
import { upsertPageSqlite } from './upsert-page-sqlite.js';

/** A synced record as stored. */
export interface StoredRecord {
  /** Lumio record id (`rec_…`), time-ordered so listing by id returns records in creation order. */
  id: string;
  workspaceId: string;
  connectionId: string;
  /** Canonical object name, e.g. `contact`. */
  object: string;
  /** Manifest object key, e.g. `contacts`. */
  sourceObject: string;
  externalId: string;
  /** The canonical record. Object keys come back sorted, on both databases. */
  data: unknown;
  /** The provider's record. Object keys come back sorted, on both databases. */
  raw: unknown;
  /** SHA-256 of the last payload received for this record (see `computeContentHash`). */
  contentHash: string;
  deleted: boolean;
  deletedAt: string | null;
  sourceUpdatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ListRecordsInput {
  workspaceId: string;
  object: string;
  /** Only records of these connections. An empty array matches nothing. */
  connectionIds?: string[];
  /** Default false. */
  includeDeleted?: boolean;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** 1 to 1000. */
  limit: number;
}

/**
 * A record as `listWithDataJson` reads it: without the provider's record, the workspace
 * id and the content hash, and with the canonical record as JSON text.
 */
export interface RecordWithDataJson {
  id: string;
  connectionId: string;
  object: string;
  sourceObject: string;
  externalId: string;
  /**
   * The canonical record as the database returns it: the stored text on SQLite (keys sorted,
   * no whitespace), jsonb's output on PostgreSQL (a space after each `:` and `,`).
   */
  dataJson: string;
  deleted: boolean;
  deletedAt: string | null;
  sourceUpdatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RecordPage<Item = StoredRecord> {
  items: Item[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

export interface CountRecordsInput {
  connectionId: string;
  object?: string;
  /** Default false. */
  includeDeleted?: boolean;
}

export interface RecordRepository {
  /**
   * Writes one page of synced records in one transaction: inserts new ones, updates
   * changed ones and skips rows whose content hash is unchanged, with no write.
   */
  upsertPage(input: UpsertPageInput): Promise<UpsertPageResult>;
  /** Records ordered by id (creation order), so new records never shift earlier pages. */
  list(input: ListRecordsInput): Promise<RecordPage>;
  /**
   * The page `list` returns, for `GET /v1/records`: its response leaves out `raw` and embeds
   * `data` as the stored text, so this read skips the `raw` column and parses no JSON.
   */
  listWithDataJson(input: ListRecordsInput): Promise<RecordPage<RecordWithDataJson>>;
  get(id: string): Promise<StoredRecord | null>;
  /** Records of the connection and canonical object with these external ids, deleted ones included, in no set order. */
  findByExternalIds(connectionId: string, object: string, externalIds: string[]): Promise<StoredRecord[]>;
  count(input: CountRecordsInput): Promise<number>;
  /** External ids of the connection's records of a canonical object, for finding records missing from a full sync. */
  listExternalIds(connectionId: string, object: string, options?: { includeDeleted?: boolean; sourceObject?: string }): Promise<string[]>;
}

const MAX_LIST_LIMIT = 1_000;
/** External ids per lookup query, well below SQLite's and PostgreSQL's parameter limits. */
const LOOKUP_CHUNK_SIZE = 500;
const RECORD_ID_PATTERN = timeOrderedIdPattern('rec');
/** Columns of `listWithDataJson`, in the order `toRecordWithDataJson` reads them. */
const DATA_JSON_COLUMNS = 'id, connection_id, object, source_object, external_id, data, deleted, deleted_at, source_updated_at, created_at, updated_at';

interface RecordRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  object: string;
  source_object: string;
  external_id: string;
  data: unknown;
  raw: unknown;
  content_hash: string;
  deleted: unknown;
  deleted_at: unknown;
  source_updated_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

function toRecordWithDataJson(row: unknown[]): RecordWithDataJson {
  const [id, connectionId, object, sourceObject, externalId, data, deleted, deletedAt, sourceUpdatedAt, createdAt, updatedAt] = row;
  return {
    id: String(id),
    connectionId: String(connectionId),
    object: String(object),
    sourceObject: String(sourceObject),
    externalId: String(externalId),
    // Both drivers return JSON columns as text (see knex-config.ts), so the serialisation only covers another driver setup.
    dataJson: typeof data === 'string' ? data : JSON.stringify(data ?? null),
    deleted: readBoolean(deleted),
    deletedAt: readTimestamp(deletedAt),
    sourceUpdatedAt: readTimestamp(sourceUpdatedAt),
    createdAt: readRequiredTimestamp(createdAt),
    updatedAt: readRequiredTimestamp(updatedAt),
  };
}

function toStoredRecord(row: RecordRow): StoredRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    connectionId: row.connection_id,
    object: row.object,
    sourceObject: row.source_object,
    externalId: row.external_id,
    data: parseJson(row.data),
    raw: parseJson(row.raw),
    contentHash: row.content_hash,
    deleted: readBoolean(row.deleted),
    deletedAt: readTimestamp(row.deleted_at),
    sourceUpdatedAt: readTimestamp(row.source_updated_at),
    createdAt: readRequiredTimestamp(row.created_at),
    updatedAt: readRequiredTimestamp(row.updated_at),
  };
}

/** Encodes the last id as base64url. Callers must treat the cursor as opaque. */
function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!RECORD_ID_PATTERN.test(id)) {
    throw new LumioError('INVALID_CURSOR', `The cursor "${cursor}" is not valid; pass the nextCursor of a previous page, or no cursor for the first page.`, {
      status: 400,
      fault: 'caller',
    });
  }
  return id;
}

/**
 * Builds the query of a records page. The SQL text depends only on which filters are set and
 * on the number of connection ids, so a few texts serve every request.
 */
function listQuery(columns: string, input: ListRecordsInput): { sql: string; parameters: SelectParameter[] } {
  const conditions = ['workspace_id = ?', 'object = ?'];
  const parameters: SelectParameter[] = [input.workspaceId, input.object];
  if (input.connectionIds) {
    conditions.push(`connection_id IN (${input.connectionIds.map(() => '?').join(', ')})`);
    parameters.push(...input.connectionIds);
  }
  if (!input.includeDeleted) {
    conditions.push('deleted = FALSE');
  }
  if (input.cursor) {
    conditions.push('id > ?');
    parameters.push(decodeCursor(input.cursor));
  }

  // Reading one row past the limit shows whether another page follows.
  parameters.push(input.limit + 1);
  return { sql: `SELECT ${columns} FROM records WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ?`, parameters };
}

export function createRecordRepository(context: StoreContext): RecordRepository {
  const { knex, dialect, logger } = context;

  async function listPage<Row, Item extends { id: string }>(
    input: ListRecordsInput,
    columns: string,
    select: (sql: string, parameters: SelectParameter[]) => Promise<Row[]>,
    toItem: (row: Row) => Item,
  ): Promise<RecordPage<Item>> {
    validateLimit(input.limit, MAX_LIST_LIMIT);
    if (input.connectionIds && input.connectionIds.length === 0) {
      return { items: [], nextCursor: null };
    }

    const { sql, parameters } = listQuery(columns, input);
    const rows = await select(sql, parameters);
    const items = rows.slice(0, input.limit).map(toItem);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last.id) : null };
  }

  return {
    async upsertPage(input) {
      const rows = prepareRows(input.rows, dialect);
      const checkpoint = input.checkpoint ? { object: input.checkpoint.object, state: serializeJson(input.checkpoint.state, dialect) } : undefined;
      if (rows.length === 0 && !checkpoint) {
        return { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
      }

      try {
        return dialect === 'postgres' ? await upsertPagePostgres(knex, logger, input, rows, checkpoint) : await upsertPageSqlite(knex, input, rows, checkpoint);
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${input.connectionId}" in workspace "${input.workspaceId}" does not exist; records can only be stored for an existing connection.`, {
            status: 404,
            fault: 'platform',
            cause: error,
          });
        }
        throw error;
      }
    },

    list(input) {
      return listPage(input, '*', (sql, parameters) => selectRows<RecordRow>(context, sql, parameters), toStoredRecord);
    },

    listWithDataJson(input) {
      return listPage(input, DATA_JSON_COLUMNS, (sql, parameters) => selectRowArrays(context, sql, parameters), toRecordWithDataJson);
    },

    async get(id) {
      const row = await knex<RecordRow>('records').where({ id }).first();
      return row ? toStoredRecord(row) : null;
    },

    async findByExternalIds(connectionId, object, externalIds) {
      const unique = [...new Set(externalIds)];
      const records: StoredRecord[] = [];
      for (let start = 0; start < unique.length; start += LOOKUP_CHUNK_SIZE) {
        const rows = await knex<RecordRow>('records')
          .where({ connection_id: connectionId, object })
          .whereIn('external_id', unique.slice(start, start + LOOKUP_CHUNK_SIZE));
        records.push(...rows.map(toStoredRecord));
      }
      return records;
    },

    async count(input) {
      let query = knex('records').where({ connection_id: input.connectionId });
      if (input.object !== undefined) {
        query = query.where({ object: input.object });
      }
      if (!input.includeDeleted) {
        query = query.where('deleted', false);
      }
      const row = await query.count<{ count: unknown }[]>({ count: '*' }).first();
      return readInteger(row?.count);
    },

    async listExternalIds(connectionId, object, options = {}) {
      let query = knex('records').where({ connection_id: connectionId, object });
      if (!options.includeDeleted) {
        query = query.where('deleted', false);
      }
      if (options.sourceObject !== undefined) {
        query = query.where('source_object', options.sourceObject);
      }
      const rows: { external_id: string }[] = await query.select('external_id');
      return rows.map((row) => row.external_id);
    },
  };
}
