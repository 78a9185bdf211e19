import { LumioError } from '../../errors/index.js';
import type { LookupRecords } from '../../mapping/index.js';
import { computeContentHash, type Connection, type Store, type UpsertRecordRow } from '../../store/index.js';
import type { RecordSnapshot } from './stale-reason.js';

/** Effect of a row on its record, counted as `records.upsertPage` counts it. */
export type RecordChange = 'created' | 'updated' | 'deleted' | 'unchanged';

/**
 * A record's content hash, computed only when a comparison needs it: most records of a
 * batch are new and touched once, and `records.upsertPage` hashes every row again anyway.
 */
class ContentHash {
  #value: string | undefined;
  readonly #row: UpsertRecordRow | undefined;

  constructor(value: string | undefined, row?: UpsertRecordRow) {
    this.#value = value;
    this.#row = row;
  }

  get value(): string {
    this.#value ??= computeContentHash(this.#row?.data, this.#row?.raw, this.#row?.deleted ?? false);
    return this.#value;
  }
}

interface RecordState extends RecordSnapshot {
  contentHash: ContentHash;
  deleted: boolean;
}

interface PendingRow {
  canonicalObject: string;
  sourceObject: string;
  row: UpsertRecordRow;
  contentHash: ContentHash;
}

/** Code of the error that makes the worker process a connection's events one at a time. */
export const BATCH_WRITE_FAILED = 'WEBHOOK_BATCH_WRITE_FAILED';

function isMissing(value: unknown): boolean {
  return value === null || value === undefined;
}

function recordKey(canonicalObject: string, externalId: string): string {
  return `${canonicalObject}\u0000${externalId}`;
}

/**
 * The records one connection's batch of webhook events touches, kept in memory while the
 * batch is applied and written at the end with one `records.upsertPage` per object.
 *
 * Each row is applied to the in-memory state at once, so a later event of the batch finds
 * what an earlier one did, exactly as if the earlier one had been written. Only the last
 * row per record is written, which leaves the record as writing every row in turn would,
 * apart from its `updated_at` time. Three cases write pending rows early: a deletion that
 * keeps the stored data must follow the row it keeps, a row that brings back the stored
 * content would otherwise be skipped as unchanged, and a mapping lookup reads records from
 * the database.
 */
export class BatchRecords {
  readonly #store: Store;
  readonly #connection: Connection;
  readonly #state = new Map<string, RecordState>();
  readonly #pending = new Map<string, PendingRow>();
  /** Position of each record in the batch's event order, so records are created in that order. */
  readonly #positions = new Map<string, number>();
  /** The write in progress; writes run one after another so a later row never lands first. */
  #writing: Promise<void> = Promise.resolve();
  #failure: LumioError | null = null;
  /** Content hash of each record as stored in the database, from the load and from later writes. */
  readonly #writtenHashes = new Map<string, ContentHash>();

  constructor(store: Store, connection: Connection) {
    this.#store = store;
    this.#connection = connection;
  }

  /** Notes that the batch touches this record, in event order. Call it before `apply`. */
  reserve(canonicalObject: string, externalId: string): void {
    const key = recordKey(canonicalObject, externalId);
    if (!this.#positions.has(key)) this.#positions.set(key, this.#positions.size);
  }

  /** Reads the stored state of every record reserved for `canonicalObject`, in one query. */
  async load(canonicalObject: string): Promise<void> {
    const prefix = recordKey(canonicalObject, '');
    const externalIds = [...this.#positions.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
    const stored = await this.#store.records.findByExternalIds(this.#connection.id, canonicalObject, externalIds);

    for (const record of stored) {
      const contentHash = new ContentHash(record.contentHash);
      this.#writtenHashes.set(recordKey(canonicalObject, record.externalId), contentHash);
      this.#state.set(recordKey(canonicalObject, record.externalId), {
        contentHash,
        deleted: record.deleted,
        raw: record.raw,
        sourceUpdatedAt: record.sourceUpdatedAt,
      });
    }
  }

  /** Returns the record as the events applied so far left it, or undefined when it does not exist. */
  current(canonicalObject: string, externalId: string): RecordSnapshot | undefined {
    return this.#state.get(recordKey(canonicalObject, externalId));
  }

