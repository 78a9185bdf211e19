import { LumioError } from '../../errors/index.js';
import type { Dialect } from '../dialect.js';
import type { StoreContext } from '../store-context.js';
import { serializeJson, validateLimit } from '../values.js';
import { claimJobs, type ClaimJobsOptions } from './jobs-claim.js';
import { JOB_COLUMNS, toStoredJob, type JobRow, type NewJob, type StoredJob, type StoredJobStatus } from './jobs-rows.js';
import { storableText } from './webhook-delivery-batch.js';
import { rawRows } from './webhook-event-rows.js';

/** Longer error messages are cut to this many characters. */
export const MAX_JOB_ERROR_MESSAGE_LENGTH = 2_000;

const MAX_LIST_LIMIT = 1_000;
/** Job ids per lock extension statement, well below SQLite's and PostgreSQL's parameter limits. */
const EXTEND_CHUNK_SIZE = 500;
/** Completions per statement: two parameters each. */
const COMPLETE_CHUNK_SIZE = 500;
/** Completed jobs deleted per statement, so a large purge does not hold SQLite's write lock for long. */
const PURGE_CHUNK_SIZE = 1_000;

export const STALLED_JOB_MESSAGE = 'The worker running this job stopped extending its lock before the job finished, so the job was taken back.';

/** Outcome of a failed attempt. */
export interface JobFailure {
  code: string;
  message: string;
  /** When the next attempt may start, or null to move the job to `dead`. */
  retryAt: number | null;
  now: number;
}

/** A job that succeeded, and the JSON value its handler returned. */
export interface JobCompletion {
  id: string;
  result: unknown;
}

/** Insert outcome: the new job, or the stored one with the same id. */
export interface InsertJobResult {
  created: boolean;
  job: StoredJob;
}

/** A job whose lock expired, and where `requeueStalled` moved it. */
export interface StalledJob {
  id: string;
  name: string;
  status: Extract<StoredJobStatus, 'waiting' | 'dead'>;
  stalledCount: number;
}

/**
 * Rows of the embedded job queue. Times are epoch milliseconds from the callers' clocks,
 * so processes sharing a database need synchronised clocks: a worker whose clock runs
 * ahead takes over locks early.
 */
export interface JobRepository {
  /** Stores a job unless a job with its id exists; then returns that job unchanged. */
  insert(job: NewJob): Promise<InsertJobResult>;
  get(id: string): Promise<StoredJob | null>;
  /** Claims due jobs of one name for a worker (see `claimJobs`). */
  claim(options: ClaimJobsOptions): Promise<StoredJob[]>;
  /** Moves the lock expiry of the given jobs `workerId` still holds. Returns the ids it extended. */
  extendLocks(workerId: string, ids: string[], lockedUntil: number): Promise<string[]>;
  /**
   * Marks jobs `completed` with their results, in one statement, each only while it is
   * active under `workerId`. Returns the ids it completed.
   */
  complete(workerId: string, completions: JobCompletion[], now: number): Promise<string[]>;
  /** Records a failed attempt, only while the job is active under `workerId`. */
  fail(id: string, workerId: string, failure: JobFailure): Promise<boolean>;
  /**
   * Takes back active jobs whose lock expired before `now`: back to `waiting`, due at
   * `now`, or to `dead` when the job has now stalled more than `maxStalledCount` times.
   * A stalled attempt does not count in `attemptsMade`.
   */
  requeueStalled(now: number, maxStalledCount: number): Promise<StalledJob[]>;
  /** Earliest due time of the waiting jobs of `name`, or null when none waits. */
  nextRunAt(name: string): Promise<number | null>;
  /** Dead jobs of `name`, most recently failed first. */
  listDead(name: string, limit: number): Promise<StoredJob[]>;
  /** Moves a dead job back to `waiting`, due at `now`, with a fresh attempt budget. Returns false unless it was dead. */
  retryDead(id: string, now: number): Promise<boolean>;
  /** Deletes completed jobs that finished before `finishedBefore`. Returns how many. */
  purgeCompleted(finishedBefore: number): Promise<number>;
}

