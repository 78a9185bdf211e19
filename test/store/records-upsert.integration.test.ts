import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Store, UpsertRecordRow, Workspace } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

function compareCodeUnits(left: string, right: string): number {
  if (left < right) {
    return -1;
  }
  return left > right ? 1 : 0;
}

/**
 * Test-side canonical JSON, written separately from the store's serialiser: keys are
 * compared by UTF-16 code units with an explicit comparator, and output is assembled
 * without relying on object key order (integer-like keys would come first otherwise).
 */
function expectedCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return '[' + value.map((item) => expectedCanonicalJson(item === undefined ? null : item)).join(',') + ']';
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => compareCodeUnits(left, right));
    return '{' + entries.map(([key, item]) => JSON.stringify(key) + ':' + expectedCanonicalJson(item)).join(',') + '}';
  }
  return JSON.stringify(value);
}

function expectedHash(data: unknown, raw: unknown, deleted: boolean): string {
  return createHash('sha256').update(expectedCanonicalJson({ data, raw, deleted }), 'utf8').digest('hex');
}

function contact(externalId: string, name: string, deleted = false): UpsertRecordRow {
  return { externalId, data: { name, email: `${externalId}@example.com` }, raw: { id: externalId, properties: { firstname: name } }, deleted };
}

forEachDatabase((database) => {
  describe('records.upsertPage', () => {
    let store: Store;
    let workspace: Workspace;
    let connection: Connection;

    beforeAll(async () => {
      store = await database.openStore();
    });

    async function freshConnection(): Promise<void> {
      ({ workspace, connection } = await createConnectionFixture(store));
    }

    function upsert(rows: UpsertRecordRow[]) {
      return store.records.upsertPage({ workspaceId: workspace.id, connectionId: connection.id, object: 'contact', sourceObject: 'contacts', rows });
    }

    async function stored(externalId: string) {
      const [record] = await store.records.findByExternalIds(connection.id, 'contact', [externalId]);
      if (!record) {
        throw new Error(`record ${externalId} was not stored`);
      }
      return record;
    }

    it('inserts new rows', async () => {
      await freshConnection();

      const result = await upsert([contact('1', 'Ada'), contact('2', 'Grace')]);

      expect(result).toEqual({ inserted: 2, updated: 0, unchanged: 0, deleted: 0 });
      const record = await stored('1');
      expect(record.data).toEqual({ name: 'Ada', email: '1@example.com' });
      expect(record.raw).toEqual({ id: '1', properties: { firstname: 'Ada' } });
      expect(record.workspaceId).toBe(workspace.id);
      expect(record.sourceObject).toBe('contacts');
      expect(record.deleted).toBe(false);
      expect(record.id).toMatch(/^rec_[0-9a-z]{26}$/);
    });

    it('saves the checkpoint with the page', async () => {
      await freshConnection();
      const checkpoint = { object: 'contacts', state: { inProgress: { runId: 'run_1', position: { after: '200' } } } };

      await store.records.upsertPage({ workspaceId: workspace.id, connectionId: connection.id, object: 'contact', sourceObject: 'contacts', rows: [contact('1', 'Ada')], checkpoint });

      const saved = await store.syncState.get(connection.id, 'contacts');
      expect(saved?.state).toEqual(checkpoint.state);
      expect((await stored('1')).data).toEqual({ name: 'Ada', email: '1@example.com' });
    });

    it('rolls back the checkpoint with a failed page', async () => {
      await freshConnection();
      await store.syncState.save(connection.id, 'contacts', { before: true });
      const badRow = { externalId: '', data: {}, raw: {}, deleted: false };

      await expect(
        store.records.upsertPage({ workspaceId: workspace.id, connectionId: connection.id, object: 'contact', sourceObject: 'contacts', rows: [badRow], checkpoint: { object: 'contacts', state: { after: true } } }),
      ).rejects.toThrow();

      expect((await store.syncState.get(connection.id, 'contacts'))?.state).toEqual({ before: true });
    });

    it('saves a checkpoint for an empty page', async () => {
      await freshConnection();

      const result = await store.records.upsertPage({ workspaceId: workspace.id, connectionId: connection.id, object: 'contact', sourceObject: 'contacts', rows: [], checkpoint: { object: 'contacts', state: { empty: true } } });

      expect(result).toEqual({ inserted: 0, updated: 0, unchanged: 0, deleted: 0 });
      expect((await store.syncState.get(connection.id, 'contacts'))?.state).toEqual({ empty: true });
    });

    it('skips unchanged rows without writing', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada'), contact('2', 'Grace')]);
      const before = await stored('1');
      await new Promise((resolve) => setTimeout(resolve, 5));

      const result = await upsert([contact('1', 'Ada'), contact('2', 'Grace')]);

      expect(result).toEqual({ inserted: 0, updated: 0, unchanged: 2, deleted: 0 });
      expect((await stored('1')).updatedAt).toBe(before.updatedAt);
    });

    it('updates changed rows in place', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada'), contact('2', 'Grace')]);
      const before = await stored('1');
      await new Promise((resolve) => setTimeout(resolve, 5));

      const result = await upsert([contact('1', 'Ada Lovelace'), contact('2', 'Grace'), contact('3', 'Alan')]);

      expect(result).toEqual({ inserted: 1, updated: 1, unchanged: 1, deleted: 0 });
      const after = await stored('1');
      expect(after.data).toEqual({ name: 'Ada Lovelace', email: '1@example.com' });
      expect(after.id).toBe(before.id);
      expect(after.createdAt).toBe(before.createdAt);
      expect(after.updatedAt > before.updatedAt).toBe(true);
    });

    it('stores the independent content hash', async () => {
      await freshConnection();
      // Integer-like keys, nested arrays, unicode and undefined values exercise the canonical form.
      const data = { zeta: 1, alpha: [3, { b: 2, a: 1 }], 10: 'ten', 2: 'two', 'é': 'accent', nested: { y: null, x: 1.5, gone: undefined } };
      const raw = { id: 'h1', properties: { lastname: 'Hopper', firstname: 'Grace' }, tags: ['b', 'a'] };

      await upsert([{ externalId: 'h1', data, raw, deleted: false }]);

      expect((await stored('h1')).contentHash).toBe(expectedHash(data, raw, false));
    });

    it('hash ignores key order', async () => {
      await freshConnection();
      await upsert([{ externalId: 'k1', data: { a: 1, b: { c: 2, d: 3 } }, raw: { x: 1, y: 2 }, deleted: false }]);

      const result = await upsert([{ externalId: 'k1', data: { b: { d: 3, c: 2 }, a: 1 }, raw: { y: 2, x: 1 }, deleted: false }]);

      expect(result.unchanged).toBe(1);
    });

    it('marks deleted rows and keeps data', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada'), contact('2', 'Grace')]);

      const result = await upsert([{ externalId: '1', data: null, raw: null, deleted: true }, contact('2', 'Grace')]);

      expect(result).toEqual({ inserted: 0, updated: 0, unchanged: 1, deleted: 1 });
      const record = await stored('1');
      expect(record.deleted).toBe(true);
      expect(record.deletedAt).not.toBeNull();
      expect(record.data).toEqual({ name: 'Ada', email: '1@example.com' });
      expect(record.raw).toEqual({ id: '1', properties: { firstname: 'Ada' } });
      expect(record.contentHash).toBe(expectedHash(null, null, true));
    });

    it('stores data sent with a deletion', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada')]);

      const result = await upsert([contact('1', 'Ada (archived)', true)]);

      expect(result).toEqual({ inserted: 0, updated: 0, unchanged: 0, deleted: 1 });
      const record = await stored('1');
      expect(record.deleted).toBe(true);
      expect(record.data).toEqual({ name: 'Ada (archived)', email: '1@example.com' });
    });

    it('repeated deletion is unchanged', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada')]);
      await upsert([{ externalId: '1', data: null, raw: null, deleted: true }]);
      const first = await stored('1');

      const result = await upsert([{ externalId: '1', data: null, raw: null, deleted: true }]);

      expect(result).toEqual({ inserted: 0, updated: 0, unchanged: 1, deleted: 0 });
      expect((await stored('1')).deletedAt).toBe(first.deletedAt);
    });

    it('keeps first deletion time', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada')]);
      await upsert([contact('1', 'Ada', true)]);
      const first = await stored('1');
      await new Promise((resolve) => setTimeout(resolve, 5));

      const result = await upsert([contact('1', 'Ada changed while deleted', true)]);

      expect(result).toEqual({ inserted: 0, updated: 1, unchanged: 0, deleted: 0 });
      expect((await stored('1')).deletedAt).toBe(first.deletedAt);
    });

    it('undeletes a returning record', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada')]);
      const original = await stored('1');
      await upsert([{ externalId: '1', data: null, raw: null, deleted: true }]);

      const result = await upsert([contact('1', 'Ada')]);

      expect(result).toEqual({ inserted: 0, updated: 1, unchanged: 0, deleted: 0 });
      const record = await stored('1');
      expect(record.deleted).toBe(false);
      expect(record.deletedAt).toBeNull();
      expect(record.id).toBe(original.id);
      expect(record.contentHash).toBe(expectedHash(contact('1', 'Ada').data, contact('1', 'Ada').raw, false));
    });

    it('stores new rows arriving deleted', async () => {
      await freshConnection();

      const result = await upsert([contact('gone', 'Ghost', true)]);

      expect(result).toEqual({ inserted: 0, updated: 0, unchanged: 0, deleted: 1 });
      const record = await stored('gone');
      expect(record.deleted).toBe(true);
      expect(record.deletedAt).not.toBeNull();
      expect(await store.records.count({ connectionId: connection.id, object: 'contact' })).toBe(0);
      expect(await store.records.count({ connectionId: connection.id, object: 'contact', includeDeleted: true })).toBe(1);
    });

    it('last duplicate in a page wins', async () => {
      await freshConnection();

      const result = await upsert([contact('1', 'First'), contact('2', 'Other'), contact('1', 'Last')]);

      expect(result).toEqual({ inserted: 2, updated: 0, unchanged: 0, deleted: 0 });
      expect((await stored('1')).data).toEqual({ name: 'Last', email: '1@example.com' });
      expect(await store.records.count({ connectionId: connection.id })).toBe(2);
    });

    it('duplicate of an existing row counts once', async () => {
      await freshConnection();
      await upsert([contact('1', 'Ada')]);

      const result = await upsert([contact('1', 'Changed'), contact('1', 'Ada')]);

      expect(result).toEqual({ inserted: 0, updated: 0, unchanged: 1, deleted: 0 });
    });

    it('normalises source timestamps', async () => {
      await freshConnection();

      await upsert([{ ...contact('1', 'Ada'), sourceUpdatedAt: '2024-03-01T10:00:00+02:00' }]);
      await upsert([{ ...contact('1', 'Ada 2') }]);

      expect((await stored('1')).sourceUpdatedAt).toBe('2024-03-01T08:00:00.000Z');
    });

    it('rejects an invalid source timestamp', async () => {
      await freshConnection();

      await expect(upsert([{ ...contact('1', 'Ada'), sourceUpdatedAt: 'yesterday' }])).rejects.toMatchObject({ code: 'INVALID_TIMESTAMP' });
      expect(await store.records.count({ connectionId: connection.id, includeDeleted: true })).toBe(0);
    });

    it('rejects an empty external id', async () => {
      await freshConnection();

      await expect(upsert([contact('1', 'Ada'), { ...contact('', 'Nobody') }])).rejects.toMatchObject({ code: 'RECORD_ROW_INVALID' });
      expect(await store.records.count({ connectionId: connection.id, includeDeleted: true })).toBe(0);
    });

    it('rejects an unknown connection', async () => {
      await freshConnection();

      const attempt = store.records.upsertPage({ workspaceId: workspace.id, connectionId: 'conn_missing', object: 'contact', sourceObject: 'contacts', rows: [contact('1', 'Ada')] });

      await expect(attempt).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    });

    it('accepts an empty page', async () => {
      await freshConnection();

      expect(await upsert([])).toEqual({ inserted: 0, updated: 0, unchanged: 0, deleted: 0 });
    });

    it('writes a large page', async () => {
      await freshConnection();
      const rows = Array.from({ length: 5_000 }, (_, index) => contact(String(index), `Name ${index}`));

      const result = await upsert(rows);
      const again = await upsert(rows);

      expect(result.inserted).toBe(5_000);
      expect(again.unchanged).toBe(5_000);
      expect(await store.records.count({ connectionId: connection.id })).toBe(5_000);
    });

    it('round-trips unicode byte-exact', async () => {
      await freshConnection();
      const precomposed = 'Jos\u00e9 M\u00fcller';
      const decomposed = 'Jose\u0301 Mu\u0308ller';
      const emoji = 'family \u{1F468}\u200D\u{1F469}\u200D\u{1F467} flag \u{1F1E7}\u{1F1F7} \u{1F600}';
      const scripts = '\u6771\u4eac \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd';
      const data = { precomposed, decomposed, emoji, scripts, [emoji]: 'emoji key' };

      await upsert([{ externalId: 'ü-\u{1F600}', data, raw: { name: decomposed }, deleted: false }]);

      const record = await stored('ü-\u{1F600}');
      const storedData = record.data as Record<string, string>;
      for (const [key, value] of Object.entries(data)) {
        expect(Buffer.from(storedData[key] ?? '', 'utf8').equals(Buffer.from(value, 'utf8'))).toBe(true);
      }
      expect(storedData.precomposed).not.toBe(storedData.decomposed);
      expect(record.externalId).toBe('ü-\u{1F600}');
      expect(record.contentHash).toBe(expectedHash(data, { name: decomposed }, false));
    });

    it('handles NUL and lone surrogates', async () => {
      await freshConnection();
      const data = { nul: 'a\u0000b', lone: 'x\ud800y' };

      await upsert([{ externalId: 'odd', data, raw: {}, deleted: false }]);
      const again = await upsert([{ externalId: 'odd', data, raw: {}, deleted: false }]);

      const record = await stored('odd');
      expect(again.unchanged).toBe(1);
      expect(record.contentHash).toBe(expectedHash(data, {}, false));
      if (database.kind === 'postgres') {
        // PostgreSQL cannot store either character, so the store writes U+FFFD instead.
        expect(record.data).toEqual({ nul: 'a\ufffdb', lone: 'x\ufffdy' });
      } else {
        expect(record.data).toEqual(data);
      }
    });
  });
});
