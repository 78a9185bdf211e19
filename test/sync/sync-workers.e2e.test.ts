import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createJobQueue, type JobQueue } from '../../platform/src/jobs/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { openStore, type Store, type SyncRun } from '../../platform/src/store/index.js';
import { enqueueRunJob } from '../../platform/src/sync/index.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL, type TemporaryDatabase } from '../store/databases.js';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.js';

// One API process (`lumio start --no-worker`) and two `lumio worker` processes share
// PostgreSQL and a BullMQ queue of 200 sync runs over 20 connections, ten runs per
// connection and object. Every run must execute exactly once, and never two runs of the
// same connection and object at the same time.

const CONNECTORS_DIR = fileURLToPath(new URL('../../connectors', import.meta.url));
const CONNECTIONS = 20;
const RUNS_PER_CONNECTION = 10;
const CONTACTS = 30;
const ARCHIVED = 2;
const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;
/** A Redis database of its own, so the BullMQ queue of this test meets no job of another suite. */
const REDIS_DATABASE = 10;
const SKIP = !POSTGRES_ADMIN_URL || !REDIS_URL;
const SUITE = SKIP ? 'sync runs shared by worker processes (skipped: set LUMIO_TEST_DATABASE_URL and LUMIO_TEST_REDIS_URL to run)' : 'sync runs shared by worker processes';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(SKIP)(SUITE, () => {
  let database: TemporaryDatabase;
  let store: Store;
  let producer: JobQueue;
  const simulators: HubSpotSimulator[] = [];
  const processes: PlatformProcess[] = [];
  const apiKey = `workers_${randomBytes(24).toString('base64url')}`;
  const redisUrl = (() => {
    if (!REDIS_URL) return '';
    const url = new URL(REDIS_URL);
    url.pathname = `/${REDIS_DATABASE}`;
    return url.toString();
  })();

  const env = () => ({
    PORT: '0',
    LUMIO_DATA_DIR: database.options.dataDir,
    DATABASE_URL: database.options.databaseUrl as string,
    REDIS_URL: redisUrl,
    LUMIO_ADMIN_API_KEY: apiKey,
    LUMIO_CONNECTORS_DIR: CONNECTORS_DIR,
    LUMIO_DEMO: 'false',
    LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
    LOG_LEVEL: 'info',
    LUMIO_SYNC_CONCURRENCY: '4',
  });

  beforeAll(async () => {
    database = await createTemporaryDatabase('postgres');
    for (let index = 0; index < CONNECTIONS; index += 1) {
      const simulator = createHubSpotSimulator({ tokens: [`token-${index}`], seed: { seed: 100 + index, contacts: { count: CONTACTS, archivedCount: ARCHIVED } }, rateLimit: false });
      await simulator.start();
      simulators.push(simulator);
    }
  }, 120_000);

  afterAll(async () => {
    for (const child of processes) await child.kill();
    await producer?.close();
    await store?.close();
    for (const simulator of simulators) await simulator.close();
    await database?.dispose();
  });

  it('runs every sync once without overlap', async () => {
    const api = startPlatformProcess('start', env(), ['--no-worker']);
    processes.push(api);
    const url = await api.waitForUrl();
    const workers = [startPlatformProcess('worker', env()), startPlatformProcess('worker', env())];
    processes.push(...workers);
    for (const worker of workers) await worker.waitForOutput(/"msg":"workers started"/);
    store = await openStore({ ...database.options, logger: silentLogger });
    producer = await createJobQueue({ store, redisUrl, logger: silentLogger });

    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as any };
    };

    // The first run of each connection goes through the API. The API returns the active run
    // instead of queueing a second one, so the other nine are queued behind it directly,
    // the way the API queues a run.
    const connectionIds: string[] = [];
    const runs: SyncRun[] = [];
    for (const [index, simulator] of simulators.entries()) {
      const connect = await call('POST', '/v1/integrations/hubspot/connect', { name: `account-${index}`, credentials: { accessToken: `token-${index}` }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      expect(connect.status).toBe(200);
      connectionIds.push(connect.body.connectionId);
    }
    for (const connectionId of connectionIds) {
      const started = await call('POST', `/v1/integrations/${connectionId}/sync`, { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      runs.push((await store.syncRuns.get(started.body.id)) as SyncRun);
    }
    // The runs of one connection are queued next to each other, so the workers would claim
    // several of them at once if the concurrency key did not hold them back.
    const workspaceId = runs[0]!.workspaceId;
    for (const connectionId of connectionIds) {
      for (let round = 1; round < RUNS_PER_CONNECTION; round += 1) {
        const run = await store.syncRuns.create({ workspaceId, connectionId, object: 'contacts', mode: 'full', trigger: 'manual' });
        await enqueueRunJob(producer, run);
        runs.push(run);
      }
    }
    expect(runs).toHaveLength(CONNECTIONS * RUNS_PER_CONNECTION);

    const deadline = Date.now() + 240_000;
    let ended: SyncRun[] = [];
    while (Date.now() < deadline) {
      ended = (await Promise.all(runs.map((run) => store.syncRuns.get(run.id)))) as SyncRun[];
      if (ended.every((run) => run.status !== 'queued' && run.status !== 'running')) break;
      await pause(250);
    }

    // Every run succeeded, in one attempt, started once and finished once.
    expect(ended.filter((run) => run.status !== 'succeeded').map((run) => `${run.id}: ${run.status} ${run.errorCode ?? ''}`)).toEqual([]);
    const workerPids = new Set<string>();
    for (const run of ended) {
      const log = await store.syncRunLogs.list({ runId: run.id, limit: 1000 });
      const starts = log.entries.filter((entry) => entry.kind === 'started');
      expect(starts, `run ${run.id}`).toHaveLength(1);
      expect(log.entries.filter((entry) => entry.kind === 'succeeded'), `run ${run.id}`).toHaveLength(1);
      workerPids.add(String(starts[0]?.details?.worker).split(':').at(-1) ?? '');
      const job = await producer.getJob(run.id);
      expect(job?.state).toBe('completed');
      expect(job?.attemptsMade).toBe(1);
    }
    // Both workers ran syncs, and the API process, started without workers, ran none.
    expect([...workerPids].sort()).toEqual(workers.map((worker) => String(worker.pid)).sort());

    // Each simulator served its list page once per run: no run was read twice.
    for (const simulator of simulators) {
      expect(simulator.requests.count((entry) => entry.path === '/crm/v3/objects/contacts' && entry.query.archived === 'false')).toBe(RUNS_PER_CONNECTION);
    }

    // Runs of one connection and object never overlap.
    const overlaps: string[] = [];
    for (const connectionId of connectionIds) {
      const own = ended.filter((run) => run.connectionId === connectionId).sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!));
      expect(own).toHaveLength(RUNS_PER_CONNECTION);
      for (let index = 1; index < own.length; index += 1) {
        const previous = own[index - 1]!;
        const next = own[index]!;
        if (Date.parse(previous.finishedAt!) > Date.parse(next.startedAt!)) overlaps.push(`${previous.id} ends ${previous.finishedAt} after ${next.id} starts ${next.startedAt}`);
      }
      expect(await store.records.count({ connectionId, includeDeleted: true })).toBe(CONTACTS + ARCHIVED);
    }
    expect(overlaps).toEqual([]);

    for (const child of [...workers, api]) expect(await child.stop()).toBe(0);
  }, 300_000);
});
