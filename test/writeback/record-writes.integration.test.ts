import { createHash } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import { createTimeOrderedId, type Connection, type NewRecordWrite, type Store, type Workspace } from '../../platform/src/store/index.js';
import { forEachDatabase } from '../store/databases.js';
import { createConnectionFixture } from '../store/fixtures.js';

function compareCodeUnits(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

/** Test-side canonical JSON with sorted keys, written apart from the store's serialiser. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) => compareCodeUnits(left, right));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${sortedJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function expectedHash(data: unknown, raw: unknown): string {
  return createHash('sha256').update(`{"data":${sortedJson(data)},"deleted":false,"raw":${sortedJson(raw)}}`, 'utf8').digest('hex');
}

forEachDatabase((database) => {
  describe('record writes repository', () => {
    let store: Store;
    let workspace: Workspace;
    let connection: Connection;

    function newWrite(batchId: string, overrides: Partial<NewRecordWrite> = {}): NewRecordWrite {
      return {
        id: createTimeOrderedId('wr'),
        workspaceId: workspace.id,
        connectionId: connection.id,
        batchId,
        object: 'contact',
        sourceObject: 'contacts',
        operation: 'create',
        recordId: createTimeOrderedId('rec'),
        externalId: null,
        data: { fullName: 'Ana Souza', email: 'ana@example.com' },
        changedAt: '2025-03-01T12:00:00.000Z',
        baseSourceUpdatedAt: null,
        ...overrides,
      };
    }

    const scope = () => ({ workspaceId: workspace.id, connectionId: connection.id, object: 'contact', sourceObject: 'contacts' });

    beforeAll(async () => {
      store = await database.openStore();
      ({ workspace, connection } = await createConnectionFixture(store));
    });

    it('stores writes as pending', async () => {
      const batchId = createTimeOrderedId('wrb');
      const writes = [newWrite(batchId), newWrite(batchId, { data: { fullName: 'Bruno' }, warnings: [{ field: 'x', code: 'FIELD_NOT_WRITTEN', message: 'x is not written.' }] })];
      await store.recordWrites.insertMany(writes);

      const stored = await store.recordWrites.get(writes[1]!.id);
      expect(stored).toMatchObject({ batchId, status: 'pending', operation: 'create', data: { fullName: 'Bruno' }, attempts: 0, error: null, completedAt: null });
      expect(stored?.warnings).toEqual([{ field: 'x', code: 'FIELD_NOT_WRITTEN', message: 'x is not written.' }]);
      expect((await store.recordWrites.listPending(batchId)).map((write) => write.id)).toEqual(writes.map((write) => write.id));
      expect(await store.recordWrites.countByStatus(batchId)).toEqual({ pending: 2, succeeded: 0, failed: 0, skipped: 0 });
    });

    it('rejects writes of an unknown connection', async () => {
      await expect(store.recordWrites.insertMany([newWrite(createTimeOrderedId('wrb'), { connectionId: 'conn_missing' })])).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    });

    it('completes writes and stores records', async () => {
      const batchId = createTimeOrderedId('wrb');
      const created = newWrite(batchId);
      const rejected = newWrite(batchId);
      await store.recordWrites.insertMany([created, rejected]);
      await store.recordWrites.addAttempt([created.id, rejected.id]);

      const raw = { id: '501', properties: { email: 'ana@example.com', lastmodifieddate: '2025-03-01T12:00:01.000Z' } };
      const data = { email: 'ana@example.com', fullName: 'Ana Souza' };
      await store.recordWrites.complete({
        scope: scope(),
        outcomes: [
          { id: created.id, status: 'succeeded', externalId: '501', warnings: [] },
          { id: rejected.id, status: 'failed', error: { code: 'PROVIDER_RECORD_REJECTED', message: 'HubSpot rejected this record.', details: { providerStatus: 400 } } },
        ],
        records: [{ recordId: created.recordId, externalId: '501', data, raw, sourceUpdatedAt: '2025-03-01T12:00:01.000Z' }],
      });

      const succeeded = await store.recordWrites.get(created.id);
      expect(succeeded).toMatchObject({ status: 'succeeded', externalId: '501', recordId: created.recordId, attempts: 1 });
      expect(succeeded?.completedAt).not.toBeNull();
      expect(await store.recordWrites.get(rejected.id)).toMatchObject({ status: 'failed', error: { code: 'PROVIDER_RECORD_REJECTED', details: { providerStatus: 400 } } });

      const record = await store.records.get(created.recordId);
      expect(record).toMatchObject({ externalId: '501', object: 'contact', sourceObject: 'contacts', data, raw, deleted: false, sourceUpdatedAt: '2025-03-01T12:00:01.000Z' });
      expect(record?.contentHash).toBe(expectedHash(data, raw));
    });

    it('keeps the id of a known record', async () => {
      await store.records.upsertPage({ ...scope(), rows: [{ externalId: '777', data: { fullName: 'Old' }, raw: { id: '777' }, deleted: false }] });
      const [existing] = await store.records.findByExternalIds(connection.id, 'contact', ['777']);

      const batchId = createTimeOrderedId('wrb');
      const write = newWrite(batchId);
      await store.recordWrites.insertMany([write]);
      await store.recordWrites.complete({
        scope: scope(),
        outcomes: [{ id: write.id, status: 'succeeded', externalId: '777' }],
        records: [{ recordId: write.recordId, externalId: '777', data: { fullName: 'New' }, raw: { id: '777', v: 2 }, sourceUpdatedAt: null }],
      });

      expect((await store.recordWrites.get(write.id))?.recordId).toBe(existing?.id);
      expect(await store.records.get(write.recordId)).toBeNull();
      expect(await store.records.get(existing!.id)).toMatchObject({ data: { fullName: 'New' }, raw: { id: '777', v: 2 } });
      expect(await store.records.count({ connectionId: connection.id })).toBe(2);
    });

    it('changes only pending writes', async () => {
      const batchId = createTimeOrderedId('wrb');
      const write = newWrite(batchId);
      await store.recordWrites.insertMany([write]);
      await store.recordWrites.complete({ scope: scope(), outcomes: [{ id: write.id, status: 'skipped', error: { code: 'WRITE_SUPERSEDED', message: 'Newer.' } }], records: [] });
      await store.recordWrites.complete({ scope: scope(), outcomes: [{ id: write.id, status: 'succeeded', externalId: '1' }], records: [] });
      expect(await store.recordWrites.failPending(batchId, { code: 'X', message: 'x' })).toBe(0);

      expect(await store.recordWrites.get(write.id)).toMatchObject({ status: 'skipped', externalId: null, error: { code: 'WRITE_SUPERSEDED' } });
    });

    it('fails pending writes of a batch', async () => {
      const batchId = createTimeOrderedId('wrb');
      await store.recordWrites.insertMany([newWrite(batchId), newWrite(batchId)]);

      expect(await store.recordWrites.failPending(batchId, { code: 'WRITEBACK_GAVE_UP', message: 'Stopped.' })).toBe(2);
      expect(await store.recordWrites.countByStatus(batchId)).toEqual({ pending: 0, succeeded: 0, failed: 2, skipped: 0 });
    });

    it('lists batches with pending writes', async () => {
      const { workspace: otherWorkspace, connection: other } = await createConnectionFixture(store);
      const batchId = createTimeOrderedId('wrb');
      await store.recordWrites.insertMany([newWrite(batchId, { workspaceId: otherWorkspace.id, connectionId: other.id, sourceObject: 'companies', object: 'company' })]);

      const pending = await store.recordWrites.listPendingBatches(1000);
      expect(pending).toContainEqual({ batchId, connectionId: other.id, sourceObject: 'companies' });
      for (const batch of pending) expect((await store.recordWrites.listPending(batch.batchId)).length).toBeGreaterThan(0);
    });

    it('pages the writes of a batch', async () => {
      const batchId = createTimeOrderedId('wrb');
      const writes = Array.from({ length: 5 }, () => newWrite(batchId));
      await store.recordWrites.insertMany(writes);

      const first = await store.recordWrites.listByBatch({ workspaceId: workspace.id, batchId, limit: 3 });
      const second = await store.recordWrites.listByBatch({ workspaceId: workspace.id, batchId, limit: 3, cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((write) => write.id)).toEqual(writes.map((write) => write.id));
      expect(second.nextCursor).toBeNull();
      expect((await store.recordWrites.listByBatch({ workspaceId: 'ws_other', batchId, limit: 10 })).items).toEqual([]);
      await expect(store.recordWrites.listByBatch({ workspaceId: workspace.id, batchId, limit: 3, cursor: 'bad' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('finds the latest succeeded change per record', async () => {
      const recordId = createTimeOrderedId('rec');
      const batchId = createTimeOrderedId('wrb');
      const early = newWrite(batchId, { recordId, operation: 'update', externalId: '900', changedAt: '2025-03-01T10:00:00.000Z' });
      const late = newWrite(batchId, { recordId, operation: 'update', externalId: '900', changedAt: '2025-03-01T11:00:00.000Z' });
      const pending = newWrite(batchId, { recordId, operation: 'update', externalId: '900', changedAt: '2025-03-01T12:00:00.000Z' });
      await store.recordWrites.insertMany([early, late, pending]);
      await store.recordWrites.complete({ scope: scope(), outcomes: [early, late].map((write) => ({ id: write.id, status: 'succeeded' as const })), records: [] });

      const latest = await store.recordWrites.latestSucceededChanges([recordId, 'rec_none']);
      expect([...latest.entries()]).toEqual([[recordId, '2025-03-01T11:00:00.000Z']]);
    });

    it('saves write-back settings', async () => {
      expect(await store.writebackSettings.get(connection.id)).toBeNull();

      await store.writebackSettings.save(connection.id, { conflictPolicy: 'provider_wins', matchOn: { company: 'name' } });
      await store.writebackSettings.save(connection.id, { conflictPolicy: 'lumio_wins', matchOn: { company: 'taxId' } });

      expect(await store.writebackSettings.get(connection.id)).toMatchObject({ connectionId: connection.id, conflictPolicy: 'lumio_wins', matchOn: { company: 'taxId' } });
      await expect(store.writebackSettings.save('conn_missing', { conflictPolicy: 'lumio_wins', matchOn: {} })).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    });
  });
});
