import { LumioError } from '../../errors/index.js';
import { canonicalJson, hashCanonicalParts } from '../canonical-json.js';
import type { Dialect } from '../dialect.js';
import { adaptJsonToDialect, normalizeTimestamp } from '../values.js';

// Database-independent steps of `records.upsertPage`: validating and hashing the rows of
// a page, then sorting them into inserts, updates and unchanged rows once the stored
// hashes are known.

export interface UpsertRecordRow {
  /** The provider's id of the record, unique per connection and object. */
  externalId: string;
  /** The canonical record produced by the mapping. */
  data: unknown;
  /** The provider's record as received. */
  raw: unknown;
  /**
   * True when the provider reports the record deleted. The stored row is then marked
   * deleted, and a null or undefined `data` or `raw` keeps the stored value.
   */
  deleted: boolean;
  /** When the provider last changed the record (ISO 8601). Null or undefined keeps the stored value. */
  sourceUpdatedAt?: string | null;
}

export interface UpsertPageInput {
  workspaceId: string;
  connectionId: string;
  /** Canonical object name, e.g. `contact`. */
  object: string;
  /** Manifest object key, e.g. `contacts`. */
  sourceObject: string;
  rows: UpsertRecordRow[];
  /**
   * Sync checkpoint to save in the same transaction as the rows, so a stored page and the
   * position after it are committed together (or neither is). `object` is the manifest
   * object key the checkpoint belongs to, as in `syncState.save`.
   */
  checkpoint?: { object: string; state: unknown };
}

/**
 * Outcome counts for the distinct external ids of a page. The four counts add up to the
 * number of distinct ids.
 */
export interface UpsertPageResult {
  /** New records stored live. */
  inserted: number;
  /** Records whose content changed, including undeleted ones and changes to records already deleted. */
  updated: number;
  /** Records whose content hash matched: nothing was written. */
  unchanged: number;
  /** Records that became deleted: live ones marked deleted, and new ones that arrived deleted. */
  deleted: number;
}

/** A row ready to write: JSON as stored text, hash computed. */
export interface PreparedRecordRow {
  externalId: string;
  data: string;
  raw: string;
  /** True when a deleted row has no data, so an existing record keeps its stored data. */
  keepData: boolean;
  keepRaw: boolean;
  contentHash: string;
  deleted: boolean;
  sourceUpdatedAt: string | null;
}

export interface StoredHash {
  contentHash: string;
  deleted: boolean;
}

export interface PagePlan {
  inserts: PreparedRecordRow[];
  updates: PreparedRecordRow[];
  result: UpsertPageResult;
}

function invalidRowError(index: number, message: string): LumioError {
  return new LumioError('RECORD_ROW_INVALID', `Row ${index} of the page ${message}`, { status: 500, fault: 'connector', details: { index } });
}

/**
 * Validates, hashes and serialises the rows. When an external id occurs more than once,
 * the last row wins and is counted once.
 */
export function prepareRows(rows: UpsertRecordRow[], dialect: Dialect): PreparedRecordRow[] {
  const byExternalId = new Map<string, PreparedRecordRow>();

  rows.forEach((row, index) => {
    if (typeof row.externalId !== 'string' || row.externalId === '') {
      throw invalidRowError(index, 'has no external id; the primary key of each record must be a non-empty string.');
    }

    const deleted = row.deleted === true;
    const data = row.data ?? null;
    const raw = row.raw ?? null;
    const canonicalData = canonicalJson(data);
    const canonicalRaw = canonicalJson(raw);
    const prepared: PreparedRecordRow = {
      externalId: row.externalId,
      data: adaptJsonToDialect(canonicalData, data, dialect, canonicalJson),
      raw: adaptJsonToDialect(canonicalRaw, raw, dialect, canonicalJson),
      keepData: deleted && data === null,
      keepRaw: deleted && raw === null,
      contentHash: hashCanonicalParts(canonicalData, canonicalRaw, deleted),
      deleted,
      sourceUpdatedAt: normalizeTimestamp(row.sourceUpdatedAt, 'sourceUpdatedAt'),
    };

    // Delete first so the surviving entry takes the position of its last occurrence.
    byExternalId.delete(row.externalId);
    byExternalId.set(row.externalId, prepared);
  });

  return [...byExternalId.values()];
}

export function planPage(rows: PreparedRecordRow[], stored: Map<string, StoredHash>): PagePlan {
  const plan: PagePlan = { inserts: [], updates: [], result: { inserted: 0, updated: 0, unchanged: 0, deleted: 0 } };

  for (const row of rows) {
    const existing = stored.get(row.externalId);
    if (!existing) {
      plan.inserts.push(row);
      if (row.deleted) {
        plan.result.deleted += 1;
      } else {
        plan.result.inserted += 1;
      }
      continue;
    }

    if (existing.contentHash === row.contentHash) {
      plan.result.unchanged += 1;
      continue;
    }

    plan.updates.push(row);
    if (row.deleted && !existing.deleted) {
      plan.result.deleted += 1;
    } else {
      plan.result.updated += 1;
    }
  }
  return plan;
}
