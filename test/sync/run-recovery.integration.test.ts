import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { ConnectionService } from '../../platform/src/connections/index.js';
import { createEmbeddedJobQueue, NonRetryableJobError, type JobQueue } from '../../platform/src/jobs/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { Store, SyncRun } from '../../platform/src/store/index.js';
import { enqueueRunJob, recoverRuns, SYNC_RUN_JOB, SyncEngine } from '../../platform/src/sync/index.js';
import { forEachDatabase } from '../store/databases.js';

async function waitForJobState(queue: JobQueue, id: string, state: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await queue.getJob(id))?.state === state) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Job ${id} did not reach ${state}.`);
}

forEachDatabase((database) => {
  describe('recoverRuns', () => {
    let store: Store;
    let workspaceId: string;
    let connectionId: string;
    const queues: JobQueue[] = [];

    // recoverRuns only records failures, which need no connection service.
    const engine = () => new SyncEngine({ store, connections: {} as ConnectionService, logger: silentLogger });
    const openQueue = () => {
      const queue = createEmbeddedJobQueue({ store, logger: silentLogger, pollIntervalMs: 20 });
      queues.push(queue);
      return queue;
    };
    const createRun = (object: string): Promise<SyncRun> => store.syncRuns.create({ workspaceId, connectionId, object, mode: 'full', trigger: 'manual' });

    beforeAll(async () => {
      store = await database.openStore();
      workspaceId = (await store.workspaces.getOrCreateDefault()).id;
      connectionId = (await store.connections.create({ workspaceId, connectorId: 'hubspot', name: 'recovery', authMethod: 'bearer', status: 'connected' })).id;
    });

    afterEach(async () => {
      for (const queue of queues.splice(0)) await queue.close();
      await store.knex('jobs').delete();
      await store.knex('sync_runs').delete();
    });

    it('enqueues a run that has no job', async () => {
      const queue = openQueue();
      const run = await createRun('contacts');

      const result = await recoverRuns({ store, jobs: queue, engine: engine(), logger: silentLogger });

      expect(result).toEqual({ enqueued: 1, failed: 0 });
      const job = await queue.getJob(run.id);
      expect(job?.name).toBe(SYNC_RUN_JOB);
      expect(job?.state).toBe('waiting');
      expect(job?.payload).toEqual({ runId: run.id });
      expect(job?.concurrencyKey).toBe(`${connectionId}:contacts`);
      expect((await store.syncRuns.get(run.id))?.status).toBe('queued');
    });

    it('fails a run whose job is dead', async () => {
      const run = await createRun('deals');
      const worker = openQueue();
      await enqueueRunJob(worker, run);
      await worker.process(SYNC_RUN_JOB, () => {
        throw new NonRetryableJobError('PROVIDER_GONE', 'The provider account was closed.');
      });
      await waitForJobState(worker, run.id, 'dead');

      const result = await recoverRuns({ store, jobs: openQueue(), engine: engine(), logger: silentLogger });

      expect(result).toEqual({ enqueued: 0, failed: 1 });
      const failed = await store.syncRuns.get(run.id);
      expect(failed?.status).toBe('failed');
      expect(failed?.errorCode).toBe('PROVIDER_GONE');
      expect(failed?.errorMessage).toContain('The provider account was closed.');
      expect(failed?.finishedAt).not.toBeNull();
    });

    it('fails a run whose job completed without ending it', async () => {
      const run = await createRun('companies');
      const worker = openQueue();
      await enqueueRunJob(worker, run);
      await worker.process(SYNC_RUN_JOB, () => null);
      await waitForJobState(worker, run.id, 'completed');

      const result = await recoverRuns({ store, jobs: openQueue(), engine: engine(), logger: silentLogger });

      expect(result).toEqual({ enqueued: 0, failed: 1 });
      expect((await store.syncRuns.get(run.id))?.errorCode).toBe('SYNC_JOB_ENDED');
    });

    it('leaves runs with a live job and ended runs alone', async () => {
      const queue = openQueue();
      const waiting = await createRun('contacts');
      await enqueueRunJob(queue, waiting);
      const ended = await createRun('deals');
      await store.syncRuns.update(ended.id, { status: 'succeeded', finishedAt: new Date().toISOString() });

      const first = await recoverRuns({ store, jobs: queue, engine: engine(), logger: silentLogger });
      const second = await recoverRuns({ store, jobs: queue, engine: engine(), logger: silentLogger });

      expect(first).toEqual({ enqueued: 0, failed: 0 });
      expect(second).toEqual({ enqueued: 0, failed: 0 });
      expect((await store.syncRuns.get(waiting.id))?.status).toBe('queued');
      expect((await store.syncRuns.get(ended.id))?.status).toBe('succeeded');
      expect(await queue.getJob(ended.id)).toBeNull();
    });

    it('enqueues a run once when a start races it', async () => {
      const queue = openQueue();
      const run = await createRun('contacts');

      const [, recovered] = await Promise.all([enqueueRunJob(queue, run), recoverRuns({ store, jobs: queue, engine: engine(), logger: silentLogger })]);

      expect(recovered.failed).toBe(0);
      const rows = await store.knex('jobs').where({ name: SYNC_RUN_JOB });
      expect(rows).toHaveLength(1);
    });
  });
});
