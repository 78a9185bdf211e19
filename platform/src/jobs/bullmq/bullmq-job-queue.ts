import { Job, Queue, Worker, type MinimalJob } from 'bullmq';
import { Redis } from 'ioredis';

import { LumioError } from '../../errors/index.js';
import { createWarningLimiter, type LimitedWarning, type Logger } from '../../observability/index.js';
import { createRedisLockBackend } from '../../services/locks/index.js';
import { computeBackoffDelay } from '../backoff.js';
import { checkJobName, isValidJobId, prepareJob, resolveConcurrency, resolveListLimit, resolveSettings, type ResolvedJobQueueSettings } from '../job-options.js';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue, JobQueueSettings, ProcessOptions } from '../job-types.js';
import { handlerExistsError, jobIdConflictError, jobQueueClosedError } from '../queue-errors.js';
import { isStallFailure, LUMIO_BACKOFF_TYPE, toJobInfo, toJobState, type BullmqJobData } from './bullmq-job-data.js';
import { createProcessor } from './bullmq-processor.js';
import { isRedisConnectionError } from './connection-errors.js';

export interface BullmqJobQueueOptions extends JobQueueSettings {
  /** `redis://` or `rediss://` URL of the Redis server. */
  redisUrl: string;
  /**
   * BullMQ's key prefix: every key of the queue starts with it and a colon. Queues with
   * different prefixes on one Redis server are independent. Default "lumio-jobs".
   */
  prefix?: string;
  /** Mean wait before a job whose concurrency key is held is tried again, in milliseconds. Default 1000. */
  keyRetryDelayMs?: number;
  /**
   * How long `close` waits for running jobs and Redis before it drops the connections, in
   * milliseconds. Default 10000. A job still running then is taken back by another worker
   * once its lock expires.
   */
  closeTimeoutMs?: number;
}

/** Min time between two logged warnings that Redis cannot be reached, in milliseconds. */
const UNREACHABLE_WARNING_INTERVAL_MS = 30_000;

/**
 * Creates the job queue on BullMQ. Each job name is one BullMQ queue, so a worker takes
 * only the jobs of its name. The names in use are kept in a Redis set, which `getJob`
 * reads to find a job by its id alone.
 */
export async function createBullmqJobQueue(options: BullmqJobQueueOptions): Promise<JobQueue> {
  const settings = resolveSettings(options);
  const prefix = options.prefix ?? 'lumio-jobs';
  const keyRetryDelayMs = options.keyRetryDelayMs ?? 1_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(prefix)) {
    throw settingsError('prefix', `The job queue prefix "${prefix.slice(0, 120)}" is invalid; use 1 to 100 letters, digits, ".", "_", "-" or ":".`);
  }
  if (!Number.isSafeInteger(keyRetryDelayMs) || keyRetryDelayMs < 1 || keyRetryDelayMs > 3_600_000) {
    throw settingsError('keyRetryDelayMs', `The job option keyRetryDelayMs is ${String(keyRetryDelayMs)}; pass an integer from 1 to 3600000.`);
  }
  if (!Number.isSafeInteger(closeTimeoutMs) || closeTimeoutMs < 1 || closeTimeoutMs > 600_000) {
    throw settingsError('closeTimeoutMs', `The job option closeTimeoutMs is ${String(closeTimeoutMs)}; pass an integer from 1 to 600000.`);
  }
  const warnUnreachable = createWarningLimiter({ logger: options.logger, intervalMs: UNREACHABLE_WARNING_INTERVAL_MS });

  // Producers fail fast while Redis is unreachable. Workers wait for it to come back,
  // which BullMQ requires of the connection they block on (maxRetriesPerRequest null).
  const commands = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  const workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  // Without a listener ioredis reports every failed reconnection as an unhandled error event.
  for (const client of [commands, workerConnection]) {
    client.on('error', (error: Error) => {
      if (isRedisConnectionError(error)) warnUnreachable({ err: error }, 'job queue cannot reach Redis; ioredis keeps reconnecting');
      else options.logger.warn({ err: error }, 'job queue Redis error; ioredis reconnects');
    });
  }
  try {
    await Promise.all([commands.ping(), workerConnection.ping()]);
  } catch (error) {
    commands.disconnect();
    workerConnection.disconnect();
    throw new LumioError('JOB_QUEUE_REDIS_UNAVAILABLE', 'Could not reach Redis for the job queue; check REDIS_URL and that the server is running.', { status: 503, fault: 'platform', cause: error });
  }
  return new BullmqJobQueue({ commands, workerConnection, settings, prefix, keyRetryDelayMs, closeTimeoutMs, warnUnreachable });
}

