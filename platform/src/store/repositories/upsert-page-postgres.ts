import type { Knex } from 'knex';
import type { Logger } from '../../observability/index.js';
import { createTimeOrderedId } from '../ids.js';
import { nowIso } from '../values.js';
import { planPage, type PreparedRecordRow, type StoredHash, type UpsertPageInput, type UpsertPageResult } from './record-page.js';

// PostgreSQL path of `records.upsertPage`: one SELECT for the stored hashes, then one
// multi-row INSERT … ON CONFLICT … DO UPDATE for the new and changed rows.

/**
 * Rows per INSERT statement. Each row binds 14 parameters and PostgreSQL allows 65,535
 * per statement, so pages above this size are written in several statements.
 */
const MAX_ROWS_PER_STATEMENT = 4_000;

/**
 * Inserted rows after which this process first runs ANALYZE on the records table.
 * Without statistics, PostgreSQL estimates one row per connection and object and applies
 * the page's external ids as a filter instead of an index condition. The hash lookup then
 * scans every record of the connection, which took about 8 ms per page at 25,000 records
 * instead of under 1 ms (PostgreSQL 15, test/store/upsert-benchmark.ts on 2 CPUs).
 * Autovacuum also collects statistics, but only on its next round, a minute by default.
 */
const FIRST_ANALYZE_AFTER_ROWS = 5_000;

interface AnalyzeProgress {
  /** Inserted rows that the last ANALYZE run by this process could see. */
  analyzedRows: number;
  insertedSinceAnalyze: number;
}

const analyzeProgressByKnex = new WeakMap<Knex, AnalyzeProgress>();

/**
 * Runs ANALYZE whenever the rows this process inserted since the previous run reach the
 * total at that run (5,000, then 10,000, 20,000 and so on). A first large sync gets
 * statistics early, and the number of runs grows with the logarithm of the rows inserted.
 */
async function analyzeWhenGrown(knex: Knex, logger: Logger, inserted: number): Promise<void> {
  let progress = analyzeProgressByKnex.get(knex);
  if (!progress) {
    progress = { analyzedRows: 0, insertedSinceAnalyze: 0 };
    analyzeProgressByKnex.set(knex, progress);
  }
  progress.insertedSinceAnalyze += inserted;
  if (progress.insertedSinceAnalyze < Math.max(FIRST_ANALYZE_AFTER_ROWS, progress.analyzedRows)) {
    return;
  }

  progress.analyzedRows += progress.insertedSinceAnalyze;
  progress.insertedSinceAnalyze = 0;
  try {
    await knex.raw('ANALYZE records');
    logger.debug({ insertedRows: progress.analyzedRows }, 'analyzed the records table');
  } catch (error) {
    // Statistics only speed up lookups; the page itself is already committed.
    logger.warn({ err: error }, 'ANALYZE of the records table failed; lookups stay slow until autovacuum analyzes it');
  }
}

interface StoredHashRow {
  external_id: string;
  content_hash: string;
  deleted: boolean;
}

/** A checkpoint already serialised for the database. */
export interface SerializedCheckpoint {
  object: string;
  state: string;
}

export async function upsertPagePostgres(knex: Knex, logger: Logger, input: UpsertPageInput, rows: PreparedRecordRow[], checkpoint?: SerializedCheckpoint): Promise<UpsertPageResult> {
  const now = nowIso();

  const result = await knex.transaction(async (transaction) => {
    const stored = new Map<string, StoredHash>();
    const existingRows: StoredHashRow[] = rows.length === 0 ? [] : await transaction('records')
      .select('external_id', 'content_hash', 'deleted')
      .where({ connection_id: input.connectionId, object: input.object })
      .whereRaw('external_id = ANY(?::text[])', [rows.map((row) => row.externalId)]);
    for (const existing of existingRows) {
      stored.set(existing.external_id, { contentHash: existing.content_hash, deleted: existing.deleted });
    }

    const plan = planPage(rows, stored);
    const writes = [...plan.inserts, ...plan.updates].map((row) => ({
      id: createTimeOrderedId('rec'),
      workspace_id: input.workspaceId,
      connection_id: input.connectionId,
      object: input.object,
      source_object: input.sourceObject,
      external_id: row.externalId,
      data: row.data,
      raw: row.raw,
      content_hash: row.contentHash,
      deleted: row.deleted,
      deleted_at: row.deleted ? now : null,
      source_updated_at: row.sourceUpdatedAt,
      created_at: now,
      updated_at: now,
    }));

    for (let start = 0; start < writes.length; start += MAX_ROWS_PER_STATEMENT) {
      // A deleted row whose data or raw is JSON null keeps the stored value, as the
      // SQLite path does. The id and created_at of an existing record never change.
      await transaction('records')
        .insert(writes.slice(start, start + MAX_ROWS_PER_STATEMENT))
        .onConflict(['connection_id', 'object', 'external_id'])
        .merge({
          source_object: knex.raw('excluded.source_object'),
          data: knex.raw(`CASE WHEN excluded.deleted AND excluded.data = 'null'::jsonb THEN records.data ELSE excluded.data END`),
          raw: knex.raw(`CASE WHEN excluded.deleted AND excluded.raw = 'null'::jsonb THEN records.raw ELSE excluded.raw END`),
          content_hash: knex.raw('excluded.content_hash'),
          deleted: knex.raw('excluded.deleted'),
          deleted_at: knex.raw('CASE WHEN excluded.deleted THEN COALESCE(records.deleted_at, excluded.deleted_at) ELSE NULL END'),
          source_updated_at: knex.raw('COALESCE(excluded.source_updated_at, records.source_updated_at)'),
          updated_at: knex.raw('excluded.updated_at'),
        });
    }

    if (checkpoint) {
      await transaction('sync_state')
        .insert({ connection_id: input.connectionId, object: checkpoint.object, state: checkpoint.state, updated_at: now })
        .onConflict(['connection_id', 'object'])
        .merge(['state', 'updated_at']);
    }
    return plan.result;
  });

  // Not awaited: ANALYZE takes a few hundred milliseconds on a large table and only speeds
  // up later lookups, so the sync goes on with the next page meanwhile.
  void analyzeWhenGrown(knex, logger, result.inserted + result.deleted);
  return result;
}
