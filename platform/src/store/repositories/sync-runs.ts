import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import { createTimeOrderedId, timeOrderedIdPattern } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { normalizeTimestamp, nowIso, readBoolean, readInteger, readOptionalInteger, readOptionalString, readRequiredTimestamp, readTimestamp, validateLimit } from '../values.js';

export type SyncMode = 'full' | 'incremental';
export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Statuses of a run that has not finished. */
export const ACTIVE_SYNC_RUN_STATUSES: readonly SyncRunStatus[] = ['queued', 'running'];

export interface SyncRun {
  id: string;
  workspaceId: string;
  connectionId: string;
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  mode: SyncMode;
  status: SyncRunStatus;
  /** Origin of the run, e.g. `manual`, `schedule`, `webhook`. */
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Records processed so far. */
  progressCurrent: number;
  /** Records expected in total, or null when unknown. */
  progressTotal: number | null;
  /** True when `progressTotal` comes from a count estimate rather than the provider's exact total. */
  totalIsEstimate: boolean;
  pages: number;
  recordsRead: number;
  recordsInserted: number;
  recordsUpdated: number;
  recordsUnchanged: number;
  recordsDeleted: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** Estimated finish time (ISO 8601), or null when unknown. */
  eta: string | null;
  updatedAt: string;
}

export interface CreateSyncRunInput {
  workspaceId: string;
  connectionId: string;
  object: string;
  mode: SyncMode;
  trigger: string;
  /** Default `queued`. */
  status?: SyncRunStatus;
}

export type SyncRunPatch = Partial<
  Pick<
    SyncRun,
    | 'status'
    | 'startedAt'
    | 'finishedAt'
    | 'progressCurrent'
    | 'progressTotal'
    | 'totalIsEstimate'
    | 'pages'
    | 'recordsRead'
    | 'recordsInserted'
    | 'recordsUpdated'
    | 'recordsUnchanged'
    | 'recordsDeleted'
    | 'errorCode'
    | 'errorMessage'
    | 'eta'
  >
>;

export interface UpdateSyncRunOptions {
  /** Applies the patch only while the run has one of these statuses (a compare-and-set, e.g. for cancelling). */
  onlyIfStatus?: readonly SyncRunStatus[];
}

export interface ListSyncRunsOptions {
  /** Default 50, maximum 1000. */
  limit?: number;
  object?: string;
}

export interface SyncRunPageOptions {
  /** Runs per page, from 1 to 1000. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  object?: string;
  status?: SyncRunStatus;
}

export interface SyncRunPage {
  /** Newest first. */
  runs: SyncRun[];
  /** Cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
}

export interface SyncRunRepository {
  create(input: CreateSyncRunInput): Promise<SyncRun>;
  get(id: string): Promise<SyncRun | null>;
  /** Applies the patch and sets `updatedAt`. Returns null when the run does not exist or `onlyIfStatus` did not match. */
  update(id: string, patch: SyncRunPatch, options?: UpdateSyncRunOptions): Promise<SyncRun | null>;
  /** The most recently created run of the connection and object. */
  latestFor(connectionId: string, object: string): Promise<SyncRun | null>;
  /** Runs of a connection, newest first. */
  list(connectionId: string, options?: ListSyncRunsOptions): Promise<SyncRun[]>;
  /** One page of a connection's runs, newest first, optionally of one object or status. Raises INVALID_CURSOR (400) for a cursor it did not make. */
  listPage(connectionId: string, options: SyncRunPageOptions): Promise<SyncRunPage>;
  /** The newest queued or running run of the connection and object. */
  findActive(connectionId: string, object: string): Promise<SyncRun | null>;
  /** Runs with any of the statuses across all connections, oldest first (to recover runs after a restart). */
  listByStatus(statuses: readonly SyncRunStatus[]): Promise<SyncRun[]>;
}

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1_000;

interface SyncRunRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  object: string;
  mode: SyncMode;
  status: SyncRunStatus;
  trigger: string;
  created_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  progress_current: unknown;
  progress_total: unknown;
  total_is_estimate: unknown;
  pages: unknown;
  records_read: unknown;
  records_inserted: unknown;
  records_updated: unknown;
  records_unchanged: unknown;
  records_deleted: unknown;
  error_code: unknown;
  error_message: unknown;
  eta: unknown;
  updated_at: unknown;
}

function toSyncRun(row: SyncRunRow): SyncRun {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    connectionId: row.connection_id,
    object: row.object,
    mode: row.mode,
    status: row.status,
    trigger: row.trigger,
    createdAt: readRequiredTimestamp(row.created_at),
    startedAt: readTimestamp(row.started_at),
    finishedAt: readTimestamp(row.finished_at),
    progressCurrent: readInteger(row.progress_current),
    progressTotal: readOptionalInteger(row.progress_total),
    totalIsEstimate: readBoolean(row.total_is_estimate),
    pages: readInteger(row.pages),
    recordsRead: readInteger(row.records_read),
    recordsInserted: readInteger(row.records_inserted),
    recordsUpdated: readInteger(row.records_updated),
    recordsUnchanged: readInteger(row.records_unchanged),
    recordsDeleted: readInteger(row.records_deleted),
    errorCode: readOptionalString(row.error_code),
    errorMessage: readOptionalString(row.error_message),
    eta: readTimestamp(row.eta),
    updatedAt: readRequiredTimestamp(row.updated_at),
  };
}

