import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Store, StoredRecord, UpsertRecordRow, Workspace } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

function rows(prefix: string, count: number, deleted = false): UpsertRecordRow[] {
  return Array.from({ length: count }, (_, index) => ({
    externalId: `${prefix}-${index}`,
    data: { name: `${prefix} ${index}` },
    raw: { id: `${prefix}-${index}` },
    deleted,
  }));
}

forEachDatabase((database) => {
  describe('records.list', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    async function upsert(workspace: Workspace, connection: Connection, page: UpsertRecordRow[], object = 'contact') {
      return store.records.upsertPage({ workspaceId: workspace.id, connectionId: connection.id, object, sourceObject: `${object}s`, rows: page });
    }

    async function listAll(workspaceId: string, limit: number, extra: { connectionIds?: string[]; includeDeleted?: boolean } = {}): Promise<StoredRecord[]> {
      const items: StoredRecord[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.records.list({ workspaceId, object: 'contact', limit, cursor, ...extra });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    }

    it('pages through all records in order', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('a', 25));

      const first = await store.records.list({ workspaceId: workspace.id, object: 'contact', limit: 10 });
      const all = await listAll(workspace.id, 10);

      expect(first.items).toHaveLength(10);
      expect(first.nextCursor).not.toBeNull();
      expect(all.map((record) => record.externalId)).toEqual(rows('a', 25).map((row) => row.externalId));
      const ids = all.map((record) => record.id);
      expect([...ids].sort()).toEqual(ids);
    });

    it('stays stable across inserts', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('a', 25));
      const first = await store.records.list({ workspaceId: workspace.id, object: 'contact', limit: 10 });

      // Changes between pages: new records, and an update to a record on the first page.
      await upsert(workspace, connection, [...rows('b', 5), { externalId: 'a-0', data: { name: 'changed' }, raw: {}, deleted: false }]);
      const rest: StoredRecord[] = [];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await store.records.list({ workspaceId: workspace.id, object: 'contact', limit: 10, cursor });
        rest.push(...page.items);
        cursor = page.nextCursor;
      }

      const seen = [...first.items, ...rest].map((record) => record.externalId);
      expect(seen).toEqual([...rows('a', 25), ...rows('b', 5)].map((row) => row.externalId));
      expect(new Set(seen).size).toBe(30);
    });

    it('returns null cursor on exact fit', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('a', 10));

      const page = await store.records.list({ workspaceId: workspace.id, object: 'contact', limit: 10 });

      expect(page.items).toHaveLength(10);
      expect(page.nextCursor).toBeNull();
    });

    it('isolates workspaces', async () => {
      const first = await createConnectionFixture(store);
      const second = await createConnectionFixture(store);
      await upsert(first.workspace, first.connection, rows('first', 3));
      await upsert(second.workspace, second.connection, rows('second', 4));

      const firstItems = await listAll(first.workspace.id, 100);
      const secondItems = await listAll(second.workspace.id, 100);

      expect(firstItems.map((record) => record.externalId)).toEqual(['first-0', 'first-1', 'first-2']);
      expect(secondItems).toHaveLength(4);
      expect(secondItems.every((record) => record.workspaceId === second.workspace.id)).toBe(true);
    });

    it('filters by connection', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const other = await store.connections.create({ workspaceId: workspace.id, connectorId: 'shopify', name: 'shop', authMethod: 'apiKey' });
      await upsert(workspace, connection, rows('hub', 3));
      await upsert(workspace, other, rows('shop', 2));

      const onlyOther = await listAll(workspace.id, 100, { connectionIds: [other.id] });
      const both = await listAll(workspace.id, 100, { connectionIds: [connection.id, other.id] });
      const none = await store.records.list({ workspaceId: workspace.id, object: 'contact', limit: 10, connectionIds: [] });

      expect(onlyOther.map((record) => record.externalId)).toEqual(['shop-0', 'shop-1']);
      expect(both).toHaveLength(5);
      expect(none).toEqual({ items: [], nextCursor: null });
    });

    it('filters by canonical object', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('person', 2), 'contact');
      await upsert(workspace, connection, rows('firm', 3), 'company');

      const contacts = await listAll(workspace.id, 100);

      expect(contacts.map((record) => record.externalId)).toEqual(['person-0', 'person-1']);
    });

    it('hides deleted records by default', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('a', 4));
      await upsert(workspace, connection, [{ externalId: 'a-1', data: null, raw: null, deleted: true }]);

      const live = await listAll(workspace.id, 2);
      const everything = await listAll(workspace.id, 2, { includeDeleted: true });

      expect(live.map((record) => record.externalId)).toEqual(['a-0', 'a-2', 'a-3']);
      expect(everything.map((record) => record.externalId)).toEqual(['a-0', 'a-1', 'a-2', 'a-3']);
    });

    it('rejects an invalid cursor', async () => {
      const { workspace } = await createConnectionFixture(store);

      const attempt = store.records.list({ workspaceId: workspace.id, object: 'contact', limit: 10, cursor: Buffer.from("x' OR 1=1").toString('base64url') });

      await expect(attempt).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    });

    it('rejects an out-of-range limit', async () => {
      const { workspace } = await createConnectionFixture(store);

      for (const limit of [0, -1, 1.5, 1_001]) {
        await expect(store.records.list({ workspaceId: workspace.id, object: 'contact', limit })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      }
    });

    it('finds records by external id', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('a', 5));

      const found = await store.records.findByExternalIds(connection.id, 'contact', ['a-3', 'a-1', 'missing', 'a-1']);

      expect(found.map((record) => record.externalId).sort()).toEqual(['a-1', 'a-3']);
    });

    it('gets a record by id', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('a', 1));
      const [record] = await store.records.findByExternalIds(connection.id, 'contact', ['a-0']);

      expect(await store.records.get(record?.id ?? '')).toEqual(record);
      expect(await store.records.get('rec_missing')).toBeNull();
    });

    it('lists live external ids', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await upsert(workspace, connection, rows('a', 3));
      await upsert(workspace, connection, [{ externalId: 'a-2', data: null, raw: null, deleted: true }]);

      const live = await store.records.listExternalIds(connection.id, 'contact');
      const all = await store.records.listExternalIds(connection.id, 'contact', { includeDeleted: true });

      expect(live.sort()).toEqual(['a-0', 'a-1']);
      expect(all.sort()).toEqual(['a-0', 'a-1', 'a-2']);
    });
  });
});
