import { parseJson, readInteger, readOptionalInteger, readOptionalString } from '../values.js';

// Types of the jobs repository and conversions of its rows. All times are epoch
// milliseconds. pg returns bigint columns as strings and better-sqlite3 returns numbers,
// so every number is read with readInteger.

/**
 * Life cycle of a stored job: `waiting` (due at `runAt`, which may be in the future),
 * `active` (a worker holds its lock), then `completed`, or `dead` when its attempts are
 * used up or it failed for good. A failed attempt with attempts left returns to `waiting`.
 */
export type StoredJobStatus = 'waiting' | 'active' | 'completed' | 'dead';

export type StoredBackoffType = 'exponential' | 'fixed';

/** A job to insert. The caller checks the values; the repository stores them as given. */
export interface NewJob {
  id: string;
  name: string;
  payload: unknown;
  priority: number;
  runAt: number;
  maxAttempts: number;
  backoffType: StoredBackoffType;
  backoffDelayMs: number;
  concurrencyKey: string | null;
  createdAt: number;
}

export interface StoredJob {
  id: string;
  name: string;
  payload: unknown;
  status: StoredJobStatus;
  priority: number;
  runAt: number;
  /** Attempts that ended in success or failure. */
  attemptsMade: number;
  maxAttempts: number;
  /** Times a worker stopped extending the job's lock before finishing it. */
  stalledCount: number;
  backoffType: StoredBackoffType;
  backoffDelayMs: number;
  concurrencyKey: string | null;
  lockedBy: string | null;
  lockedUntil: number | null;
  result: unknown;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  createdAt: number;
  /** Start of the latest attempt. */
  startedAt: number | null;
  finishedAt: number | null;
}

/** Columns every read of the `jobs` table returns. */
export const JOB_COLUMNS = [
  'id',
  'name',
  'payload',
  'status',
  'priority',
  'run_at',
  'attempts_made',
  'max_attempts',
  'stalled_count',
  'backoff_type',
  'backoff_delay_ms',
  'concurrency_key',
  'locked_by',
  'locked_until',
  'result',
  'last_error_code',
  'last_error_message',
  'created_at',
  'started_at',
  'finished_at',
] as const;

export type JobRow = Record<(typeof JOB_COLUMNS)[number], unknown>;

export function toStoredJob(row: JobRow): StoredJob {
  return {
    id: String(row.id),
    name: String(row.name),
    payload: parseJson(row.payload),
    status: row.status as StoredJobStatus,
    priority: readInteger(row.priority),
    runAt: readInteger(row.run_at),
    attemptsMade: readInteger(row.attempts_made),
    maxAttempts: readInteger(row.max_attempts),
    stalledCount: readInteger(row.stalled_count),
    backoffType: row.backoff_type as StoredBackoffType,
    backoffDelayMs: readInteger(row.backoff_delay_ms),
    concurrencyKey: readOptionalString(row.concurrency_key),
    lockedBy: readOptionalString(row.locked_by),
    lockedUntil: readOptionalInteger(row.locked_until),
    result: parseJson(row.result),
    lastErrorCode: readOptionalString(row.last_error_code),
    lastErrorMessage: readOptionalString(row.last_error_message),
    createdAt: readInteger(row.created_at),
    startedAt: readOptionalInteger(row.started_at),
    finishedAt: readOptionalInteger(row.finished_at),
  };
}
