import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SyncScheduler, scheduleJobId } from '../../platform/src/sync/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { watchRun, startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';

const TOKEN = 'sync-api-token';
const CONTACTS = 350;
const PAGE_SIZE = 100;
/** Tables a sync writes to. A preview must leave each one unchanged. */
const SYNC_TABLES = ['records', 'sync_state', 'sync_runs', 'sync_run_logs', 'jobs', 'lumio_events', 'sync_schedules'];

/** Fingerprints the sync tables: row counts and a SHA-256 over every row, sorted. */
async function snapshotTables(test: TestPlatform): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const table of SYNC_TABLES) {
    const rows = (await test.platform.store.knex(table).select('*')) as Record<string, unknown>[];
    const lines = rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
    snapshot[table] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return snapshot;
}

/** Waits until the job of a run is completed: the queue records it just after the run ends. */
async function waitForJobCompleted(test: TestPlatform, runId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await test.platform.jobs.getJob(runId))?.state === 'completed') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`The job of run ${runId} did not complete.`);
}

async function readLog(test: TestPlatform, query = ''): Promise<{ status: number; body: any }> {
  return test.call('GET', `/v1/integrations/hubspot/sync/logs${query}`);
}

forEachDatabase((database) => {
  describe('sync schedules, logs and preview through the REST API', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let connectionId: string;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 5, contacts: { count: CONTACTS, archivedCount: 0 } }, rateLimit: false });
      await simulator.start();
      // A short maintenance interval lets the recovery test below finish in a second.
      test = await startTestPlatform({ store: database.storeOptions(), env: { LUMIO_SYNC_SCHEDULER_INTERVAL_MS: '300' } });
      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      expect(connect.status).toBe(200);
      connectionId = connect.body.connectionId;
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('preview of an empty store counts inserts and writes nothing', async () => {
      const before = await snapshotTables(test);

      const { status, body } = await test.call('POST', '/v1/integrations/hubspot/sync/preview', { type: 'contacts', mode: 'full' });

      expect(status).toBe(200);
      expect(body.object).toBe('contacts');
      expect(body.canonicalObject).toBe('contact');
      expect(body.phase).toBe('list');
      expect(body.counts).toEqual({ read: PAGE_SIZE, wouldInsert: PAGE_SIZE, wouldUpdate: 0, wouldDelete: 0, unchanged: 0 });
      expect(body.records).toHaveLength(PAGE_SIZE);
      const first = simulator.store.list('contacts')[0]!;
      const previewed = body.records.find((record: any) => record.externalId === first.id);
      expect(previewed.action).toBe('insert');
      expect(previewed.data.firstName).toBe(first.properties.firstname?.trim() ?? null);
      expect(await snapshotTables(test)).toEqual(before);
    });

    it('sync logs pages, start and end', async () => {
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      const watch = await watchRun(test, 'hubspot');
      expect(watch.final.lastRun.status).toBe('succeeded');
      // The next test compares the jobs table before and after a preview.
      await waitForJobCompleted(test, started.body.id);

      const { status, body } = await readLog(test);

      expect(status).toBe(200);
      expect(body.run.id).toBe(started.body.id);
      const kinds = body.entries.map((entry: any) => entry.kind);
      expect(kinds[0]).toBe('started');
      expect(kinds.at(-1)).toBe('succeeded');
      const pages = body.entries.filter((entry: any) => entry.kind === 'page');
      expect(pages.map((entry: any) => entry.page)).toEqual(pages.map((_: unknown, index: number) => index + 1));
      expect(pages.reduce((sum: number, entry: any) => sum + entry.records, 0)).toBe(CONTACTS);
      expect(pages.reduce((sum: number, entry: any) => sum + entry.inserted, 0)).toBe(CONTACTS);
      expect(pages.every((entry: any) => typeof entry.durationMs === 'number' && entry.durationMs >= 0)).toBe(true);
      expect(pages.every((entry: any) => typeof entry.requestId === 'string' && entry.requestId.length > 0)).toBe(true);
      expect(body.entries[0].attempt).toBe(1);
      expect(body.entries[0].details.resuming).toBe(false);
      expect(body.entries.every((entry: any) => entry.code === null)).toBe(true);
    });

    it('preview after a sync finds changes by content hash', async () => {
      const firstPage = simulator.store.list('contacts').slice(0, PAGE_SIZE);
      for (const record of firstPage.slice(10, 13)) simulator.store.update('contacts', record.id, { jobtitle: `Gerente ${record.id}` });
      const before = await snapshotTables(test);

      const full = await test.call('POST', '/v1/integrations/hubspot/sync/preview', { type: 'contacts', mode: 'full' });
      const incremental = await test.call('POST', '/v1/integrations/hubspot/sync/preview', { type: 'contacts', mode: 'incremental' });

      expect(full.status).toBe(200);
      expect(full.body.counts).toEqual({ read: PAGE_SIZE, wouldInsert: 0, wouldUpdate: 3, wouldDelete: 0, unchanged: PAGE_SIZE - 3 });
      const updated = full.body.records.filter((record: any) => record.action === 'update').map((record: any) => record.externalId);
      expect(updated.sort()).toEqual(firstPage.slice(10, 13).map((record) => record.id).sort());
      expect(incremental.status).toBe(200);
      expect(incremental.body.phase).toBe('incremental');
      expect(incremental.body.counts).toMatchObject({ read: 3, wouldUpdate: 3, wouldInsert: 0, unchanged: 0 });
      expect(await snapshotTables(test)).toEqual(before);
    });

    it('preview rejects bad input', async () => {
      const missing = await test.call('POST', '/v1/integrations/hubspot/sync/preview', { mode: 'full' });
      const unknownObject = await test.call('POST', '/v1/integrations/hubspot/sync/preview', { type: 'contact' });
      const badMode = await test.call('POST', '/v1/integrations/hubspot/sync/preview', { type: 'contacts', mode: 'partial' });
      const unknownField = await test.call('POST', '/v1/integrations/hubspot/sync/preview', { typ: 'contacts' });

      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('FIELD_REQUIRED');
      expect(unknownObject.status).toBe(400);
      expect(unknownObject.body.code).toBe('OBJECT_NOT_FOUND');
      expect(unknownObject.body.detail).toContain('Did you mean contacts?');
      expect(badMode.status).toBe(400);
      expect(badMode.body.field).toBe('mode');
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.code).toBe('FIELD_UNKNOWN');
      expect(unknownField.body.detail).toContain('did you mean type?');
    });

    it('logs retries and lists them with filter=failed', async () => {
      // The run's first request (a search) gets two 503s, which the retry policy sends again.
      simulator.failNext(2, 503);
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
      const watch = await watchRun(test, 'hubspot');
      expect(watch.final.lastRun.status).toBe('succeeded');

      const { status, body } = await readLog(test, `?run=${started.body.id}&filter=failed`);

      expect(status).toBe(200);
      expect(body.entries.map((entry: any) => entry.kind)).toEqual(['retry', 'retry']);
      expect(body.entries.map((entry: any) => entry.code)).toEqual(['HTTP_503', 'HTTP_503']);
      expect(body.entries.map((entry: any) => entry.details.attempt)).toEqual([1, 2]);
      expect(body.entries.every((entry: any) => typeof entry.requestId === 'string')).toBe(true);
      expect(JSON.stringify(body)).not.toContain(TOKEN);
    }, 60_000);

    it('logs the error of a failed run', async () => {
      // 400 is not retryable, so the first search fails the run. A full run is not used
      // because it first asks for a count estimate, whose failure is ignored.
      simulator.failNext(1, 400);
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
      const watch = await watchRun(test, 'hubspot');
      expect(watch.final.lastRun.status).toBe('failed');

      const { body } = await readLog(test, `?run=${started.body.id}&filter=failed`);

      expect(body.entries).toHaveLength(1);
      expect(body.entries[0].kind).toBe('failed');
      expect(body.entries[0].code).toBe(watch.final.lastRun.error.code);
      expect(body.entries[0].message).toBe(watch.final.lastRun.error.message);
      expect(body.entries[0].requestId).toEqual(expect.any(String));
    });

    it('pages the log with a cursor', async () => {
      const runs = await test.platform.store.syncRuns.list(connectionId, { limit: 10 });
      const firstRun = runs.at(-1)!;
      const all = await readLog(test, `?run=${firstRun.id}&limit=1000`);
      expect(all.body.nextCursor).toBeNull();

      const paged: any[] = [];
      let cursor: string | null = null;
      let requests = 0;
      do {
        const query: string = `?run=${firstRun.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const { status, body } = await readLog(test, query);
        expect(status).toBe(200);
        paged.push(...body.entries);
        cursor = body.nextCursor;
        requests += 1;
      } while (cursor && requests < 100);

      expect(paged).toEqual(all.body.entries);
      expect(requests).toBe(Math.ceil(all.body.entries.length / 2));
      const pagesOnly = await readLog(test, `?run=${firstRun.id}&filter=pages&limit=1000`);
      expect(pagesOnly.body.entries.length).toBe(firstRun.pages);
      expect(pagesOnly.body.entries.every((entry: any) => entry.kind === 'page')).toBe(true);
    });

    it('log endpoint rejects bad queries', async () => {
      const misspelt = await readLog(test, '?filtr=failed');
      const badFilter = await readLog(test, '?filter=faild');
      const unknownRun = await readLog(test, '?run=run_0000000000aaaaaaaaaaaaaaaa');
      const badCursor = await readLog(test, '?cursor=not-a-cursor');
      const badLimit = await readLog(test, '?limit=0');

      expect(misspelt.status).toBe(400);
      expect(misspelt.body.code).toBe('QUERY_PARAMETER_UNKNOWN');
      expect(misspelt.body.detail).toContain('did you mean filter?');
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.detail).toContain('Did you mean failed?');
      expect(unknownRun.status).toBe(404);
      expect(unknownRun.body.code).toBe('SYNC_RUN_NOT_FOUND');
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.code).toBe('INVALID_CURSOR');
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.field).toBe('limit');
    });

    it('saves, lists and replaces schedules', async () => {
      const empty = await test.call('GET', '/v1/integrations/hubspot/sync/schedules');
      expect(empty.status).toBe(200);
      expect(empty.body.schedules).toEqual([]);

      const saved = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', {
        schedules: [
          { object: 'contacts', mode: 'incremental', every: '15m' },
          { object: 'deals', mode: 'full', cron: '30 2 * * 1' },
        ],
      });
      expect(saved.status).toBe(200);
      const listed = await test.call('GET', '/v1/integrations/hubspot/sync/schedules');

      expect(listed.body.schedules).toEqual(saved.body.schedules);
      const [contacts, deals] = listed.body.schedules;
      expect(contacts).toMatchObject({ object: 'contacts', mode: 'incremental', every: '15m', cron: null, lastRunAt: null });
      expect(Date.parse(contacts.nextRunAt) % 900_000).toBe(0);
      expect(Date.parse(contacts.nextRunAt)).toBeGreaterThan(Date.now());
      expect(deals).toMatchObject({ object: 'deals', mode: 'full', every: null, cron: '30 2 * * 1' });
      expect(new Date(deals.nextRunAt).getUTCDay()).toBe(1);
      expect(deals.nextRunAt.slice(11, 19)).toBe('02:30:00');

      const replaced = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', { schedules: [{ object: 'deals', mode: 'full', cron: '30 2 * * 1' }] });
      expect(replaced.body.schedules.map((schedule: any) => schedule.object)).toEqual(['deals']);
      expect(replaced.body.schedules[0].updatedAt).toBe(deals.updatedAt);

      const cleared = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', { schedules: [] });
      expect(cleared.body.schedules).toEqual([]);
    });

    it('schedules reject bad input', async () => {
      const badInterval = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', { schedules: [{ object: 'contacts', every: '10s' }] });
      const badObject = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', { schedules: [{ object: 'contatcs', every: '1h' }] });
      const badCron = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', { schedules: [{ object: 'contacts', cron: '0 0 30 2 *' }] });
      const missing = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', {});
      const unknownField = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', { schedule: [] });

      expect(badInterval.status).toBe(400);
      expect(badInterval.body.field).toBe('schedules[0].every');
      expect(badObject.status).toBe(400);
      expect(badObject.body.detail).toContain('Did you mean contacts?');
      expect(badCron.status).toBe(400);
      expect(badCron.body.detail).toContain('no date ever matches it');
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('FIELD_REQUIRED');
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.detail).toContain('did you mean schedules?');
      expect((await test.call('GET', '/v1/integrations/hubspot/sync/schedules')).body.schedules).toEqual([]);
    });

    it('a due slot is enqueued once and runs a sync', async () => {
      // Once a year, so the platform's own scheduler never finds it due during the test.
      const saved = await test.call('PUT', '/v1/integrations/hubspot/sync/schedules', { schedules: [{ object: 'contacts', mode: 'incremental', cron: '0 0 1 1 *' }] });
      const slotAt = Date.parse(saved.body.schedules[0].nextRunAt);
      const first = new SyncScheduler({ store: test.platform.store, jobs: test.platform.jobs, logger: silentLogger });
      const second = new SyncScheduler({ store: test.platform.store, jobs: test.platform.jobs, logger: silentLogger });

      const counts = await Promise.all([first.tick(slotAt + 1_000), second.tick(slotAt + 2_000)]);
      const again = await first.tick(slotAt + 3_000);

      expect(counts.sort()).toEqual([0, 1]);
      expect(again).toBe(0);
      const jobId = scheduleJobId(connectionId, 'contacts', slotAt);
      let job = await test.platform.jobs.getJob(jobId);
      for (let attempt = 0; attempt < 200 && job?.state !== 'completed'; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        job = await test.platform.jobs.getJob(jobId);
      }
      expect(job?.state).toBe('completed');
      const runId = (job?.result as { runId: string }).runId;
      const watch = await watchRun(test, 'hubspot');
      expect(watch.final.lastRun.id).toBe(runId);
      expect(watch.final.lastRun.trigger).toBe('schedule');
      expect(watch.final.lastRun.status).toBe('succeeded');
      const listed = await test.call('GET', '/v1/integrations/hubspot/sync/schedules');
      expect(listed.body.schedules[0].lastRunAt).toBe(new Date(slotAt).toISOString());
      const scheduleJobs = await test.platform.store.knex('jobs').where({ name: 'sync.schedule' }).count<{ count: unknown }[]>({ count: '*' });
      expect(Number(scheduleJobs[0]?.count)).toBe(1);
    });

    it('a run left without a job is enqueued and finishes', async () => {
      // As a run that a version without the job queue left queued.
      const orphan = await test.platform.store.syncRuns.create({ workspaceId: test.platform.admin.workspaceId, connectionId, object: 'contacts', mode: 'incremental', trigger: 'manual' });

      let run = await test.platform.store.syncRuns.get(orphan.id);
      for (let attempt = 0; attempt < 200 && run?.status !== 'succeeded'; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        run = await test.platform.store.syncRuns.get(orphan.id);
      }

      expect(run?.status).toBe('succeeded');
      // The queue marks the job completed just after the run row, so wait for it as other tests do.
      await waitForJobCompleted(test, orphan.id);
      expect((await test.platform.jobs.getJob(orphan.id))?.state).toBe('completed');
    });

    it('a run past its last page only records its end', async () => {
      // As a process killed after it saved the run's end state, before it marked the run succeeded.
      const { store } = test.platform;
      const run = await store.syncRuns.create({ workspaceId: test.platform.admin.workspaceId, connectionId, object: 'contacts', mode: 'full', trigger: 'manual', status: 'running' });
      const saved = (await store.syncState.get(connectionId, 'contacts'))?.state as Record<string, unknown>;
      await store.syncState.save(connectionId, 'contacts', { ...saved, completedRunId: run.id });
      simulator.requests.reset();

      let ended = await store.syncRuns.get(run.id);
      for (let attempt = 0; attempt < 200 && ended?.status === 'running'; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ended = await store.syncRuns.get(run.id);
      }

      expect(ended?.status).toBe('succeeded');
      expect(simulator.requests.count((entry) => entry.path === '/crm/v3/objects/contacts')).toBe(0);
      const { body } = await readLog(test, `?run=${run.id}`);
      expect(body.entries.map((entry: any) => entry.kind)).toEqual(['started', 'succeeded']);
      expect(body.entries[0].details.resuming).toBe(true);
    });
  });
});