/** Maps patch fields to column names; timestamps are normalised to ISO 8601 UTC. */
function patchColumns(patch: SyncRunPatch): Record<string, unknown> {
  const columns: Record<string, unknown> = { updated_at: nowIso() };
  const plain: [keyof SyncRunPatch, string][] = [
    ['status', 'status'],
    ['progressCurrent', 'progress_current'],
    ['progressTotal', 'progress_total'],
    ['totalIsEstimate', 'total_is_estimate'],
    ['pages', 'pages'],
    ['recordsRead', 'records_read'],
    ['recordsInserted', 'records_inserted'],
    ['recordsUpdated', 'records_updated'],
    ['recordsUnchanged', 'records_unchanged'],
    ['recordsDeleted', 'records_deleted'],
    ['errorCode', 'error_code'],
    ['errorMessage', 'error_message'],
  ];
  for (const [field, column] of plain) {
    if (patch[field] !== undefined) {
      columns[column] = patch[field];
    }
  }

  const timestamps: [keyof SyncRunPatch, string][] = [
    ['startedAt', 'started_at'],
    ['finishedAt', 'finished_at'],
    ['eta', 'eta'],
  ];
  for (const [field, column] of timestamps) {
    const value = patch[field] as string | null | undefined;
    if (value !== undefined) {
      columns[column] = normalizeTimestamp(value, field);
    }
  }
  return columns;
}

const RUN_ID_PATTERN = timeOrderedIdPattern('run');

function encodeRunCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeRunCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!RUN_ID_PATTERN.test(id)) {
    throw new LumioError('INVALID_CURSOR', `The cursor "${cursor.slice(0, 100)}" is not valid; pass the nextCursor of a previous page, or no cursor for the first page.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'cursor' },
    });
  }
  return id;
}

export function createSyncRunRepository({ knex }: StoreContext): SyncRunRepository {
  async function get(id: string): Promise<SyncRun | null> {
    const row = await knex<SyncRunRow>('sync_runs').where({ id }).first();
    return row ? toSyncRun(row) : null;
  }

  function newestFirst(connectionId: string) {
    return knex<SyncRunRow>('sync_runs').where({ connection_id: connectionId }).orderBy('created_at', 'desc').orderBy('id', 'desc');
  }

  return {
    async create(input) {
      const now = nowIso();
      const run: SyncRun = {
        id: createTimeOrderedId('run'),
        workspaceId: input.workspaceId,
        connectionId: input.connectionId,
        object: input.object,
        mode: input.mode,
        status: input.status ?? 'queued',
        trigger: input.trigger,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        progressCurrent: 0,
        progressTotal: null,
        totalIsEstimate: false,
        pages: 0,
        recordsRead: 0,
        recordsInserted: 0,
        recordsUpdated: 0,
        recordsUnchanged: 0,
        recordsDeleted: 0,
        errorCode: null,
        errorMessage: null,
        eta: null,
        updatedAt: now,
      };

      try {
        await knex('sync_runs').insert({
          id: run.id,
          workspace_id: run.workspaceId,
          connection_id: run.connectionId,
          object: run.object,
          mode: run.mode,
          status: run.status,
          trigger: run.trigger,
          created_at: now,
          updated_at: now,
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('CONNECTION_NOT_FOUND', `Connection "${input.connectionId}" in workspace "${input.workspaceId}" does not exist; create it before starting a sync.`, {
            status: 404,
            fault: 'caller',
            cause: error,
          });
        }
        throw error;
      }
      return run;
    },

    get,

    async update(id, patch, options = {}) {
      let query = knex('sync_runs').where({ id });
      if (options.onlyIfStatus) {
        query = query.whereIn('status', [...options.onlyIfStatus]);
      }

      const changed = await query.update(patchColumns(patch));
      return changed === 0 ? null : get(id);
    },

    async latestFor(connectionId, object) {
      const row = await newestFirst(connectionId).where({ object }).first();
      return row ? toSyncRun(row) : null;
    },

    async list(connectionId, options = {}) {
      const limit = options.limit ?? DEFAULT_LIST_LIMIT;
      validateLimit(limit, MAX_LIST_LIMIT);

      let query = newestFirst(connectionId).limit(limit);
      if (options.object !== undefined) {
        query = query.where({ object: options.object });
      }
      const rows = await query;
      return rows.map(toSyncRun);
    },

    async listPage(connectionId, options) {
      validateLimit(options.limit, MAX_LIST_LIMIT);

      // Run ids are time-ordered, so sorting by id alone gives creation order and a page
      // continues strictly after the cursor's id, even when two runs share a millisecond.
      let query = knex<SyncRunRow>('sync_runs')
        .where({ connection_id: connectionId })
        .orderBy('id', 'desc')
        .limit(options.limit + 1);
      if (options.cursor) query = query.where('id', '<', decodeRunCursor(options.cursor));
      if (options.object !== undefined) query = query.where({ object: options.object });
      if (options.status !== undefined) query = query.where({ status: options.status });

      const rows = await query;
      const runs = rows.slice(0, options.limit).map(toSyncRun);
      const last = runs.at(-1);
      return { runs, nextCursor: rows.length > options.limit && last ? encodeRunCursor(last.id) : null };
    },

    async findActive(connectionId, object) {
      const row = await newestFirst(connectionId)
        .where({ object })
        .whereIn('status', [...ACTIVE_SYNC_RUN_STATUSES])
        .first();
      return row ? toSyncRun(row) : null;
    },

    async listByStatus(statuses) {
      if (statuses.length === 0) {
        return [];
      }
      const rows = await knex<SyncRunRow>('sync_runs')
        .whereIn('status', [...statuses])
        .orderBy('created_at')
        .orderBy('id');
      return rows.map(toSyncRun);
    },
  };
}
