import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PERMISSIONS } from '../../platform/src/access/index.js';
import type { SyncRunStatus } from '../../platform/src/store/index.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { startApiTestPlatform, type ApiTestPlatform } from './support/api-platform.js';

const TOKEN = 'sync-runs-test-token';

/** Runs seeded through the store, oldest first, so the expected order is known. */
const SEEDED: Array<{ object: string; status: SyncRunStatus }> = [
  { object: 'contacts', status: 'succeeded' },
  { object: 'companies', status: 'failed' },
  { object: 'contacts', status: 'succeeded' },
  { object: 'deals', status: 'cancelled' },
  { object: 'contacts', status: 'failed' },
  { object: 'companies', status: 'succeeded' },
  { object: 'contacts', status: 'succeeded' },
];

let api: ApiTestPlatform;
let simulator: HubSpotSimulator;
let connectionId: string;
let otherConnectionId: string;
let otherKey: string;
/** Seeded run ids, newest first, as the endpoint returns them. */
let newestFirst: string[];

async function runsOf(path: string, key?: string) {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
  return api.test.call('GET', path, undefined, headers);
}

beforeAll(async () => {
  simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 3, contacts: { count: 5 } }, rateLimit: false });
  await simulator.start();
  api = await startApiTestPlatform();

  const connect = await api.test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
  expect(connect.status).toBe(200);
  connectionId = connect.body.connectionId;

  const { store } = api.test.platform;
  const connection = await store.connections.get(connectionId);
  const workspaceId = connection!.workspaceId;
  const ids: string[] = [];
  for (const seed of SEEDED) {
    const run = await store.syncRuns.create({ workspaceId, connectionId, object: seed.object, mode: 'full', trigger: 'manual' });
    await store.syncRuns.update(run.id, { status: seed.status, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() });
    ids.push(run.id);
  }
  newestFirst = ids.reverse();

  // A second workspace with its own HubSpot connection, to check that neither can read the other's runs.
  const other = await store.workspaces.create({ name: 'Other workspace' });
  otherKey = (await store.apiKeys.create(other.id, 'other workspace key', [...PERMISSIONS])).key;
  const otherConnect = await api.test.call(
    'POST',
    '/v1/integrations/hubspot/connect',
    { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } },
    { authorization: `Bearer ${otherKey}` },
  );
  expect(otherConnect.status).toBe(200);
  otherConnectionId = otherConnect.body.connectionId;
  const otherRun = await store.syncRuns.create({ workspaceId: other.id, connectionId: otherConnectionId, object: 'contacts', mode: 'full', trigger: 'manual' });
  await store.syncRuns.update(otherRun.id, { status: 'succeeded' });
});

afterAll(async () => {
  await api?.close();
  await simulator?.close();
});

describe('GET /v1/integrations/{id}/sync/runs', () => {
  it('lists every run newest first', async () => {
    const { status, body } = await runsOf(`/v1/integrations/${connectionId}/sync/runs`);

    expect(status).toBe(200);
    expect(body.connectionId).toBe(connectionId);
    expect(body.integration).toBe('hubspot');
    expect(body.runs.map((run: any) => run.id)).toEqual(newestFirst);
    expect(body.runs[0].status).toBe('succeeded');
    expect(body.runs[0].object).toBe('contacts');
    expect(body.nextCursor).toBeNull();
  });

  it('pages by cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? 'limit=3' : `limit=3&cursor=${encodeURIComponent(cursor)}`;
      const { status, body } = await runsOf(`/v1/integrations/${connectionId}/sync/runs?${query}`);
      expect(status).toBe(200);
      expect(body.runs.length).toBeLessThanOrEqual(3);
      seen.push(...body.runs.map((run: any) => run.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toEqual(newestFirst);
  });

  it('filters by object', async () => {
    const { status, body } = await runsOf(`/v1/integrations/hubspot/sync/runs?object=companies`);
    const expected = newestFirst.filter((_, index) => SEEDED[SEEDED.length - 1 - index]!.object === 'companies');

    expect(status).toBe(200);
    expect(expected).toHaveLength(2);
    expect(body.runs.map((run: any) => run.id)).toEqual(expected);
  });

  it('filters by status and object together', async () => {
    const first = await runsOf(`/v1/integrations/${connectionId}/sync/runs?object=contacts&status=succeeded&limit=2`);
    const second = await runsOf(`/v1/integrations/${connectionId}/sync/runs?object=contacts&status=succeeded&limit=2&cursor=${first.body.nextCursor}`);

    expect(first.status).toBe(200);
    expect(first.body.runs).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    expect(second.body.runs).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    for (const run of [...first.body.runs, ...second.body.runs]) {
      expect(run.object).toBe('contacts');
      expect(run.status).toBe('succeeded');
    }
  });

  it('returns an empty page for a status with no runs', async () => {
    const { status, body } = await runsOf(`/v1/integrations/${connectionId}/sync/runs?status=running`);

    expect(status).toBe(200);
    expect(body.runs).toEqual([]);
    expect(body.nextCursor).toBeNull();
  });

  it('hides another workspace connection', async () => {
    const foreign = await runsOf(`/v1/integrations/${otherConnectionId}/sync/runs`);
    const reverse = await runsOf(`/v1/integrations/${connectionId}/sync/runs`, otherKey);
    const own = await runsOf(`/v1/integrations/${otherConnectionId}/sync/runs`, otherKey);

    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('run_');
    expect(reverse.status).toBe(404);
    expect(own.status).toBe(200);
    expect(own.body.runs).toHaveLength(1);
    expect(newestFirst).not.toContain(own.body.runs[0].id);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=two', 'limit'],
    ['status=done', 'status'],
    ['object=contcts', 'object'],
    ['cursor=bm90LWEtcnVu', 'cursor'],
    ['sort=asc', 'sort'],
  ])('rejects %s', async (query, field) => {
    const { status, body } = await runsOf(`/v1/integrations/${connectionId}/sync/runs?${query}`);

    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain(field);
  });
});
