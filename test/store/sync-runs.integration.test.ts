import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

forEachDatabase((database) => {
  let store: Store;

  beforeAll(async () => {
    store = await database.openStore();
  });

  describe('syncRuns', () => {
    it('creates a queued run', async () => {
      const { workspace, connection } = await createConnectionFixture(store);

      const run = await store.syncRuns.create({ workspaceId: workspace.id, connectionId: connection.id, object: 'contacts', mode: 'full', trigger: 'manual' });

      expect(run.id).toMatch(/^run_/);
      expect(run.status).toBe('queued');
      expect(run.recordsRead).toBe(0);
      expect(run.progressTotal).toBeNull();
      expect(await store.syncRuns.get(run.id)).toEqual(run);
    });

    it('updates progress and counters', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const run = await store.syncRuns.create({ workspaceId: workspace.id, connectionId: connection.id, object: 'contacts', mode: 'incremental', trigger: 'schedule' });

      const updated = await store.syncRuns.update(run.id, {
        status: 'running',
        startedAt: '2024-05-01T12:00:00Z',
        progressCurrent: 250,
        progressTotal: 3_000_000_000,
        totalIsEstimate: true,
        pages: 3,
        recordsRead: 250,
        recordsInserted: 200,
        recordsUpdated: 30,
        recordsUnchanged: 15,
        recordsDeleted: 5,
        eta: '2024-05-01T12:05:00Z',
      });

      expect(updated).toMatchObject({
        status: 'running',
        startedAt: '2024-05-01T12:00:00.000Z',
        progressCurrent: 250,
        progressTotal: 3_000_000_000,
        totalIsEstimate: true,
        pages: 3,
        recordsRead: 250,
        recordsInserted: 200,
        recordsUpdated: 30,
        recordsUnchanged: 15,
        recordsDeleted: 5,
        eta: '2024-05-01T12:05:00.000Z',
        errorCode: null,
      });
      expect(await store.syncRuns.update('run_missing', { status: 'failed' })).toBeNull();
    });

    it('applies compare-and-set updates', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const run = await store.syncRuns.create({ workspaceId: workspace.id, connectionId: connection.id, object: 'contacts', mode: 'full', trigger: 'manual' });
      await store.syncRuns.update(run.id, { status: 'succeeded', finishedAt: '2024-05-01T12:00:00Z' });

      const cancelled = await store.syncRuns.update(run.id, { status: 'cancelled' }, { onlyIfStatus: ['queued', 'running'] });

      expect(cancelled).toBeNull();
      expect((await store.syncRuns.get(run.id))?.status).toBe('succeeded');
    });

    it('finds latest and active runs', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const base = { workspaceId: workspace.id, connectionId: connection.id, mode: 'full' as const, trigger: 'manual' };
      const older = await store.syncRuns.create({ ...base, object: 'contacts' });
      await store.syncRuns.update(older.id, { status: 'failed', errorCode: 'PROVIDER_UNAVAILABLE', errorMessage: 'HubSpot returned 503 five times.' });
      const newer = await store.syncRuns.create({ ...base, object: 'contacts' });
      const otherObject = await store.syncRuns.create({ ...base, object: 'companies' });

      expect((await store.syncRuns.latestFor(connection.id, 'contacts'))?.id).toBe(newer.id);
      expect((await store.syncRuns.findActive(connection.id, 'contacts'))?.id).toBe(newer.id);
      expect((await store.syncRuns.list(connection.id)).map((run) => run.id)).toEqual([otherObject.id, newer.id, older.id]);
      expect((await store.syncRuns.list(connection.id, { limit: 1, object: 'contacts' })).map((run) => run.id)).toEqual([newer.id]);

      await store.syncRuns.update(newer.id, { status: 'succeeded' });
      expect(await store.syncRuns.findActive(connection.id, 'contacts')).toBeNull();
      expect((await store.syncRuns.get(older.id))?.errorMessage).toBe('HubSpot returned 503 five times.');
    });

    it('lists runs by status', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const run = await store.syncRuns.create({ workspaceId: workspace.id, connectionId: connection.id, object: 'deals', mode: 'full', trigger: 'manual', status: 'running' });

      const running = await store.syncRuns.listByStatus(['running']);

      expect(running.map((candidate) => candidate.id)).toContain(run.id);
      expect(running.every((candidate) => candidate.status === 'running')).toBe(true);
      expect(await store.syncRuns.listByStatus([])).toEqual([]);
    });

    it('rejects invalid input', async () => {
      const { workspace, connection } = await createConnectionFixture(store);

      await expect(store.syncRuns.create({ workspaceId: workspace.id, connectionId: 'conn_missing', object: 'contacts', mode: 'full', trigger: 'manual' })).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
      await expect(store.syncRuns.list(connection.id, { limit: 0 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
    });
  });

  describe('syncState', () => {
    it('saves and replaces checkpoints', async () => {
      const { connection } = await createConnectionFixture(store);

      await store.syncState.save(connection.id, 'contacts', { since: '2024-01-01T00:00:00Z', tieBreaker: '41' });
      const saved = await store.syncState.save(connection.id, 'contacts', { since: '2024-02-01T00:00:00Z', tieBreaker: '7' });
      await store.syncState.save(connection.id, 'companies', { page: 3 });

      const state = await store.syncState.get(connection.id, 'contacts');
      expect(state?.state).toEqual({ since: '2024-02-01T00:00:00Z', tieBreaker: '7' });
      expect(state?.updatedAt).toBe(saved.updatedAt);
      expect((await store.syncState.get(connection.id, 'companies'))?.state).toEqual({ page: 3 });
    });

    it('stores a JSON string state', async () => {
      const { connection } = await createConnectionFixture(store);

      await store.syncState.save(connection.id, 'contacts', '12345');

      expect((await store.syncState.get(connection.id, 'contacts'))?.state).toBe('12345');
    });

    it('deletes a checkpoint', async () => {
      const { connection } = await createConnectionFixture(store);
      await store.syncState.save(connection.id, 'contacts', { cursor: 'abc' });

      expect(await store.syncState.delete(connection.id, 'contacts')).toBe(true);
      expect(await store.syncState.get(connection.id, 'contacts')).toBeNull();
    });
  });
});
