import { LumioError } from '../../errors/index.js';
import { isUniqueViolation } from '../database-errors.js';
import type { Dialect } from '../dialect.js';
import type { StoreContext } from '../store-context.js';
import { validateLimit } from '../values.js';
import { rawRows } from './webhook-event-rows.js';
import { JOB_COLUMNS, toStoredJob, type JobRow, type StoredJob } from './jobs-rows.js';

// Claiming waiting jobs for a worker in one statement, with the limit of one active job
// per concurrency key enforced inside that statement.

const MAX_CLAIM_LIMIT = 1_000;

export interface ClaimJobsOptions {
  /** Job name the worker processes. */
  name: string;
  /** Id unique to the worker; only this worker may complete, fail or extend the claimed jobs. */
  workerId: string;
  /** Maximum number of jobs to claim, from 1 to 1000. */
  limit: number;
  /** Time the claimed jobs stay locked to the worker unless it extends the locks, in milliseconds. */
  lockMs: number;
  /** The current time, in epoch milliseconds. */
  now: number;
}

// A keyed job is eligible when no job with its key is active and it is the first due job
// of its key and name in claim order. The second condition keeps one statement from taking
// two jobs of one key. It also covers concurrent claims on PostgreSQL in the usual case,
// because a claimer that skips a row another claimer locked still reads that row as
// waiting in its snapshot, so it passes over the later jobs of the same key too. The unique index
// jobs_active_key catches the remaining race (a better job of the key enqueued between
// two claims), and `claimJobs` then returns no jobs for that round.
//
// The WHERE terms repeat the partial index conditions word for word (status = 'waiting',
// status = 'active'), because SQLite uses a partial index only when the query contains them.
const ELIGIBLE_JOBS = `
  SELECT j.seq FROM jobs j
  WHERE j.status = 'waiting' AND j.name = :name AND j.run_at <= :now
    AND (j.concurrency_key IS NULL OR (
      NOT EXISTS (
        SELECT 1 FROM jobs a
        WHERE a.status = 'active' AND a.concurrency_key = j.concurrency_key
      )
      AND NOT EXISTS (
        SELECT 1 FROM jobs b
        WHERE b.status = 'waiting' AND b.concurrency_key = j.concurrency_key AND b.name = j.name AND b.run_at <= :now
          AND (b.priority, b.run_at, b.seq) < (j.priority, j.run_at, j.seq)
      )
    ))
  ORDER BY j.priority, j.run_at, j.seq
  LIMIT :limit`;

const CLAIM_SET = `status = 'active', locked_by = :workerId, locked_until = :lockedUntil, started_at = :now`;

// FOR UPDATE SKIP LOCKED makes concurrent workers pass over rows another worker is
// claiming, and the update re-checks the row's status if it changed since the snapshot.
const CLAIM_POSTGRES = `
  WITH picked AS (${ELIGIBLE_JOBS}
    FOR UPDATE SKIP LOCKED
  )
  UPDATE jobs SET ${CLAIM_SET}
  FROM picked
  WHERE jobs.seq = picked.seq
  RETURNING ${JOB_COLUMNS.map((column) => `jobs.${column}`).join(', ')}`;

// One statement is atomic on SQLite, which has a single writer, and the subquery is
// evaluated in full before any row changes.
const CLAIM_SQLITE = `
  UPDATE jobs SET ${CLAIM_SET}
  WHERE seq IN (${ELIGIBLE_JOBS})
  RETURNING ${JOB_COLUMNS.join(', ')}`;

const CLAIM_SQL: Record<Dialect, string> = { postgres: CLAIM_POSTGRES, sqlite: CLAIM_SQLITE };

function invalidClaim(code: string, message: string): LumioError {
  return new LumioError(code, message, { status: 500, fault: 'platform' });
}

function checkClaimOptions(options: ClaimJobsOptions): void {
  validateLimit(options.limit, MAX_CLAIM_LIMIT);
  if (typeof options.workerId !== 'string' || options.workerId === '' || options.workerId.length > 100) {
    throw invalidClaim('JOB_WORKER_ID_INVALID', 'The job worker id must have 1 to 100 characters; pass an id unique to the worker.');
  }
  if (!Number.isSafeInteger(options.lockMs) || options.lockMs < 1) {
    throw invalidClaim('JOB_LOCK_INVALID', `The job lock duration ${String(options.lockMs)} is not a positive number of milliseconds; pass an integer of at least 1.`);
  }
  if (!Number.isSafeInteger(options.now) || options.now < 0) {
    throw invalidClaim('JOB_TIME_INVALID', `The time ${String(options.now)} is not epoch milliseconds; pass Date.now().`);
  }
}

/**
 * Claims up to `limit` due jobs of `name` for a worker: each becomes `active`, locked by
 * `workerId` until now + lockMs. Jobs come in claim order: lower priority number first,
 * then earlier due time, then earlier enqueue. A job with a concurrency key is passed over
 * while another job with that key is active, and at most one job per key is claimed.
 */
export async function claimJobs(context: StoreContext, options: ClaimJobsOptions): Promise<StoredJob[]> {
  checkClaimOptions(options);
  const { knex, dialect, logger } = context;

  const bindings = { name: options.name, now: options.now, limit: options.limit, workerId: options.workerId, lockedUntil: options.now + options.lockMs };
  let rows: JobRow[];
  try {
    rows = rawRows<JobRow>(await knex.raw(CLAIM_SQL[dialect], bindings), dialect);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;

    // Another process made a job of the same key active between this statement's
    // snapshot and its update. The next round finds that job active and passes over the key.
    logger.debug({ name: options.name, workerId: options.workerId }, 'job claim lost a race for a concurrency key; claiming again next round');
    return [];
  }

  // RETURNING gives no order, so the claim order is restored here, with the enqueue time
  // standing in for the insertion order.
  return rows.map(toStoredJob).sort((left, right) => left.priority - right.priority || left.runAt - right.runAt || left.createdAt - right.createdAt);
}
