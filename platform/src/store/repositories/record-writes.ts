import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import { timeOrderedIdPattern } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, readInteger, serializeJson, validateLimit } from '../values.js';
import {
  RECORD_WRITE_STATUSES,
  toRecordWrite,
  toRecordWriteRow,
  type NewRecordWrite,
  type RecordWrite,
  type RecordWriteError,
  type RecordWriteRow,
  type RecordWriteStatus,
  type RecordWriteWarning,
} from './record-write-rows.js';
import { storeWrittenRecords, type WrittenRecord, type WrittenRecordScope } from './written-records.js';

/** The final state of one write. Only a write that is still pending changes. */
export interface RecordWriteOutcome {
  id: string;
  status: Exclude<RecordWriteStatus, 'pending'>;
  /** The provider's id, set on success. */
  externalId?: string;
  /** Set for `failed` and `skipped`. */
  error?: RecordWriteError;
  /** Replaces the stored warnings when given. */
  warnings?: RecordWriteWarning[];
}

export interface CompleteRecordWritesInput {
  scope: WrittenRecordScope;
  outcomes: RecordWriteOutcome[];
  /**
   * Records to store in the same transaction: those the provider accepted, and those whose
   * provider version won a conflict. A succeeded write's `recordId` becomes the id of the
   * stored record with its external id.
   */
  records: WrittenRecord[];
}

export interface ListRecordWritesInput {
  workspaceId: string;
  batchId: string;
  status?: RecordWriteStatus;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** 1 to 1000. */
  limit: number;
}

export interface RecordWritePage {
  items: RecordWrite[];
  nextCursor: string | null;
}

/** A batch that still has pending writes, for re-enqueueing its job after a restart. */
export interface PendingWriteBatch {
  batchId: string;
  connectionId: string;
  sourceObject: string;
}

export interface RecordWriteRepository {
  /** Inserts the writes as pending, all or none. Raises CONNECTION_NOT_FOUND (404) for an unknown connection. */
  insertMany(writes: NewRecordWrite[]): Promise<void>;
  get(id: string): Promise<RecordWrite | null>;
  /** Lists the writes of a batch in request order. */
  listByBatch(input: ListRecordWritesInput): Promise<RecordWritePage>;
  /** Lists the pending writes of a batch in request order. */
  listPending(batchId: string): Promise<RecordWrite[]>;
  /** Counts the writes of a batch per status. */
  countByStatus(batchId: string): Promise<Record<RecordWriteStatus, number>>;
  /** Adds one to `attempts` of each write, before a provider request carries them. */
  addAttempt(ids: string[]): Promise<void>;
  /** Completes writes and stores records in one transaction. */
  complete(input: CompleteRecordWritesInput): Promise<void>;
  /** Marks every pending write of a batch failed with `error`. Returns how many. */
  failPending(batchId: string, error: RecordWriteError): Promise<number>;
  /** Lists the batches with pending writes, oldest first. */
  listPendingBatches(limit: number): Promise<PendingWriteBatch[]>;
  /** Returns the change time of the newest succeeded write per record id, for records that have one. */
  latestSucceededChanges(recordIds: string[]): Promise<Map<string, string>>;
}

