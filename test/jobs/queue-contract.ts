import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LumioError } from '../../platform/src/errors/index.js';
import { MAX_PAYLOAD_BYTES, MAX_PRIORITY, NonRetryableJobError, type JobContext, type JobInfo, type JobQueue, type JobState } from '../../platform/src/jobs/index.js';
import type { ContractSettings, QueueBackendConfig } from './support/queue-process-config.js';
import { startWorkerChild } from './support/worker-child.js';

// The behaviour every JobQueue backend must have. The embedded suite runs it on SQLite and
// PostgreSQL, the BullMQ suite on Redis. Each test uses job names of its own, because the
// queue's storage outlives a test.

/** Timing of every queue the suite opens, in milliseconds: short, so take-overs happen within a test. */
export const CONTRACT_SETTINGS: ContractSettings = { lockMs: 1_500, stalledIntervalMs: 250, pollIntervalMs: 50, keyRetryDelayMs: 50 };

export interface QueueHarness {
  /** Opens a queue instance with its own connection, using CONTRACT_SETTINGS with `overrides`. */
  openQueue(overrides?: Partial<ContractSettings>): Promise<JobQueue>;
  /** Backend options a worker process needs to open the same queue. */
  backendConfig(): QueueBackendConfig;
  /** Takes the lock of an active job away from its worker, as a take-over by another worker would. */
  breakLock(name: string, id: string): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let nameCounter = 0;
/** Returns a job name that no other test, nor an earlier run on the same Redis, uses. */
function uniqueName(label: string): string {
  nameCounter += 1;
  return `${label}-${nameCounter}-${randomBytes(3).toString('hex')}`;
}

async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await pause(20);
  }
}

function waitForState(queue: JobQueue, id: string, state: JobState, timeoutMs = 10_000): Promise<JobInfo | null> {
  return waitFor(
    () => queue.getJob(id),
    (job) => job?.state === state,
    timeoutMs,
    `job ${id} to be ${state}`,
  );
}

/** Records when each handler call starts and ends, and how many run at once, overall and per concurrency key. */
function createRunLog() {
  const starts: Array<{ id: string; at: number; attempt: number; payload: unknown }> = [];
  const activeByKey = new Map<string, number>();
  const maxActiveByKey = new Map<string, number>();
  const activeById = new Map<string, number>();
  let active = 0;
  let maxActive = 0;
  let maxActiveForOneId = 0;

  return {
    starts,
    get maxActive() {
      return maxActive;
    },
    get maxActiveForOneId() {
      return maxActiveForOneId;
    },
    maxActiveFor(key: string) {
      return maxActiveByKey.get(key) ?? 0;
    },
    countFor(id: string) {
      return starts.filter((start) => start.id === id).length;
    },
    /** Wraps a handler body with the bookkeeping. */
    async run<T>(job: JobContext, body: () => Promise<T> | T): Promise<T> {
      starts.push({ id: job.id, at: Date.now(), attempt: job.attempt, payload: job.payload });
      active += 1;
      maxActive = Math.max(maxActive, active);
      activeById.set(job.id, (activeById.get(job.id) ?? 0) + 1);
      maxActiveForOneId = Math.max(maxActiveForOneId, activeById.get(job.id) ?? 0);
      const key = job.concurrencyKey;
      if (key) {
        activeByKey.set(key, (activeByKey.get(key) ?? 0) + 1);
        maxActiveByKey.set(key, Math.max(maxActiveByKey.get(key) ?? 0, activeByKey.get(key) ?? 0));
      }
      try {
        return await body();
      } finally {
        active -= 1;
        activeById.set(job.id, (activeById.get(job.id) ?? 1) - 1);
        if (key) activeByKey.set(key, (activeByKey.get(key) ?? 1) - 1);
      }
    },
  };
}

