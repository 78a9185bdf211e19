import type { Knex } from 'knex';
import type { Dialect } from '../dialect.js';
import { createTimeOrderedId } from '../ids.js';
import { nowIso } from '../values.js';
import { prepareRows } from './record-page.js';

// Stores the records a provider accepted through write-back in the `records` table, in the
// same transaction that completes their writes. A record keeps the Lumio id it already
// has for its external id. A new one gets the id its write reserved, so the id an API client
// received with the write becomes the record's id.

/** A record as the provider returned it after a write, mapped to canonical data. */
export interface WrittenRecord {
  /** Lumio id to use when the store has no record with this external id yet. */
  recordId: string;
  externalId: string;
  /** The canonical record, mapped from `raw` with the connection's field mapping. */
  data: unknown;
  /** The provider's record. */
  raw: unknown;
  /** When the provider last changed the record (ISO 8601), or null when unknown. */
  sourceUpdatedAt: string | null;
}

export interface WrittenRecordScope {
  workspaceId: string;
  connectionId: string;
  /** Canonical object name, e.g. `contact`. */
  object: string;
  /** Manifest object key, e.g. `contacts`. */
  sourceObject: string;
}

interface ExistingRow {
  id: string;
  external_id: string;
  content_hash: string;
  deleted: unknown;
}

/**
 * Inserts or updates the records inside `transaction` and returns the Lumio id of each
 * record by external id. A row whose content hash is unchanged is not written. A deleted
 * record that the provider accepted again is live again.
 */
export async function storeWrittenRecords(
  transaction: Knex.Transaction,
  dialect: Dialect,
  scope: WrittenRecordScope,
  records: WrittenRecord[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (records.length === 0) return ids;

  const reserved = new Map(records.map((record) => [record.externalId, record.recordId]));
  const prepared = prepareRows(
    records.map((record) => ({ externalId: record.externalId, data: record.data, raw: record.raw, deleted: false, sourceUpdatedAt: record.sourceUpdatedAt })),
    dialect,
  );

  const existing: ExistingRow[] = await transaction('records')
    .select('id', 'external_id', 'content_hash', 'deleted')
    .where({ connection_id: scope.connectionId, object: scope.object })
    .whereIn('external_id', prepared.map((row) => row.externalId));
  const byExternalId = new Map(existing.map((row) => [row.external_id, row]));

  // A reserved id can already be taken when an update's provider record turned out to be
  // another one (an upsert matched a different record), so those records get a fresh id.
  const rowsWithReservedIds: { id: string }[] = await transaction('records').select('id').whereIn('id', [...reserved.values()]);
  const usedIds = new Set(rowsWithReservedIds.map((row) => row.id));

  const now = nowIso();
  for (const row of prepared) {
    const stored = byExternalId.get(row.externalId);
    if (stored) {
      ids.set(row.externalId, stored.id);
      const deleted = stored.deleted === true || stored.deleted === 1;
      if (stored.content_hash === row.contentHash && !deleted) continue;

      const update: Record<string, unknown> = {
        source_object: scope.sourceObject,
        data: row.data,
        raw: row.raw,
        content_hash: row.contentHash,
        deleted: false,
        deleted_at: null,
        updated_at: now,
      };
      if (row.sourceUpdatedAt !== null) update.source_updated_at = row.sourceUpdatedAt;
      await transaction('records').where({ id: stored.id }).update(update);
      continue;
    }

    const reservedId = reserved.get(row.externalId) as string;
    const id = usedIds.has(reservedId) ? createTimeOrderedId('rec') : reservedId;
    usedIds.add(id);
    await transaction('records').insert({
      id,
      workspace_id: scope.workspaceId,
      connection_id: scope.connectionId,
      object: scope.object,
      source_object: scope.sourceObject,
      external_id: row.externalId,
      data: row.data,
      raw: row.raw,
      content_hash: row.contentHash,
      deleted: false,
      deleted_at: null,
      source_updated_at: row.sourceUpdatedAt,
      created_at: now,
      updated_at: now,
    });
    ids.set(row.externalId, id);
  }
  return ids;
}