const MAX_LIST_LIMIT = 1_000;
/** Rows per INSERT. Each row binds 17 parameters, so a statement stays well below SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK_SIZE = 500;
const WRITE_ID_PATTERN = timeOrderedIdPattern('wr');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!WRITE_ID_PATTERN.test(id)) {
    throw new LumioError('INVALID_CURSOR', `The cursor "${cursor}" is not valid; pass the nextCursor of a previous page, or no cursor for the first page.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'cursor' },
    });
  }
  return id;
}

export function createRecordWriteRepository({ knex, dialect }: StoreContext): RecordWriteRepository {
  return {
    async insertMany(writes) {
      if (writes.length === 0) return;
      const rows = writes.map((write) => toRecordWriteRow(write, dialect));
      try {
        await knex.transaction(async (transaction) => {
          for (let start = 0; start < rows.length; start += INSERT_CHUNK_SIZE) {
            await transaction('record_writes').insert(rows.slice(start, start + INSERT_CHUNK_SIZE));
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${writes[0]?.connectionId}" does not exist; writes can only be queued for an existing connection.`, {
            status: 404,
            fault: 'caller',
            cause: error,
          });
        }
        throw error;
      }
    },

    async get(id) {
      const row = await knex<RecordWriteRow>('record_writes').where({ id }).first();
      return row ? toRecordWrite(row) : null;
    },

    async listByBatch(input) {
      validateLimit(input.limit, MAX_LIST_LIMIT);
      let query = knex<RecordWriteRow>('record_writes').where({ workspace_id: input.workspaceId, batch_id: input.batchId });
      if (input.status) query = query.where('status', input.status);
      if (input.cursor) query = query.where('id', '>', decodeCursor(input.cursor));

      // One row past the limit shows whether another page follows.
      const rows = await query.orderBy('id').limit(input.limit + 1);
      const items = rows.slice(0, input.limit).map(toRecordWrite);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > input.limit && last ? Buffer.from(last.id, 'utf8').toString('base64url') : null };
    },

    async listPending(batchId) {
      const rows = await knex<RecordWriteRow>('record_writes').where({ batch_id: batchId, status: 'pending' }).orderBy('id');
      return rows.map(toRecordWrite);
    },

    async countByStatus(batchId) {
      const rows: { status: RecordWriteStatus; count: unknown }[] = await knex('record_writes').where({ batch_id: batchId }).groupBy('status').select('status').count({ count: '*' });
      const counts = Object.fromEntries(RECORD_WRITE_STATUSES.map((status) => [status, 0])) as Record<RecordWriteStatus, number>;
      for (const row of rows) counts[row.status] = readInteger(row.count);
      return counts;
    },

    async addAttempt(ids) {
      if (ids.length === 0) return;
      await knex('record_writes').whereIn('id', ids).increment('attempts', 1);
    },

    async complete(input) {
      const now = nowIso();
      await knex.transaction(async (transaction) => {
        const recordIds = await storeWrittenRecords(transaction, dialect, input.scope, input.records);

        for (const outcome of input.outcomes) {
          const patch: Record<string, unknown> = {
            status: outcome.status,
            error_code: outcome.error?.code ?? null,
            error_message: outcome.error?.message ?? null,
            error_details: outcome.error?.details ? serializeJson(outcome.error.details, dialect) : null,
            updated_at: now,
            completed_at: now,
          };
          if (outcome.externalId !== undefined) {
            patch.external_id = outcome.externalId;
            const recordId = recordIds.get(outcome.externalId);
            if (recordId !== undefined) patch.record_id = recordId;
          }
          if (outcome.warnings !== undefined) patch.warnings = outcome.warnings.length > 0 ? serializeJson(outcome.warnings, dialect) : null;
          await transaction('record_writes').where({ id: outcome.id, status: 'pending' }).update(patch);
        }
      });
    },

    async failPending(batchId, error) {
      const now = nowIso();
      return knex('record_writes')
        .where({ batch_id: batchId, status: 'pending' })
        .update({
          status: 'failed',
          error_code: error.code,
          error_message: error.message,
          error_details: error.details ? serializeJson(error.details, dialect) : null,
          updated_at: now,
          completed_at: now,
        });
    },

    async listPendingBatches(limit) {
      validateLimit(limit, MAX_LIST_LIMIT);
      // The WHERE clause repeats the partial index's condition, so SQLite can use it.
      const rows = (await knex('record_writes')
        .where('status', 'pending')
        .groupBy('batch_id', 'connection_id', 'source_object')
        .select('batch_id', 'connection_id', 'source_object')
        .min({ first_id: 'id' })
        .orderBy('first_id')
        .limit(limit)) as unknown as { batch_id: string; connection_id: string; source_object: string }[];
      return rows.map((row) => ({ batchId: row.batch_id, connectionId: row.connection_id, sourceObject: row.source_object }));
    },

    async latestSucceededChanges(recordIds) {
      const latest = new Map<string, string>();
      const unique = [...new Set(recordIds)];
      for (let start = 0; start < unique.length; start += INSERT_CHUNK_SIZE) {
        const rows: { record_id: string; changed_at: unknown }[] = await knex('record_writes')
          .where('status', 'succeeded')
          .whereIn('record_id', unique.slice(start, start + INSERT_CHUNK_SIZE))
          .groupBy('record_id')
          .select('record_id')
          .max({ changed_at: 'changed_at' });
        for (const row of rows) {
          const value = row.changed_at instanceof Date ? row.changed_at.toISOString() : new Date(String(row.changed_at)).toISOString();
          latest.set(row.record_id, value);
        }
      }
      return latest;
    },
  };
}