function settingsError(option: string, message: string): LumioError {
  return new LumioError('JOB_QUEUE_SETTINGS_INVALID', message, { status: 500, fault: 'platform', details: { option } });
}

interface BullmqParts {
  commands: Redis;
  workerConnection: Redis;
  settings: ResolvedJobQueueSettings;
  prefix: string;
  keyRetryDelayMs: number;
  closeTimeoutMs: number;
  /** Logs that Redis cannot be reached, once per interval for all the queue's clients, queues and workers. */
  warnUnreachable: LimitedWarning;
}

class BullmqJobQueue implements JobQueue {
  readonly backend = 'bullmq';
  readonly #parts: BullmqParts;
  readonly #log: Logger;
  readonly #queues = new Map<string, Queue>();
  readonly #workers = new Map<string, Worker>();
  readonly #registeredNames = new Set<string>();
  /** Set of the job names in use. '@' cannot start a job name, so no BullMQ key of a queue collides with it. */
  readonly #namesKey: string;
  #closed = false;

  constructor(parts: BullmqParts) {
    this.#parts = parts;
    this.#log = parts.settings.logger.child({ component: 'jobs', backend: 'bullmq' });
    this.#namesKey = `${parts.prefix}:@lumio:job-names`;
  }

  async enqueue<Payload>(name: string, payload: Payload, options?: EnqueueOptions): Promise<string> {
    if (this.#closed) throw jobQueueClosedError();
    const job = prepareJob(name, payload, options, this.#parts.settings);

    await this.#registerName(job.name);
    if (job.idFromCaller) await this.#checkIdUnused(job.id, job.name);

    const data: BullmqJobData = { payload: job.payload, concurrencyKey: job.concurrencyKey, backoff: job.backoff };
    await this.#queue(job.name).add(job.name, data, {
      jobId: job.id,
      delay: job.delayMs,
      priority: job.priority,
      attempts: job.attempts,
      backoff: { type: LUMIO_BACKOFF_TYPE, delay: job.backoff.delayMs },
      removeOnComplete: { age: Math.ceil(this.#parts.settings.completedRetentionMs / 1000) },
      removeOnFail: false,
    });
    this.#log.debug({ jobId: job.id, jobName: job.name, delayMs: job.delayMs, priority: job.priority }, 'job enqueued');
    return job.id;
  }

  async process<Payload>(name: string, handler: JobHandler<Payload>, options?: ProcessOptions): Promise<void> {
    if (this.#closed) throw jobQueueClosedError();
    checkJobName(name);
    const concurrency = resolveConcurrency(options);
    if (this.#workers.has(name)) throw handlerExistsError(name);

    const { settings, prefix, workerConnection } = this.#parts;
    const log = this.#log.child({ jobName: name });
    const processor = createProcessor({
      handler: handler as JobHandler,
      keyLocks: createRedisLockBackend({ redis: workerConnection, keyPrefix: `${prefix}:@lumio:concurrency:` }),
      lockMs: settings.lockMs,
      keyRetryDelayMs: this.#parts.keyRetryDelayMs,
      logger: log,
    });
    const worker = new Worker(name, processor, {
      connection: workerConnection,
      prefix,
      concurrency,
      lockDuration: settings.lockMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, _error?: Error, job?: MinimalJob) =>
          computeBackoffDelay((job?.data as BullmqJobData | undefined)?.backoff ?? settings.defaultBackoff, attemptsMade),
      },
    });
    this.#watch(worker, log);
    this.#workers.set(name, worker);

    await this.#registerName(name);
    await worker.waitUntilReady();
    log.info({ concurrency }, 'job worker started');
  }

  async getJob(id: string): Promise<JobInfo | null> {
    if (!isValidJobId(id)) return null;

    const found = await this.#findJob(id);
    if (!found) return null;
    const state = toJobState(found.state);
    return state === null ? null : toJobInfo(found.job, state);
  }

  async listDeadJobs(name: string, options?: { limit?: number }): Promise<JobInfo[]> {
    checkJobName(name);
    const limit = resolveListLimit(options?.limit);

    const jobs = await this.#queue(name).getFailed(0, limit - 1);
    return jobs.filter((job): job is Job => job !== undefined).map((job) => toJobInfo(job, 'dead'));
  }

  async retryDeadJob(id: string): Promise<boolean> {
    if (!isValidJobId(id)) return false;

    const found = await this.#findJob(id);
    if (!found || found.state !== 'failed') return false;
    const { job } = found;
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } catch (error) {
      // Another caller retried it first, or it was removed meanwhile.
      this.#log.warn({ err: error, jobId: id }, 'retrying a dead job failed; it is no longer dead');
      return false;
    }
    this.#log.info({ jobId: id, jobName: job.name }, 'dead job moved back to waiting');
    return true;
  }

  async ping(): Promise<void> {
    await this.#parts.commands.ping();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;

    // BullMQ waits for running jobs and for Redis replies, which never come while Redis is
    // down, so after the deadline the connections are dropped without waiting.
    const { closeTimeoutMs } = this.#parts;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), closeTimeoutMs);
    });
    const outcome = await Promise.race([this.#closeGracefully().then(() => 'closed' as const), deadline]);
    clearTimeout(timer);

    if (outcome === 'timeout') {
      this.#log.warn({ closeTimeoutMs, redisStatus: this.#parts.commands.status }, 'job queue did not close in time; dropping its Redis connections, and jobs still running are taken back by other workers when their locks expire');
      this.#parts.commands.disconnect();
      this.#parts.workerConnection.disconnect();
    }
    this.#log.info('job queue closed');
  }

  async #closeGracefully(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    await Promise.all([this.#parts.commands.quit(), this.#parts.workerConnection.quit()]);
  }

