import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore, type Store } from '../../platform/src/store/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL, type TemporaryDatabase } from '../store/databases.js';
import { startPlatformProcess, type PlatformProcess } from './support/platform-process.js';
import { startSimulatorProcess, type SimulatorProcess } from './support/simulator-process.js';

// A full sync of 50,000 HubSpot contacts during which the platform process is killed with
// SIGKILL ten times and started again each time. Its job is taken over after its lock
// expires and resumes from the last checkpoint. At the end the record store must contain
// exactly the simulator's contacts.

const CONNECTORS_DIR = fileURLToPath(new URL('../../connectors', import.meta.url));
const TOKEN = 'crash-test-token';
const CONTACTS = 50_000;
const ARCHIVED = 500;
const PAGE_SIZE = 100;
const KILLS = 10;
/**
 * Delay of every simulator response while the kills happen: the run then needs at least
 * 505 × 40 ms = 20 s of work, more than the kills below leave it (at most about 12 s).
 */
const RESPONSE_DELAY_MS = 40;
const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;
/** A Redis database of its own, so the BullMQ queue of this test meets no job of another suite. */
const REDIS_DATABASE = 9;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const randomBetween = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1));

/** Canonical JSON written here, independently of the store: object keys sorted, no whitespace. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  // Sorted by UTF-16 code units, as JavaScript compares strings.
  entries.sort(([a], [b]) => {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  });
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
}

/** Computes the content hash the record store documents: SHA-256 over the canonical JSON of { data, deleted, raw }. */
function expectedHash(data: unknown, raw: unknown, deleted: boolean): string {
  return createHash('sha256').update(canonical({ data, deleted, raw }), 'utf8').digest('hex');
}

interface Variant {
  name: string;
  kind: 'sqlite' | 'postgres';
  redisUrl?: string;
  skip: string | null;
}

// Each variant takes about 35 to 45 s on a 2-core machine, so neither waits for LUMIO_LONG_TESTS.
function variants(): Variant[] {
  const postgresSkip = !POSTGRES_ADMIN_URL || !REDIS_URL ? 'set LUMIO_TEST_DATABASE_URL and LUMIO_TEST_REDIS_URL to run' : null;
  return [
    { name: 'sqlite with the embedded queue', kind: 'sqlite', skip: null },
    { name: 'postgres with BullMQ', kind: 'postgres', redisUrl: REDIS_URL ? withDatabase(REDIS_URL, REDIS_DATABASE) : undefined, skip: postgresSkip },
  ];
}

