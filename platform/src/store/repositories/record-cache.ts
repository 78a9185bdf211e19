import type { StoreContext } from '../store-context.js';
import { parseJson, readRequiredTimestamp } from '../values.js';
import { selectRows } from './select-rows.js';

/** A stored provider record that may serve a cached read. */
export interface CachedRecord {
  /** The provider's record as the last sync or webhook event stored it. */
  raw: unknown;
  /** When the platform wrote it, ISO 8601 UTC. */
  updatedAt: string;
}

export interface FreshRecordQuery {
  connectionId: string;
  /** Canonical object name, e.g. `contact`: with the connection and external id it is the table's unique key. */
  object: string;
  /** Manifest object key, e.g. `contacts`. */
  sourceObject: string;
  externalId: string;
  /** Only a record written at or after this time counts, ISO 8601 UTC. */
  writtenSince: string;
}

/**
 * The record store seen as the response cache's last layer. A record counts only while it
 * is newer than the object's cache lifetime and than the last invalidation of its object
 * or connection.
 */
export interface RecordCacheRepository {
  /** Returns the stored record, or null when it is missing, deleted, older than `writtenSince` or invalidated since it was written. */
  readFresh(query: FreshRecordQuery): Promise<CachedRecord | null>;
  /**
   * Retires the stored copies of one manifest object of a connection, or of all its
   * objects when `sourceObject` is undefined, written at or before `at`. A later call with
   * an earlier time leaves the later one in place.
   */
  markInvalidated(connectionId: string, sourceObject: string | undefined, at: string): Promise<void>;
}

/** `source_object` value of an invalidation that covers every object of the connection. */
const EVERY_OBJECT = '';

// The unique (connection_id, object, external_id) index finds the record. An invalidation
// at the same millisecond as the write counts, because the write may have read the
// provider before the change that caused the invalidation.
const READ_FRESH_SQL = `SELECT raw, updated_at FROM records
  WHERE connection_id = ? AND object = ? AND external_id = ? AND source_object = ? AND deleted = FALSE AND updated_at >= ?
    AND NOT EXISTS (
      SELECT 1 FROM record_cache_invalidations
      WHERE record_cache_invalidations.connection_id = records.connection_id
        AND record_cache_invalidations.source_object IN (?, ?)
        AND record_cache_invalidations.invalidated_at >= records.updated_at)`;

interface FreshRow {
  raw: unknown;
  updated_at: unknown;
}

export function createRecordCacheRepository(context: StoreContext): RecordCacheRepository {
  const { knex, dialect } = context;
  const latest = dialect === 'postgres' ? 'GREATEST(record_cache_invalidations.invalidated_at, excluded.invalidated_at)' : 'max(record_cache_invalidations.invalidated_at, excluded.invalidated_at)';
  const markSql = `INSERT INTO record_cache_invalidations (connection_id, source_object, invalidated_at) VALUES (?, ?, ?)
    ON CONFLICT (connection_id, source_object) DO UPDATE SET invalidated_at = ${latest}`;

  return {
    async readFresh(query) {
      const parameters = [query.connectionId, query.object, query.externalId, query.sourceObject, query.writtenSince, query.sourceObject, EVERY_OBJECT];
      const [row] = await selectRows<FreshRow>(context, READ_FRESH_SQL, parameters);
      if (row === undefined) return null;

      return { raw: parseJson(row.raw), updatedAt: readRequiredTimestamp(row.updated_at) };
    },

    async markInvalidated(connectionId, sourceObject, at) {
      await knex.raw(markSql, [connectionId, sourceObject ?? EVERY_OBJECT, at]);
    },
  };
}