export function createJobRepository(context: StoreContext): JobRepository {
  const { knex, dialect } = context;

  const activeUnder = (id: string, workerId: string) => knex('jobs').where({ id, status: 'active', locked_by: workerId });

  const get = async (id: string): Promise<StoredJob | null> => {
    const row: JobRow | undefined = await knex('jobs').select(JOB_COLUMNS).where({ id }).first();
    return row ? toStoredJob(row) : null;
  };

  return {
    async insert(job) {
      const inserted: JobRow[] = await knex('jobs')
        .insert({
          id: job.id,
          name: job.name,
          payload: serializeJson(job.payload, dialect),
          status: 'waiting',
          priority: job.priority,
          run_at: job.runAt,
          max_attempts: job.maxAttempts,
          backoff_type: job.backoffType,
          backoff_delay_ms: job.backoffDelayMs,
          concurrency_key: job.concurrencyKey,
          created_at: job.createdAt,
        })
        .onConflict('id')
        .ignore()
        .returning(JOB_COLUMNS);
      const row = inserted[0];
      if (row) {
        return { created: true, job: toStoredJob(row) };
      }

      // The id exists. A job deleted between the insert and this read (a purge of old
      // completed jobs) leaves nothing to return.
      const existing = await get(job.id);
      if (!existing) {
        throw new LumioError('JOB_NOT_STORED', `The job ${job.id} was deleted while it was being enqueued again; enqueue it once more.`, { status: 503, fault: 'platform' });
      }
      return { created: false, job: existing };
    },

    get,

    claim: (options) => claimJobs(context, options),

    async extendLocks(workerId, ids, lockedUntil) {
      const extended: string[] = [];
      for (let start = 0; start < ids.length; start += EXTEND_CHUNK_SIZE) {
        const rows: Array<{ id: string }> = await knex('jobs')
          .where({ status: 'active', locked_by: workerId })
          .whereIn('id', ids.slice(start, start + EXTEND_CHUNK_SIZE))
          .update({ locked_until: lockedUntil })
          .returning('id');
        extended.push(...rows.map((row) => String(row.id)));
      }
      return extended;
    },

    async complete(workerId, completions, now) {
      const completed: string[] = [];
      for (let start = 0; start < completions.length; start += COMPLETE_CHUNK_SIZE) {
        const chunk = completions.slice(start, start + COMPLETE_CHUNK_SIZE);
        const bindings = chunk.flatMap((completion) => [completion.id, serializeJson(completion.result, dialect)]);
        const result = await knex.raw(completeSql(dialect, chunk.length), [now, ...bindings, workerId]);
        completed.push(...rawRows<{ id: unknown }>(result, dialect).map((row) => String(row.id)));
      }
      return completed;
    },

    async fail(id, workerId, failure) {
      const columns: Record<string, unknown> = {
        status: 'dead',
        attempts_made: knex.raw('attempts_made + 1'),
        finished_at: failure.now,
        locked_by: null,
        locked_until: null,
        last_error_code: failure.code,
        last_error_message: storableText(failure.message.slice(0, MAX_JOB_ERROR_MESSAGE_LENGTH), dialect),
      };
      if (failure.retryAt !== null) {
        columns.status = 'waiting';
        columns.run_at = failure.retryAt;
        columns.finished_at = null;
      }

      const changed = await activeUnder(id, workerId).update(columns);
      return changed > 0;
    },

    async requeueStalled(now, maxStalledCount) {
      // Every SET expression reads the row as it was before the update, on both databases.
      const sql = `
        UPDATE jobs SET
          status = CASE WHEN stalled_count + 1 > :maxStalledCount THEN 'dead' ELSE 'waiting' END,
          finished_at = CASE WHEN stalled_count + 1 > :maxStalledCount THEN CAST(:now AS BIGINT) ELSE NULL END,
          run_at = :now,
          stalled_count = stalled_count + 1,
          locked_by = NULL,
          locked_until = NULL,
          last_error_code = 'JOB_STALLED',
          last_error_message = :message
        WHERE status = 'active' AND locked_until < :now
        RETURNING id, name, status, stalled_count`;
      const result = await knex.raw(sql, { now, maxStalledCount, message: STALLED_JOB_MESSAGE });
      return rawRows<{ id: string; name: string; status: 'waiting' | 'dead'; stalled_count: unknown }>(result, dialect).map((row) => ({
        id: String(row.id),
        name: String(row.name),
        status: row.status,
        stalledCount: Number(row.stalled_count),
      }));
    },

    async nextRunAt(name) {
      const row: { next?: unknown } | undefined = await knex('jobs').min({ next: 'run_at' }).where({ status: 'waiting', name }).first();
      return row?.next === null || row?.next === undefined ? null : Number(row.next);
    },

    async listDead(name, limit) {
      validateLimit(limit, MAX_LIST_LIMIT);
      const rows: JobRow[] = await knex('jobs').select(JOB_COLUMNS).where({ status: 'dead', name }).orderBy('finished_at', 'desc').limit(limit);
      return rows.map(toStoredJob);
    },

    async retryDead(id, now) {
      const changed = await knex('jobs').where({ id, status: 'dead' }).update({
        status: 'waiting',
        run_at: now,
        attempts_made: 0,
        stalled_count: 0,
        finished_at: null,
      });
      return changed > 0;
    },

    async purgeCompleted(finishedBefore) {
      let purged = 0;
      for (;;) {
        const batch = knex('jobs').select('seq').where({ status: 'completed' }).andWhere('finished_at', '<', finishedBefore).limit(PURGE_CHUNK_SIZE);
        const deleted = await knex('jobs').whereIn('seq', batch).delete();
        purged += deleted;
        if (deleted < PURGE_CHUNK_SIZE) return purged;
      }
    },
  };
}

/**
 * Builds one UPDATE for many completions: a derived table of (id, result) pairs joined to the
 * jobs. Both databases support UPDATE … FROM (SQLite since 3.33). Storing a batch in one
 * statement means one commit, which PostgreSQL and SQLite each sync to disk once.
 */
function completeSql(dialect: Dialect, count: number): string {
  const pairs = Array.from({ length: count }, (_, index) => (index === 0 ? 'SELECT ? AS done_id, ? AS done_result' : 'SELECT ?, ?')).join(' UNION ALL ');
  const result = dialect === 'postgres' ? 'CAST(done.done_result AS jsonb)' : 'done.done_result';
  return `
    UPDATE jobs SET
      status = 'completed',
      result = ${result},
      attempts_made = jobs.attempts_made + 1,
      finished_at = ?,
      locked_by = NULL,
      locked_until = NULL
    FROM (${pairs}) AS done
    WHERE jobs.id = done.done_id AND jobs.status = 'active' AND jobs.locked_by = ?
    RETURNING jobs.id`;
}