function withDatabase(redisUrl: string, database: number): string {
  const url = new URL(redisUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

for (const variant of variants()) {
  const name = variant.skip ? `${variant.name} (skipped: ${variant.skip})` : variant.name;

  describe.skipIf(variant.skip !== null)(`sync survives SIGKILL: ${name}`, () => {
    let database: TemporaryDatabase;
    let simulator: SimulatorProcess;
    let store: Store | undefined;
    let current: PlatformProcess | undefined;
    const apiKey = `crash_${randomBytes(24).toString('base64url')}`;

    const env = () => ({
      PORT: '0',
      LUMIO_DATA_DIR: database.options.dataDir,
      ...(database.options.databaseUrl ? { DATABASE_URL: database.options.databaseUrl } : {}),
      ...(variant.redisUrl ? { REDIS_URL: variant.redisUrl } : {}),
      LUMIO_ADMIN_API_KEY: apiKey,
      LUMIO_CONNECTORS_DIR: CONNECTORS_DIR,
      LUMIO_DEMO: 'false',
      LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
      LOG_LEVEL: 'warn',
      // Short locks so a killed process's job is taken over within about a second.
      LUMIO_JOB_LOCK_MS: '1000',
      LUMIO_JOB_STALLED_INTERVAL_MS: '250',
      LUMIO_JOB_MAX_STALLED_COUNT: '100',
      LUMIO_SYNC_SCHEDULER_INTERVAL_MS: '1000',
    });

    const call = async (url: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };

    /** Waits until the run has stored more records than `after`, or has ended. */
    const waitForProgress = async (runId: string, after: number, timeoutMs = 60_000): Promise<number> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const run = await store!.syncRuns.get(runId);
        if (run && (run.progressCurrent > after || run.status === 'succeeded' || run.status === 'failed')) return run.progressCurrent;
        await pause(50);
      }
      throw new Error(`The run stored no records past ${after} within ${timeoutMs} ms:\n${current?.output() ?? ''}`);
    };

    beforeAll(async () => {
      database = await createTemporaryDatabase(variant.kind);
      simulator = await startSimulatorProcess({ contacts: CONTACTS, archived: ARCHIVED, token: TOKEN, seed: 23 });
    }, 120_000);

    afterAll(async () => {
      await current?.kill();
      await store?.close();
      await simulator?.stop();
      await database?.dispose();
    });

    it('matches the simulator exactly after ten kills', async () => {
      current = startPlatformProcess('start', env());
      let url = await current.waitForUrl();
      store = await openStore({ ...database.options, logger: silentLogger });

      const connect = await call(url, 'POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
      expect(connect.status).toBe(200);
      const connectionId: string = connect.body.connectionId;
      await simulator.setResponseDelay(RESPONSE_DELAY_MS);
      const started = await call(url, 'POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      const runId: string = started.body.id;

      // Kills 3 and 7 come at a random moment after the process was spawned, often while it
      // boots. The other odd kills come at a random moment after it listens, which may be
      // before it has taken the job over or in the middle of a page. Even kills wait until it
      // has stored more records. Every kill must land while the run is unfinished, or the
      // test proves nothing.
      let progress = 0;
      const statusesAtKill: string[] = [];
      for (let kill = 1; kill <= KILLS; kill += 1) {
        if (kill % 4 === 3) {
          await pause(randomBetween(0, 2_500));
        } else if (kill % 2 === 1) {
          await current.waitForUrl();
          await pause(randomBetween(0, 2_000));
        } else {
          await current.waitForUrl();
          progress = await waitForProgress(runId, progress);
          await pause(randomBetween(0, 800));
        }
        await current.kill();
        statusesAtKill.push((await store.syncRuns.get(runId))?.status ?? 'missing');
        current = startPlatformProcess('start', env());
      }
      url = await current.waitForUrl();
      expect(statusesAtKill.filter((status) => status !== 'queued' && status !== 'running')).toEqual([]);

      await simulator.setResponseDelay(0);
      let run = await store.syncRuns.get(runId);
      const deadline = Date.now() + 180_000;
      while (run && (run.status === 'queued' || run.status === 'running') && Date.now() < deadline) {
        await pause(200);
        run = await store.syncRuns.get(runId);
      }
      expect(run?.status, current.output()).toBe('succeeded');

      // Counted before the test reads the contacts itself, which the simulator logs too.
      const listRequests = (await simulator.requests()).filter((entry) => entry.method === 'GET' && entry.path === '/crm/v3/objects/contacts' && entry.query.archived === 'false').length;

      // The store contains exactly the simulator's contacts: the same ids, raw records equal
      // to what the simulator serves, and content hashes that match their content.
      const expected = await simulator.listAllContacts();
      expect(expected).toHaveLength(CONTACTS + ARCHIVED);
      const rows = (await store.knex('records').where({ connection_id: connectionId }).select('external_id', 'data', 'raw', 'deleted', 'content_hash')) as Record<string, unknown>[];
      const stored = new Map(rows.map((row) => [String(row.external_id), row]));
      expect(rows).toHaveLength(expected.length);
      expect(stored.size).toBe(rows.length);

      const mismatches: string[] = [];
      for (const source of expected) {
        const row = stored.get(source.id);
        if (!row) {
          mismatches.push(`${source.id}: missing`);
          continue;
        }
        const data = JSON.parse(String(row.data)) as Record<string, unknown>;
        const raw = JSON.parse(String(row.raw)) as unknown;
        const deleted = row.deleted === true || row.deleted === 1;
        if (canonical(raw) !== canonical(source)) mismatches.push(`${source.id}: raw differs from the simulator`);
        if (deleted !== (source.archived === true)) mismatches.push(`${source.id}: deleted ${deleted}, archived ${source.archived}`);
        if (row.content_hash !== expectedHash(data, raw, deleted)) mismatches.push(`${source.id}: content hash does not match the stored content`);
        if (data.firstName !== (source.properties.firstname?.trim() ?? null)) mismatches.push(`${source.id}: firstName ${String(data.firstName)}`);
      }
      expect(mismatches.slice(0, 10)).toEqual([]);

      // Resumed, not restarted: each kill repeats at most the page in flight and the one fetched ahead.
      expect(listRequests).toBeGreaterThanOrEqual(CONTACTS / PAGE_SIZE);
      expect(listRequests).toBeLessThanOrEqual(CONTACTS / PAGE_SIZE + 2 * KILLS);
      const starts = await store.syncRunLogs.list({ runId, limit: 1000, filter: 'all' });
      const resumed = starts.entries.filter((entry) => entry.kind === 'started' && entry.details?.resuming === true);
      expect(resumed.length).toBeGreaterThanOrEqual(KILLS / 2);
      expect(await store.syncRuns.list(connectionId, { limit: 10 })).toHaveLength(1);

      expect(await current.stop()).toBe(0);
      current = undefined;
    }, 600_000);
  });
}