  #queue(name: string): Queue {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.#parts.commands, prefix: this.#parts.prefix });
      queue.on('error', (error) => {
        if (isRedisConnectionError(error)) this.#parts.warnUnreachable({ err: error, jobName: name }, 'job queue cannot reach Redis; ioredis keeps reconnecting');
        else this.#log.error({ err: error, jobName: name }, 'BullMQ queue error');
      });
      this.#queues.set(name, queue);
    }
    return queue;
  }

  async #registerName(name: string): Promise<void> {
    if (this.#registeredNames.has(name)) return;

    await this.#parts.commands.sadd(this.#namesKey, name);
    this.#registeredNames.add(name);
  }

  /**
   * Raises JOB_ID_CONFLICT when another name has a job with this id.
   *
   * NOTE: the check and the add are two steps, so two processes that enqueue one id under
   * two names at the same moment can both succeed. The embedded queue has no such gap.
   */
  async #checkIdUnused(id: string, name: string): Promise<void> {
    const otherNames = (await this.#parts.commands.smembers(this.#namesKey)).filter((other) => other !== name);
    if (otherNames.length === 0) return;

    const pipeline = this.#parts.commands.pipeline();
    for (const other of otherNames) pipeline.exists(this.#queue(other).toKey(id));
    const replies = (await pipeline.exec()) ?? [];
    const index = replies.findIndex(([, exists]) => exists === 1);
    if (index >= 0) throw jobIdConflictError(id, otherNames[index] as string, name);
  }

  /** Finds the job with this id under any job name, with its BullMQ state. */
  async #findJob(id: string): Promise<{ job: Job; state: string } | null> {
    const names = (await this.#parts.commands.smembers(this.#namesKey)).filter((name) => checkableName(name));
    const found = await Promise.all(names.map((name) => readJob(this.#queue(name), id)));
    return found.find((entry) => entry !== null) ?? null;
  }

  #watch(worker: Worker, log: Logger): void {
    worker.on('error', (error) => {
      if (isRedisConnectionError(error)) this.#parts.warnUnreachable({ err: error }, 'job queue cannot reach Redis; ioredis keeps reconnecting');
      else log.error({ err: error }, 'BullMQ worker error');
    });
    worker.on('stalled', (jobId) => log.warn({ jobId }, 'job taken back from a worker that stopped extending its lock; it runs again'));
    // The processor logs the failures of handlers; this one BullMQ decides without calling it.
    worker.on('failed', (job, error) => {
      if (isStallFailure(error.message)) log.error({ jobId: job?.id }, 'job stalled more often than maxStalledCount allows and moved to the dead-letter list');
    });
    // BullMQ aborts the processor's signal only when asked, so a lost lock is turned into a cancel.
    worker.on('lockRenewalFailed', (jobIds) => {
      for (const jobId of jobIds) {
        log.warn({ jobId }, 'lost a job lock while running the job; another worker may run it too, so the handler is aborted');
        worker.cancelJob(jobId, 'the job lock expired before the handler finished');
      }
    });
  }
}

/**
 * Reads a job and its state so that they agree. The job hash and the state are two reads,
 * so a job that finishes between them would show a final state with the data of a running
 * job (no result yet). Reading the state before and after the hash detects that.
 */
async function readJob(queue: Queue, id: string): Promise<{ job: Job; state: string } | null> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = await queue.getJobState(id);
    if (before === 'unknown') return null;
    const job = await Job.fromId(queue, id);
    if (!job) return null;
    const after = await queue.getJobState(id);
    if (after === before) return { job, state: after };
  }
  return null;
}

/** Returns true when a member of the names set is a valid job name; other members are ignored. */
function checkableName(name: string): boolean {
  try {
    checkJobName(name);
    return true;
  } catch {
    return false;
  }
}