export function defineQueueContract(harness: QueueHarness): void {
  /** Opens a queue instance that is closed when the test ends. */
  async function open(overrides?: Partial<ContractSettings>): Promise<JobQueue> {
    const queue = await harness.openQueue(overrides);
    onTestFinished(() => queue.close());
    return queue;
  }

  describe('job queue contract', () => {
    it('runs a job and stores its result', async () => {
      const queue = await open();
      const name = uniqueName('basic');
      const contexts: JobContext[] = [];
      await queue.process(name, (job) => {
        contexts.push(job);
        return { echoed: job.payload };
      });

      const id = await queue.enqueue(name, { contactId: 'c-1', tags: ['a', 'b'] }, { attempts: 4 });
      const job = await waitForState(queue, id, 'completed');

      expect(job?.result).toEqual({ echoed: { contactId: 'c-1', tags: ['a', 'b'] } });
      expect(job?.payload).toEqual({ contactId: 'c-1', tags: ['a', 'b'] });
      expect(job?.name).toBe(name);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.maxAttempts).toBe(4);
      expect(job?.lastError).toBeNull();
      expect(job?.finishedAt).toBeGreaterThanOrEqual(job?.createdAt ?? Number.POSITIVE_INFINITY);
      expect(contexts).toHaveLength(1);
      expect(contexts[0]).toMatchObject({ id, name, attempt: 1, maxAttempts: 4, concurrencyKey: null });
      expect(contexts[0]?.signal.aborted).toBe(false);
    });

    it('getJob returns null for unknown ids', async () => {
      const queue = await open();

      expect(await queue.getJob('job_never-enqueued')).toBeNull();
      expect(await queue.getJob('')).toBeNull();
      expect(await queue.getJob('has:colon')).toBeNull();
      expect(await queue.getJob('12345')).toBeNull();
    });

    it('holds a delayed job until its delay passes', async () => {
      const queue = await open();
      const name = uniqueName('delay');
      const started = new Map<string, number>();
      await queue.process(name, (job) => void started.set(job.id, Date.now()));

      const enqueuedAt = Date.now();
      const delayed = await queue.enqueue(name, null, { delayMs: 600 });
      const immediate = await queue.enqueue(name, null);

      expect((await queue.getJob(delayed))?.state).toBe('delayed');
      await waitForState(queue, immediate, 'completed');
      expect(started.has(delayed)).toBe(false);
      await waitForState(queue, delayed, 'completed');
      const waitedMs = (started.get(delayed) ?? 0) - enqueuedAt;
      expect(waitedMs).toBeGreaterThanOrEqual(595);
      expect(waitedMs).toBeLessThan(600 + 3_000);
    });

    it('runs lower priority numbers first', async () => {
      const queue = await open();
      const name = uniqueName('priority');
      const order: string[] = [];

      // Enqueued before any worker runs, so the whole set waits and the order is the queue's choice.
      for (const [label, priority] of [['p5', 5], ['p1-first', 1], ['p3', 3], ['p0', 0], ['p1-second', 1]] as const) {
        await queue.enqueue(name, { label }, { priority });
      }
      await queue.process(name, (job) => void order.push((job.payload as { label: string }).label), { concurrency: 1 });

      await waitFor(() => order.length, (count) => count === 5, 10_000, 'five jobs to run');
      expect(order).toEqual(['p0', 'p1-first', 'p1-second', 'p3', 'p5']);
    });

    it('retries failed attempts with exponential backoff', async () => {
      const queue = await open();
      const name = uniqueName('retry');
      const log = createRunLog();
      await queue.process(name, (job) =>
        log.run(job, () => {
          if (job.attempt < 3) {
            throw new LumioError('PROVIDER_UNAVAILABLE', `The provider returned 503 on attempt ${job.attempt}.`, { fault: 'provider' });
          }
          return 'third time';
        }),
      );

      const id = await queue.enqueue(name, null, { attempts: 3, backoff: { type: 'exponential', delayMs: 150 } });
      const job = await waitForState(queue, id, 'completed');

      expect(log.starts.map((start) => start.attempt)).toEqual([1, 2, 3]);
      const [first, second, third] = log.starts.map((start) => start.at) as [number, number, number];
      // 150 ms after the first failure, then 300 ms after the second, give or take clock rounding.
      expect(second - first).toBeGreaterThanOrEqual(145);
      expect(third - second).toBeGreaterThanOrEqual(295);
      expect(third - first).toBeLessThan(450 + 3_000);
      expect(job?.attemptsMade).toBe(3);
      expect(job?.result).toBe('third time');
      expect(job?.lastError?.code).toBe('PROVIDER_UNAVAILABLE');
    });

    it('waits the fixed backoff between attempts', async () => {
      const queue = await open();
      const name = uniqueName('fixed-backoff');
      const log = createRunLog();
      await queue.process(name, (job) =>
        log.run(job, () => {
          if (job.attempt < 3) throw new Error('not yet');
        }),
      );

      const id = await queue.enqueue(name, null, { attempts: 3, backoff: { type: 'fixed', delayMs: 300 } });
      await waitForState(queue, id, 'completed');

      const [first, second, third] = log.starts.map((start) => start.at) as [number, number, number];
      expect(second - first).toBeGreaterThanOrEqual(295);
      expect(third - second).toBeGreaterThanOrEqual(295);
      // An exponential backoff would wait 600 ms here.
      expect(third - second).toBeLessThan(590);
    });

    it('moves a job to the dead-letter list after its attempts', async () => {
      const queue = await open();
      const name = uniqueName('dead');
      let failing = true;
      const log = createRunLog();
      await queue.process(name, (job) =>
        log.run(job, () => {
          if (failing) throw new LumioError('MAPPING_FAILED', 'The field mapping rejected the record.', { fault: 'connector' });
          return 'recovered';
        }),
      );

      const id = await queue.enqueue(name, { record: 7 }, { attempts: 2, backoff: { type: 'fixed', delayMs: 20 } });
      const dead = await waitForState(queue, id, 'dead');

      expect(log.countFor(id)).toBe(2);
      expect(dead?.attemptsMade).toBe(2);
      expect(dead?.lastError).toEqual({ code: 'MAPPING_FAILED', message: 'The field mapping rejected the record.' });
      expect(dead?.finishedAt).not.toBeNull();
      const listed = await queue.listDeadJobs(name);
      expect(listed.map((job) => job.id)).toEqual([id]);
      expect(listed[0]?.payload).toEqual({ record: 7 });
      expect(listed[0]?.state).toBe('dead');

      failing = false;
      expect(await queue.retryDeadJob(id)).toBe(true);
      const retried = await waitForState(queue, id, 'completed');

      expect(retried?.result).toBe('recovered');
      expect(retried?.attemptsMade).toBe(1);
      expect(log.countFor(id)).toBe(3);
      expect(await queue.listDeadJobs(name)).toEqual([]);
      expect(await queue.retryDeadJob(id)).toBe(false);
      expect(await queue.retryDeadJob('job_not-there')).toBe(false);
    });

    it('lists dead jobs newest first within the limit', async () => {
      const queue = await open();
      const name = uniqueName('dead-list');
      await queue.process(name, () => {
        throw new NonRetryableJobError('INPUT_INVALID', 'The payload is not a contact.');
      });

      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const id = await queue.enqueue(name, { index });
        await waitForState(queue, id, 'dead');
        ids.push(id);
        await pause(5);
      }

      expect((await queue.listDeadJobs(name)).map((job) => job.id)).toEqual([...ids].reverse());
      expect((await queue.listDeadJobs(name, { limit: 2 })).map((job) => job.id)).toEqual([ids[2], ids[1]]);
      expect(await queue.listDeadJobs(uniqueName('no-dead'))).toEqual([]);
    });

    it('fails a non-retryable error at once', async () => {
      const queue = await open();
      const name = uniqueName('non-retryable');
      const log = createRunLog();
      await queue.process(name, (job) =>
        log.run(job, () => {
          throw new NonRetryableJobError('CONNECTION_NOT_FOUND', 'The connection was deleted.', { fault: 'caller' });
        }),
      );

      const id = await queue.enqueue(name, null, { attempts: 5, backoff: { type: 'fixed', delayMs: 10 } });
      const dead = await waitForState(queue, id, 'dead');

      expect(log.countFor(id)).toBe(1);
      expect(dead?.attemptsMade).toBe(1);
      expect(dead?.lastError?.code).toBe('CONNECTION_NOT_FOUND');
    });

    it('fails a job whose result is not JSON', async () => {
      const queue = await open();
      const name = uniqueName('bad-result');
      await queue.process(name, () => ({ count: 10n }));

      const id = await queue.enqueue(name, null, { attempts: 3 });
      const dead = await waitForState(queue, id, 'dead');

      expect(dead?.attemptsMade).toBe(1);
      expect(dead?.lastError?.code).toBe('JOB_RESULT_INVALID');
    });

    it('enqueues a job id once', async () => {
      const queue = await open();
      const name = uniqueName('idempotent');
      const log = createRunLog();

      const first = await queue.enqueue(name, { version: 1 }, { jobId: `${name}.sync-42` });
      const second = await queue.enqueue(name, { version: 2 }, { jobId: `${name}.sync-42` });

      expect(first).toBe(`${name}.sync-42`);
      expect(second).toBe(first);
      expect((await queue.getJob(first))?.payload).toEqual({ version: 1 });

      await queue.process(name, (job) => log.run(job, () => job.payload));
      await waitForState(queue, first, 'completed');
      const third = await queue.enqueue(name, { version: 3 }, { jobId: `${name}.sync-42` });
      await pause(300);

      expect(third).toBe(first);
      expect(log.countFor(first)).toBe(1);
      expect((await queue.getJob(first))?.result).toEqual({ version: 1 });
    });

    it('rejects a job id used by another name', async () => {
      const queue = await open();
      const name = uniqueName('id-owner');
      const id = `${name}.shared`;
      await queue.enqueue(name, null, { jobId: id });

      await expect(queue.enqueue(uniqueName('id-thief'), null, { jobId: id })).rejects.toMatchObject({ code: 'JOB_ID_CONFLICT', status: 409 });
      expect((await queue.getJob(id))?.name).toBe(name);
    });

    it('runs one job per concurrency key across two workers', async () => {
      const producer = await open();
      const workers = [await open(), await open()];
      const name = uniqueName('keyed');
      const log = createRunLog();
      const ranOn = new Map<string, number>();
      for (const [index, worker] of workers.entries()) {
        await worker.process(
          name,
          (job) =>
            log.run(job, async () => {
              ranOn.set(job.id, index);
              await pause(25);
            }),
          { concurrency: 4 },
        );
      }

      const ids: string[] = [];
      for (let index = 0; index < 6; index += 1) {
        ids.push(await producer.enqueue(name, { index }, { concurrencyKey: `${name}:conn-1:contacts` }));
        ids.push(await producer.enqueue(name, { index }, { concurrencyKey: `${name}:conn-2:contacts` }));
        ids.push(await producer.enqueue(name, { index }));
      }
      for (const id of ids) await waitForState(producer, id, 'completed', 20_000);

      expect(log.maxActiveFor(`${name}:conn-1:contacts`)).toBe(1);
      expect(log.maxActiveFor(`${name}:conn-2:contacts`)).toBe(1);
      // Different keys and unkeyed jobs still run side by side.
      expect(log.maxActive).toBeGreaterThanOrEqual(2);
      expect(log.starts).toHaveLength(ids.length);
      expect(new Set(ranOn.values()).size).toBe(2);
    });

    it('keys limit jobs of different names too', async () => {
      const queue = await open();
      const first = uniqueName('key-first');
      const second = uniqueName('key-second');
      const key = `${first}:shared-key`;
      const log = createRunLog();
      for (const name of [first, second]) {
        await queue.process(name, (job) => log.run(job, () => pause(30)), { concurrency: 3 });
      }

      const ids: string[] = [];
      for (let index = 0; index < 4; index += 1) {
        ids.push(await queue.enqueue(first, null, { concurrencyKey: key }));
        ids.push(await queue.enqueue(second, null, { concurrencyKey: key }));
      }
      for (const id of ids) await waitForState(queue, id, 'completed', 20_000);

      expect(log.maxActiveFor(key)).toBe(1);
      expect(log.starts).toHaveLength(8);
    });

    it('never runs one job in two workers', async () => {
      const producer = await open();
      const workers = [await open(), await open()];
      const name = uniqueName('exclusive');
      const log = createRunLog();
      const ranOn = new Map<string, number>();
      for (const [index, worker] of workers.entries()) {
        await worker.process(
          name,
          (job) =>
            log.run(job, async () => {
              ranOn.set(job.id, index);
              await pause(Math.floor(Math.random() * 6));
            }),
          { concurrency: 5 },
        );
      }

      const ids: string[] = [];
      for (let index = 0; index < 120; index += 1) ids.push(await producer.enqueue(name, { index }));
      await waitFor(
        async () => (await Promise.all(ids.map((id) => producer.getJob(id)))).filter((job) => job?.state === 'completed').length,
        (count) => count === ids.length,
        30_000,
        'all jobs to complete',
      );

      for (const id of ids) expect(log.countFor(id)).toBe(1);
      expect(log.maxActiveForOneId).toBe(1);
      expect(new Set(ranOn.values()).size).toBe(2);
    });

    it('aborts the handler when its lock is lost', async () => {
      const queue = await open();
      const name = uniqueName('lock-lost');
      let aborted: boolean | undefined;
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      await queue.process(name, async (job) => {
        // The queue runs the job again once its broken lock expires; that run ends at once.
        if (aborted !== undefined) return;
        started();
        const abortedInTime = await Promise.race([
          new Promise<boolean>((resolve) => job.signal.addEventListener('abort', () => resolve(true), { once: true })),
          pause(CONTRACT_SETTINGS.lockMs * 4).then(() => false),
        ]);
        aborted = abortedInTime;
      });

      const id = await queue.enqueue(name, null);
      await running;
      await harness.breakLock(name, id);

      await waitFor(() => aborted, (value) => value !== undefined, CONTRACT_SETTINGS.lockMs * 5, 'the handler to return');
      expect(aborted).toBe(true);
    });

    it('takes over a job whose worker process was killed', async () => {
      const name = uniqueName('takeover');
      const key = `${name}:conn-1:contacts`;
      const producer = await open();
      const child = startWorkerChild({ ...harness.backendConfig(), name, concurrency: 2, settings: CONTRACT_SETTINGS });
      onTestFinished(() => child.kill());
      await child.waitForEvent((event) => event.event === 'ready', 20_000);

      const first = await producer.enqueue(name, { order: 1 }, { concurrencyKey: key, attempts: 1 });
      await child.waitForEvent((event) => event.event === 'started' && event.id === first, 10_000);
      const second = await producer.enqueue(name, { order: 2 }, { concurrencyKey: key });
      // The child has a free slot, but the key of the job it runs keeps it from starting the second.
      await pause(300);
      expect((await producer.getJob(first))?.state).toBe('active');
      await child.kill();
      const killedAt = Date.now();

      const log = createRunLog();
      const worker = await open();
      await worker.process(name, (job) => log.run(job, () => pause(50).then(() => `taken over by ${process.pid}`)), { concurrency: 2 });
      const firstDone = await waitForState(producer, first, 'completed', 15_000);
      await waitForState(producer, second, 'completed', 15_000);

      // The dead worker extended its locks at least every half lock time, so neither its job
      // nor its key may be handed out before then.
      for (const start of log.starts) expect(start.at - killedAt).toBeGreaterThanOrEqual(CONTRACT_SETTINGS.lockMs / 2 - 100);
      expect(log.maxActiveFor(key)).toBe(1);
      expect(log.countFor(first)).toBe(1);
      expect(log.countFor(second)).toBe(1);
      expect(firstDone?.result).toBe(`taken over by ${process.pid}`);
      // The stalled attempt is not counted, so a job with one attempt still ran again.
      expect(firstDone?.attemptsMade).toBe(1);
      expect(log.starts.find((start) => start.id === first)?.attempt).toBe(1);
    });

    it('moves a job that stalls too often to the dead-letter list', async () => {
      const name = uniqueName('stalled-dead');
      const producer = await open({ maxStalledCount: 0 });
      const child = startWorkerChild({ ...harness.backendConfig(), name, concurrency: 1, settings: CONTRACT_SETTINGS });
      onTestFinished(() => child.kill());
      await child.waitForEvent((event) => event.event === 'ready', 20_000);

      const id = await producer.enqueue(name, null, { attempts: 3 });
      await child.waitForEvent((event) => event.event === 'started' && event.id === id, 10_000);
      await child.kill();

      const log = createRunLog();
      await producer.process(name, (job) => log.run(job, () => 'should not run'));
      const dead = await waitForState(producer, id, 'dead', 15_000);

      expect(log.countFor(id)).toBe(0);
      expect(dead?.lastError?.code).toBe('JOB_STALLED');
      expect((await producer.listDeadJobs(name)).map((job) => job.id)).toEqual([id]);
    });

    it.each([
      ['an empty name', '', {}],
      ['a name with a colon', 'sync:contacts', {}],
      ['a negative delay', 'ok', { delayMs: -1 }],
      ['a fractional delay', 'ok', { delayMs: 1.5 }],
      ['a negative priority', 'ok', { priority: -1 }],
      ['a priority above the maximum', 'ok', { priority: MAX_PRIORITY + 1 }],
      ['zero attempts', 'ok', { attempts: 0 }],
      ['an unknown backoff type', 'ok', { backoff: { type: 'linear', delayMs: 10 } }],
      ['a negative backoff delay', 'ok', { backoff: { type: 'fixed', delayMs: -5 } }],
      ['an empty job id', 'ok', { jobId: '' }],
      ['a job id with a colon', 'ok', { jobId: 'sync:1' }],
      ['a job id of digits only', 'ok', { jobId: '12345' }],
      ['a job id longer than 200 characters', 'ok', { jobId: 'x'.repeat(201) }],
      ['an empty concurrency key', 'ok', { concurrencyKey: '' }],
      ['a concurrency key longer than 255 characters', 'ok', { concurrencyKey: 'k'.repeat(256) }],
    ])('rejects %s', async (_case, name, options) => {
      const queue = await open();

      await expect(queue.enqueue(name, null, options as never)).rejects.toMatchObject({ code: 'JOB_OPTIONS_INVALID', status: 400 });
    });

    it('rejects payloads JSON cannot carry', async () => {
      const queue = await open();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;

      await expect(queue.enqueue('ok', undefined)).rejects.toMatchObject({ code: 'JOB_OPTIONS_INVALID' });
      await expect(queue.enqueue('ok', cyclic)).rejects.toMatchObject({ code: 'JOB_OPTIONS_INVALID' });
      await expect(queue.enqueue('ok', { big: 1n })).rejects.toMatchObject({ code: 'JOB_OPTIONS_INVALID' });
      await expect(queue.enqueue('ok', { text: 'x'.repeat(MAX_PAYLOAD_BYTES) })).rejects.toMatchObject({ code: 'JOB_PAYLOAD_TOO_LARGE', status: 413 });
    });

    it('rejects bad worker options', async () => {
      const queue = await open();
      const name = uniqueName('worker-options');

      await expect(queue.process(name, () => null, { concurrency: 0 })).rejects.toMatchObject({ code: 'JOB_OPTIONS_INVALID' });
      await expect(queue.process('bad:name', () => null)).rejects.toMatchObject({ code: 'JOB_OPTIONS_INVALID' });
      await expect(queue.listDeadJobs(name, { limit: 0 })).rejects.toMatchObject({ code: 'JOB_OPTIONS_INVALID' });
      await queue.process(name, () => null);
      await expect(queue.process(name, () => null)).rejects.toMatchObject({ code: 'JOB_HANDLER_EXISTS' });
    });

    it('rejects use after close', async () => {
      const queue = await harness.openQueue();
      await queue.close();

      await expect(queue.enqueue('ok', null)).rejects.toMatchObject({ code: 'JOB_QUEUE_CLOSED' });
      await expect(queue.process('ok', () => null)).rejects.toMatchObject({ code: 'JOB_QUEUE_CLOSED' });
      await queue.close();
    });
  });
}
