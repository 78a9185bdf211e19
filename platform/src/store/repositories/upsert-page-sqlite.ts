import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Knex } from 'knex';
import { createTimeOrderedId } from '../ids.js';
import { nowIso } from '../values.js';
import { planPage, type PreparedRecordRow, type StoredHash, type UpsertPageInput, type UpsertPageResult } from './record-page.js';
import type { SerializedCheckpoint } from './upsert-page-postgres.js';

// SQLite path of `records.upsertPage`. It runs prepared statements directly on the
// better-sqlite3 connection that knex manages, because knex's per-query overhead would
// cost more than the writes themselves at thousands of rows per second.

interface PageScope {
  workspaceId: string;
  connectionId: string;
  object: string;
  sourceObject: string;
  now: string;
}

interface RecordStatements {
  upsert: Transaction<(scope: PageScope, rows: PreparedRecordRow[], checkpoint: SerializedCheckpoint | undefined) => UpsertPageResult>;
}

const statementsByConnection = new WeakMap<Database, RecordStatements>();

function prepareStatements(database: Database): RecordStatements {
  // One query for the whole page: json_each expands the JSON array of external ids.
  const selectExisting: Statement<[string, string, string], { external_id: string; content_hash: string; deleted: number }> = database.prepare(
    `SELECT external_id, content_hash, deleted FROM records
     WHERE connection_id = ? AND object = ? AND external_id IN (SELECT value FROM json_each(?))`,
  );

  const insert = database.prepare(
    `INSERT INTO records (id, workspace_id, connection_id, object, source_object, external_id, data, raw, content_hash,
                          deleted, deleted_at, source_updated_at, created_at, updated_at)
     VALUES (@id, @workspaceId, @connectionId, @object, @sourceObject, @externalId, @data, @raw, @contentHash,
             @deleted, @deletedAt, @sourceUpdatedAt, @now, @now)`,
  );

  // deleted_at keeps the first deletion time while a record stays deleted.
  const update = database.prepare(
    `UPDATE records SET
       source_object = @sourceObject,
       data = CASE WHEN @keepData = 1 THEN data ELSE @data END,
       raw = CASE WHEN @keepRaw = 1 THEN raw ELSE @raw END,
       content_hash = @contentHash,
       deleted = @deleted,
       deleted_at = CASE WHEN @deleted = 1 THEN COALESCE(deleted_at, @now) ELSE NULL END,
       source_updated_at = COALESCE(@sourceUpdatedAt, source_updated_at),
       updated_at = @now
     WHERE connection_id = @connectionId AND object = @object AND external_id = @externalId`,
  );

  const saveCheckpoint = database.prepare(
    `INSERT INTO sync_state (connection_id, object, state, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (connection_id, object) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
  );

  const upsert = database.transaction((scope: PageScope, rows: PreparedRecordRow[], checkpoint: SerializedCheckpoint | undefined): UpsertPageResult => {
    if (checkpoint) saveCheckpoint.run(scope.connectionId, checkpoint.object, checkpoint.state, scope.now);

    const stored = new Map<string, StoredHash>();
    const externalIds = JSON.stringify(rows.map((row) => row.externalId));
    for (const existing of selectExisting.all(scope.connectionId, scope.object, externalIds)) {
      stored.set(existing.external_id, { contentHash: existing.content_hash, deleted: existing.deleted === 1 });
    }

    const plan = planPage(rows, stored);
    for (const row of plan.inserts) {
      insert.run({
        id: createTimeOrderedId('rec'),
        workspaceId: scope.workspaceId,
        connectionId: scope.connectionId,
        object: scope.object,
        sourceObject: scope.sourceObject,
        externalId: row.externalId,
        data: row.data,
        raw: row.raw,
        contentHash: row.contentHash,
        deleted: row.deleted ? 1 : 0,
        deletedAt: row.deleted ? scope.now : null,
        sourceUpdatedAt: row.sourceUpdatedAt,
        now: scope.now,
      });
    }
    for (const row of plan.updates) {
      update.run({
        connectionId: scope.connectionId,
        object: scope.object,
        sourceObject: scope.sourceObject,
        externalId: row.externalId,
        data: row.data,
        raw: row.raw,
        keepData: row.keepData ? 1 : 0,
        keepRaw: row.keepRaw ? 1 : 0,
        contentHash: row.contentHash,
        deleted: row.deleted ? 1 : 0,
        sourceUpdatedAt: row.sourceUpdatedAt,
        now: scope.now,
      });
    }
    return plan.result;
  });

  return { upsert };
}

export async function upsertPageSqlite(knex: Knex, input: UpsertPageInput, rows: PreparedRecordRow[], checkpoint?: SerializedCheckpoint): Promise<UpsertPageResult> {
  const database = (await knex.client.acquireConnection()) as Database;
  try {
    let statements = statementsByConnection.get(database);
    if (!statements) {
      statements = prepareStatements(database);
      statementsByConnection.set(database, statements);
    }

    // IMMEDIATE takes the write lock before the read, so another process cannot write
    // between reading the hashes and writing the page.
    const scope: PageScope = {
      workspaceId: input.workspaceId,
      connectionId: input.connectionId,
      object: input.object,
      sourceObject: input.sourceObject,
      now: nowIso(),
    };
    return statements.upsert.immediate(scope, rows, checkpoint);
  } finally {
    await knex.client.releaseConnection(database);
  }
}