  /**
   * Applies one row to the record, as `records.upsertPage` would: a row with the stored
   * content hash changes nothing, a deletion without data or raw keeps the stored ones,
   * and a row without `sourceUpdatedAt` keeps the stored time.
   */
  async apply(canonicalObject: string, sourceObject: string, row: UpsertRecordRow): Promise<RecordChange> {
    const key = recordKey(canonicalObject, row.externalId);
    const existing = this.#state.get(key);
    const contentHash = new ContentHash(undefined, row);
    if (existing && existing.contentHash.value === contentHash.value) return 'unchanged';

    // Writing only the last row would be wrong in two cases, so the pending row goes first:
    // a deletion keeps the data of the row before it, and a row that restores the
    // database's content would be skipped as unchanged.
    const keepsStored = row.deleted && (isMissing(row.data) || isMissing(row.raw));
    const written = this.#writtenHashes.get(key);
    if (this.#pending.has(key) && (keepsStored || (written !== undefined && written.value === contentHash.value))) await this.flush();

    const sourceUpdatedAt = row.sourceUpdatedAt ?? existing?.sourceUpdatedAt ?? null;
    const raw = row.deleted && isMissing(row.raw) ? (existing?.raw ?? null) : row.raw;
    this.#state.set(key, { contentHash, deleted: row.deleted, raw, sourceUpdatedAt });

    const pendingTime = this.#pending.get(key)?.row.sourceUpdatedAt ?? null;
    this.#pending.set(key, { canonicalObject, sourceObject, row: { ...row, sourceUpdatedAt: row.sourceUpdatedAt ?? pendingTime }, contentHash });

    if (!existing) return row.deleted ? 'deleted' : 'created';
    return row.deleted && !existing.deleted ? 'deleted' : 'updated';
  }

  /** Finds records for mapping lookups, after writing the pending rows they would see. */
  readonly lookup: LookupRecords = async (canonicalObject, externalIds) => {
    if (externalIds.some((externalId) => this.#pending.has(recordKey(canonicalObject, externalId)))) await this.flush();
    await this.#writing;

    const found = await this.#store.records.findByExternalIds(this.#connection.id, canonicalObject, externalIds);
    return new Map(found.map((record) => [record.externalId, { id: record.id, data: record.data as Record<string, unknown> }]));
  };

  /**
   * Writes the pending rows: one `records.upsertPage` per canonical and source object.
   * After a failed write the state no longer matches the database, so this and every
   * later call raise WEBHOOK_BATCH_WRITE_FAILED.
   */
  async flush(): Promise<void> {
    if (this.#failure) throw this.#failure;

    const rows = [...this.#pending.entries()];
    this.#pending.clear();
    const write = this.#writing.then(() => this.#write(rows));
    this.#writing = write.catch(() => undefined);
    await write;
  }

  async #write(rows: Array<[string, PendingRow]>): Promise<void> {
    if (this.#failure) throw this.#failure;

    const position = (key: string) => this.#positions.get(key) ?? Number.MAX_SAFE_INTEGER;
    const pages = new Map<string, PendingRow[]>();
    for (const [, pending] of rows.sort(([left], [right]) => position(left) - position(right))) {
      const pageKey = `${pending.canonicalObject}\u0000${pending.sourceObject}`;
      const page = pages.get(pageKey);
      if (page) page.push(pending);
      else pages.set(pageKey, [pending]);
    }

    try {
      for (const page of pages.values()) {
        const [first] = page as [PendingRow];
        await this.#store.records.upsertPage({
          workspaceId: this.#connection.workspaceId,
          connectionId: this.#connection.id,
          object: first.canonicalObject,
          sourceObject: first.sourceObject,
          rows: page.map((pending) => pending.row),
        });
      }
      for (const [key, pending] of rows) this.#writtenHashes.set(key, pending.contentHash);
    } catch (error) {
      this.#failure = new LumioError(BATCH_WRITE_FAILED, `Writing the records of connection ${this.#connection.id}'s webhook events failed; its events are processed again one at a time.`, {
        status: 503,
        fault: 'platform',
        cause: error,
      });
      throw this.#failure;
    }
  }
}
