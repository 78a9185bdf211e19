import type { Logger } from '../observability/index.js';

/** Growth of the wait before each retry. */
export interface BackoffOptions {
  /**
   * `exponential` waits delayMs × 2^(n − 1) after the n-th failed attempt (as BullMQ's
   * built-in exponential backoff does); `fixed` waits delayMs every time.
   */
  type: 'exponential' | 'fixed';
  /** Base wait in milliseconds, from 0 to 86,400,000 (one day). */
  delayMs: number;
}

export interface EnqueueOptions {
  /** Time before the job may start, in milliseconds. Default 0. */
  delayMs?: number;
  /**
   * Integer from 0 to 2,097,152 (BullMQ's range). Lower numbers run first and 0, the
   * default, is the highest priority. Jobs of equal priority run in the order they became due.
   */
  priority?: number;
  /** Attempts in total, counting the first, from 1 to 100. Default: the queue's `defaultAttempts`. */
  attempts?: number;
  /** Wait before each retry. Default: the queue's `defaultBackoff`. */
  backoff?: BackoffOptions;
  /**
   * At most one job per key is active at a time, across every worker and process that
   * shares the queue, whatever the job names. 1 to 255 characters, e.g.
   * `sync:<connection id>:contacts`.
   */
  concurrencyKey?: string;
  /**
   * Makes the enqueue idempotent: while a job with this id is stored (waiting, delayed,
   * active, dead, or completed and not yet removed by retention), enqueueing the same id
   * again returns it unchanged and adds nothing. Ids are unique across job names. 1 to 200
   * characters of letters, digits and `. _ - / = @ +`, not all digits. Default: a new `job_…` id.
   */
  jobId?: string;
}

export interface ProcessOptions {
  /** Jobs of this name the worker runs at the same time, from 1 to 1000. Default 1. */
  concurrency?: number;
}

/**
 * State of a job. `waiting` is due, and on the embedded queue also covers a job whose
 * concurrency key is busy. `delayed` is due later, also while waiting for a retry, and on
 * BullMQ while its concurrency key is busy. `active` runs in a worker. `dead` failed for
 * good and is on the dead-letter list, from which `retryDeadJob` restarts it.
 */
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'dead';

export interface JobErrorInfo {
  /** A stable code: the `LumioError` code the handler raised, JOB_FAILED for other errors, or JOB_STALLED. */
  code: string;
  message: string;
}

/** A stored job as `getJob` and `listDeadJobs` return it. Times are epoch milliseconds. */
export interface JobInfo {
  id: string;
  name: string;
  payload: unknown;
  state: JobState;
  priority: number;
  /** Attempts that ended in success or failure. An attempt whose worker died is not counted. */
  attemptsMade: number;
  maxAttempts: number;
  concurrencyKey: string | null;
  createdAt: number;
  finishedAt: number | null;
  /** The handler's return value once completed, otherwise null. */
  result: unknown;
  /** Error of the latest failed or stalled attempt, or null when none failed. */
  lastError: JobErrorInfo | null;
}

/** Input of a handler for one attempt. */
export interface JobContext<Payload = unknown> {
  id: string;
  name: string;
  payload: Payload;
  /** Number of this attempt, from 1 to `maxAttempts`. */
  attempt: number;
  maxAttempts: number;
  concurrencyKey: string | null;
  /**
   * Aborted when the worker lost the job's lock or its concurrency key, so another worker
   * may start the job or a job of the same key. The handler should stop soon after.
   */
  signal: AbortSignal;
}

/**
 * Runs one attempt of a job. The returned value (JSON) becomes the job's result. A thrown
 * error fails the attempt, and a `NonRetryableJobError` fails the job without retries.
 */
export type JobHandler<Payload = unknown> = (job: JobContext<Payload>) => Promise<unknown> | unknown;

/**
 * A durable job queue: the embedded one in the database, or BullMQ on Redis. Both keep
 * one contract: delay, priority, retries with backoff and one active job per concurrency
 * key. A job whose worker stopped extending its lock is taken over, and failed jobs go to a
 * dead-letter list. Enqueue is idempotent by job id, and no job runs in two workers at once
 * while its lock is valid.
 */
export interface JobQueue {
  readonly backend: 'embedded' | 'bullmq';
  /** Stores a job and returns its id. Raises JOB_OPTIONS_INVALID (400) for bad input. */
  enqueue<Payload>(name: string, payload: Payload, options?: EnqueueOptions): Promise<string>;
  /**
   * Starts a worker that runs the jobs of `name` with `handler`. A queue instance takes one
   * handler per name, and other instances and processes may run workers for the same name.
   */
  process<Payload>(name: string, handler: JobHandler<Payload>, options?: ProcessOptions): Promise<void>;
  /** Returns the stored job, or null when no job has this id (or retention removed it). */
  getJob(id: string): Promise<JobInfo | null>;
  /** Lists dead jobs of `name`, most recently failed first. `limit` from 1 to 1000, default 100. */
  listDeadJobs(name: string, options?: { limit?: number }): Promise<JobInfo[]>;
  /** Moves a dead job back to waiting with a fresh attempt budget. Returns false unless it was dead. */
  retryDeadJob(id: string): Promise<boolean>;
  /** Checks that the queue's backend (the database or Redis) responds, and raises when it does not. */
  ping(): Promise<void>;
  /** Stops claiming jobs, waits for the running handlers to return, and releases connections. */
  close(): Promise<void>;
}

/** Settings both backends share. */
export interface JobQueueSettings {
  logger: Logger;
  /**
   * Time a worker's lock on a running job lasts, in milliseconds. Workers extend it while
   * the job runs: the embedded worker every third of this time, BullMQ every half. When the
   * process dies, the job is taken back after the lock expires. Default 30000.
   */
  lockMs?: number;
  /** How often workers look for jobs whose lock expired, in milliseconds. Default 30000. */
  stalledIntervalMs?: number;
  /**
   * Times a job may be taken back from a dead worker before it is moved to `dead`
   * (BullMQ's `maxStalledCount`). Default 1.
   */
  maxStalledCount?: number;
  /** Attempts of a job that sets none. Default 3. */
  defaultAttempts?: number;
  /** Backoff of a job that sets none. Default exponential from 1000 ms. */
  defaultBackoff?: BackoffOptions;
  /** Time completed jobs are kept, in milliseconds. Default 86400000 (one day). */
  completedRetentionMs?: number;
}
