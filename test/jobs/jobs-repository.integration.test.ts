import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../platform/src/store/database-errors.js';
import type { NewJob, Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from '../store/databases.js';

// The jobs repository with explicit times, so claims, locks and stalls are checked
// statement by statement. Each test uses job names and keys of its own.

let counter = 0;
function unique(label: string): string {
  counter += 1;
  return `${label}-${counter}-${randomBytes(3).toString('hex')}`;
}

function newJob(name: string, overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: unique('job'),
    name,
    payload: { test: true },
    priority: 0,
    runAt: 1_000,
    maxAttempts: 3,
    backoffType: 'fixed',
    backoffDelayMs: 10,
    concurrencyKey: null,
    createdAt: 1_000,
    ...overrides,
  };
}

forEachDatabase((database) => {
  describe('jobs repository', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    async function insertAll(jobs: NewJob[]): Promise<string[]> {
      for (const job of jobs) await store.jobs.insert(job);
      return jobs.map((job) => job.id);
    }

    it('claims one job per key in priority order', async () => {
      const name = unique('keys');
      const [k1, k2] = [unique('key'), unique('key')];
      const [first, second, other, unkeyed, later] = await insertAll([
        newJob(name, { concurrencyKey: k1, priority: 1 }),
        newJob(name, { concurrencyKey: k1, priority: 1 }),
        newJob(name, { concurrencyKey: k2, priority: 2 }),
        newJob(name, { priority: 3 }),
        newJob(name, { concurrencyKey: k2, priority: 0, runAt: 50_000 }),
      ]);

      const claimed = await store.jobs.claim({ name, workerId: 'worker-a', limit: 10, lockMs: 1_000, now: 2_000 });

      expect(claimed.map((job) => job.id)).toEqual([first, other, unkeyed]);
      expect(claimed.every((job) => job.status === 'active' && job.lockedBy === 'worker-a' && job.lockedUntil === 3_000)).toBe(true);
      expect(await store.jobs.claim({ name, workerId: 'worker-b', limit: 10, lockMs: 1_000, now: 2_000 })).toEqual([]);

      expect(await store.jobs.complete('worker-a', [{ id: first as string, result: 'done' }], 2_100)).toEqual([first]);
      const next = await store.jobs.claim({ name, workerId: 'worker-b', limit: 10, lockMs: 1_000, now: 2_200 });
      expect(next.map((job) => job.id)).toEqual([second]);
      // The key k2 is still active, so its due job stays waiting even at a higher priority.
      const afterDue = await store.jobs.claim({ name, workerId: 'worker-b', limit: 10, lockMs: 1_000, now: 60_000 });
      expect(afterDue.map((job) => job.id)).toEqual([]);
      expect((await store.jobs.get(later as string))?.status).toBe('waiting');
    });

    it('claims due jobs only, earliest due first', async () => {
      const name = unique('due');
      const [late, early, future] = await insertAll([newJob(name, { runAt: 1_500 }), newJob(name, { runAt: 1_200 }), newJob(name, { runAt: 9_000 })]);

      const claimed = await store.jobs.claim({ name, workerId: 'worker-a', limit: 10, lockMs: 1_000, now: 2_000 });

      expect(claimed.map((job) => job.id)).toEqual([early, late]);
      expect(await store.jobs.nextRunAt(name)).toBe(9_000);
      expect((await store.jobs.get(future as string))?.status).toBe('waiting');
      expect(await store.jobs.nextRunAt(unique('empty'))).toBeNull();
    });

    it('rejects two active jobs of one key', async () => {
      const name = unique('unique-key');
      const key = unique('key');
      const [first, second] = await insertAll([newJob(name, { concurrencyKey: key }), newJob(name, { concurrencyKey: key })]);
      await store.jobs.claim({ name, workerId: 'worker-a', limit: 1, lockMs: 1_000, now: 2_000 });

      const forced = store.knex('jobs').where({ id: second }).update({ status: 'active', locked_by: 'intruder', locked_until: 3_000 });

      await expect(forced).rejects.toSatisfy(isUniqueViolation);
      expect((await store.jobs.get(first as string))?.status).toBe('active');
    });

    it('returns the stored job for a repeated id', async () => {
      const name = unique('idempotent');
      const job = newJob(name, { payload: { version: 1 } });

      const first = await store.jobs.insert(job);
      const second = await store.jobs.insert({ ...job, payload: { version: 2 }, priority: 9 });

      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.job).toEqual(first.job);
      expect(second.job.payload).toEqual({ version: 1 });
    });

    it('fences outcomes by worker', async () => {
      const name = unique('fenced');
      const [id] = await insertAll([newJob(name)]);
      await store.jobs.claim({ name, workerId: 'worker-a', limit: 1, lockMs: 1_000, now: 2_000 });

      expect(await store.jobs.complete('worker-b', [{ id: id as string, result: 1 }], 2_100)).toEqual([]);
      expect(await store.jobs.fail(id as string, 'worker-b', { code: 'X', message: 'y', retryAt: null, now: 2_100 })).toBe(false);
      expect(await store.jobs.extendLocks('worker-b', [id as string], 9_000)).toEqual([]);
      expect(await store.jobs.extendLocks('worker-a', [id as string, 'job_missing'], 9_000)).toEqual([id]);

      const job = await store.jobs.get(id as string);
      expect(job).toMatchObject({ status: 'active', lockedBy: 'worker-a', lockedUntil: 9_000, attemptsMade: 0 });
    });

    it('completes a batch with each result', async () => {
      const name = unique('batch');
      const ids = await insertAll(Array.from({ length: 5 }, () => newJob(name)));
      await store.jobs.claim({ name, workerId: 'worker-a', limit: 5, lockMs: 1_000, now: 2_000 });

      const completed = await store.jobs.complete('worker-a', ids.map((id, index) => ({ id, result: { index, text: `it's ${index}` } })), 2_500);

      expect([...completed].sort()).toEqual([...ids].sort());
      for (const [index, id] of ids.entries()) {
        expect(await store.jobs.get(id)).toMatchObject({ status: 'completed', result: { index, text: `it's ${index}` }, attemptsMade: 1, finishedAt: 2_500, lockedBy: null });
      }
    });

    it('schedules a retry or moves to dead on failure', async () => {
      const name = unique('fail');
      const [retried, dead] = await insertAll([newJob(name), newJob(name)]);
      await store.jobs.claim({ name, workerId: 'worker-a', limit: 2, lockMs: 1_000, now: 2_000 });

      expect(await store.jobs.fail(retried as string, 'worker-a', { code: 'PROVIDER_UNAVAILABLE', message: 'The provider returned 503.', retryAt: 4_000, now: 2_100 })).toBe(true);
      expect(await store.jobs.fail(dead as string, 'worker-a', { code: 'BAD', message: 'm'.repeat(5_000), retryAt: null, now: 2_100 })).toBe(true);

      expect(await store.jobs.get(retried as string)).toMatchObject({ status: 'waiting', runAt: 4_000, attemptsMade: 1, finishedAt: null, lastErrorCode: 'PROVIDER_UNAVAILABLE' });
      const deadJob = await store.jobs.get(dead as string);
      expect(deadJob).toMatchObject({ status: 'dead', attemptsMade: 1, finishedAt: 2_100, lastErrorCode: 'BAD' });
      expect(deadJob?.lastErrorMessage).toHaveLength(2_000);
      expect((await store.jobs.listDead(name, 10)).map((job) => job.id)).toEqual([dead]);

      expect(await store.jobs.retryDead(dead as string, 5_000)).toBe(true);
      expect(await store.jobs.retryDead(dead as string, 5_000)).toBe(false);
      expect(await store.jobs.get(dead as string)).toMatchObject({ status: 'waiting', runAt: 5_000, attemptsMade: 0, finishedAt: null });
    });

    it('requeues stalled jobs, then moves them to dead', async () => {
      const name = unique('stalled');
      const [id] = await insertAll([newJob(name, { concurrencyKey: unique('key') })]);
      const base = 10_000_000_000;
      await store.jobs.claim({ name, workerId: 'worker-a', limit: 1, lockMs: 100, now: base });

      const early = await store.jobs.requeueStalled(base + 50, 1);
      const first = await store.jobs.requeueStalled(base + 200, 1);

      expect(early.filter((job) => job.id === id)).toEqual([]);
      expect(first.filter((job) => job.id === id)).toEqual([{ id, name, status: 'waiting', stalledCount: 1 }]);
      expect(await store.jobs.get(id as string)).toMatchObject({ status: 'waiting', runAt: base + 200, attemptsMade: 0, lockedBy: null, lastErrorCode: 'JOB_STALLED' });

      await store.jobs.claim({ name, workerId: 'worker-b', limit: 1, lockMs: 100, now: base + 300 });
      const second = await store.jobs.requeueStalled(base + 500, 1);

      expect(second.filter((job) => job.id === id)).toEqual([{ id, name, status: 'dead', stalledCount: 2 }]);
      expect(await store.jobs.get(id as string)).toMatchObject({ status: 'dead', finishedAt: base + 500 });
    });

    it('purges completed jobs past the cutoff only', async () => {
      const name = unique('purge');
      const [old, recent, waiting] = await insertAll([newJob(name), newJob(name), newJob(name, { runAt: 99_999_999 })]);
      await store.jobs.claim({ name, workerId: 'worker-a', limit: 2, lockMs: 1_000, now: 2_000 });
      await store.jobs.complete('worker-a', [{ id: old as string, result: null }], 2_100);
      await store.jobs.complete('worker-a', [{ id: recent as string, result: null }], 5_000);

      const purged = await store.jobs.purgeCompleted(3_000);

      expect(purged).toBeGreaterThanOrEqual(1);
      expect(await store.jobs.get(old as string)).toBeNull();
      expect((await store.jobs.get(recent as string))?.status).toBe('completed');
      expect((await store.jobs.get(waiting as string))?.status).toBe('waiting');
    });

    it('never hands one job to two concurrent claims', async () => {
      const name = unique('race');
      const keys = Array.from({ length: 4 }, () => unique('key'));
      await insertAll(Array.from({ length: 120 }, (_, index) => newJob(name, { concurrencyKey: index % 2 === 0 ? (keys[index % 4] as string) : null })));
      const stores = [store, await database.openStore(), await database.openStore()];

      const rounds = await Promise.all(
        Array.from({ length: 12 }, (_, index) => (stores[index % stores.length] as Store).jobs.claim({ name, workerId: `worker-${index}`, limit: 15, lockMs: 60_000, now: 2_000 })),
      );

      const ids = rounds.flat().map((job) => job.id);
      expect(new Set(ids).size).toBe(ids.length);
      const activeKeys = rounds.flat().map((job) => job.concurrencyKey).filter((key) => key !== null);
      expect(new Set(activeKeys).size).toBe(activeKeys.length);
      expect(ids.length).toBeGreaterThanOrEqual(60);
    });

    it('rejects bad claim options', async () => {
      const name = unique('options');

      await expect(store.jobs.claim({ name, workerId: '', limit: 1, lockMs: 1_000, now: 1 })).rejects.toMatchObject({ code: 'JOB_WORKER_ID_INVALID' });
      await expect(store.jobs.claim({ name, workerId: 'w', limit: 0, lockMs: 1_000, now: 1 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      await expect(store.jobs.claim({ name, workerId: 'w', limit: 1, lockMs: 0, now: 1 })).rejects.toMatchObject({ code: 'JOB_LOCK_INVALID' });
      await expect(store.jobs.claim({ name, workerId: 'w', limit: 1, lockMs: 1_000, now: -1 })).rejects.toMatchObject({ code: 'JOB_TIME_INVALID' });
    });
  });
});
