import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { Connection, Store, StoredRecord, UpsertPageInput } from '../../store/index.js';
import { BatchRecords } from './batch-records.js';

const connection = { id: 'conn_1', workspaceId: 'ws_1' } as Connection;

/**
 * SHA-256 of `{"data":…,"deleted":…,"raw":…}` with sorted keys, written here rather than
 * taken from the store, for flat objects of text values.
 */
function expectedHash(data: Record<string, string> | null, raw: Record<string, string> | null, deleted: boolean): string {
  const sorted = (value: Record<string, string> | null) => (value === null ? 'null' : JSON.stringify(Object.fromEntries(Object.entries(value).sort(([left], [right]) => (left < right ? -1 : 1)))));
  return createHash('sha256').update(`{"data":${sorted(data)},"deleted":${deleted},"raw":${sorted(raw)}}`).digest('hex');
}

function storedRecord(externalId: string, data: Record<string, string>, raw: Record<string, string>, sourceUpdatedAt: string | null = null): StoredRecord {
  return {
    id: `rec_${externalId}`,
    workspaceId: connection.workspaceId,
    connectionId: connection.id,
    object: 'order',
    sourceObject: 'orders',
    externalId,
    data,
    raw,
    contentHash: expectedHash(data, raw, false),
    deleted: false,
    deletedAt: null,
    sourceUpdatedAt,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

/** Creates a store that contains `stored` records and records every call; with `failWrites`, upsertPage fails. */
function fakeStore(stored: StoredRecord[] = [], failWrites = false) {
  const calls: Array<{ kind: 'upsertPage'; input: UpsertPageInput } | { kind: 'find'; object: string; externalIds: string[] }> = [];
  const store = {
    records: {
      async findByExternalIds(_connectionId: string, object: string, externalIds: string[]) {
        calls.push({ kind: 'find', object, externalIds });
        return stored.filter((record) => record.object === object && externalIds.includes(record.externalId));
      },
      async upsertPage(input: UpsertPageInput) {
        calls.push({ kind: 'upsertPage', input });
        if (failWrites) throw new Error('disk I/O error');
        return { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
      },
    },
  } as unknown as Store;
  const pages = () => calls.flatMap((call) => (call.kind === 'upsertPage' ? [call.input] : []));
  return { store, calls, pages };
}

async function batchOf(store: Store, externalIds: string[]): Promise<BatchRecords> {
  const records = new BatchRecords(store, connection);
  for (const externalId of externalIds) records.reserve('order', externalId);
  await records.load('order');
  return records;
}

const row = (externalId: string, data: Record<string, string> | null, raw: Record<string, string> | null, deleted = false, sourceUpdatedAt: string | null = null) => ({
  externalId,
  data,
  raw,
  deleted,
  sourceUpdatedAt,
});

describe('BatchRecords', () => {
  it('loads all reserved records in one query', async () => {
    const { store, calls } = fakeStore([storedRecord('a', { n: '1' }, { n: '1' })]);
    const records = await batchOf(store, ['a', 'b', 'a']);

    expect(calls).toEqual([{ kind: 'find', object: 'order', externalIds: ['a', 'b'] }]);
    expect(records.current('order', 'a')).toMatchObject({ raw: { n: '1' }, sourceUpdatedAt: null });
    expect(records.current('order', 'b')).toBeUndefined();
  });

  it('applies rows on top of earlier ones', async () => {
    const { store, pages } = fakeStore();
    const records = await batchOf(store, ['a']);

    expect(await records.apply('order', 'orders', row('a', { n: '1' }, { n: '1' }))).toBe('created');
    expect(await records.apply('order', 'orders', row('a', { n: '2' }, { n: '2' }))).toBe('updated');
    expect(await records.apply('order', 'orders', row('a', { n: '2' }, { n: '2' }))).toBe('unchanged');
    expect(records.current('order', 'a')?.raw).toEqual({ n: '2' });
    expect(pages()).toEqual([]);

    await records.flush();
    expect(pages()).toHaveLength(1);
    expect(pages()[0]?.rows).toEqual([row('a', { n: '2' }, { n: '2' })]);
  });

  it('compares with the stored content hash', async () => {
    const { store, pages } = fakeStore([storedRecord('a', { n: '1' }, { n: '1' })]);
    const records = await batchOf(store, ['a']);

    expect(await records.apply('order', 'orders', row('a', { n: '1' }, { n: '1' }))).toBe('unchanged');
    expect(await records.apply('order', 'orders', row('a', { n: '1' }, { n: '9' }))).toBe('updated');
    await records.flush();
    expect(pages().map((page) => page.rows.map((item) => item.raw))).toEqual([[{ n: '9' }]]);
  });

  it('counts deletions of live records only', async () => {
    const { store } = fakeStore([storedRecord('a', { n: '1' }, { n: '1' })]);
    const records = await batchOf(store, ['a', 'b']);

    expect(await records.apply('order', 'orders', row('a', null, null, true))).toBe('deleted');
    expect(await records.apply('order', 'orders', row('a', null, null, true))).toBe('unchanged');
    expect(await records.apply('order', 'orders', row('a', { n: '2' }, { n: '2' }))).toBe('updated');
    expect(await records.apply('order', 'orders', row('b', null, null, true))).toBe('deleted');
  });

  it('keeps the raw record through a deletion', async () => {
    const { store } = fakeStore([storedRecord('a', { status: 'read' }, { status: 'read' })]);
    const records = await batchOf(store, ['a']);

    await records.apply('order', 'orders', row('a', null, null, true));
    expect(records.current('order', 'a')?.raw).toEqual({ status: 'read' });
  });

  it('writes the row a deletion keeps first', async () => {
    const { store, pages } = fakeStore();
    const records = await batchOf(store, ['a']);

    await records.apply('order', 'orders', row('a', { n: '1' }, { n: '1' }));
    await records.apply('order', 'orders', row('a', null, null, true));
    expect(pages().map((page) => page.rows)).toEqual([[row('a', { n: '1' }, { n: '1' })]]);

    await records.flush();
    expect(pages().map((page) => page.rows)).toEqual([[row('a', { n: '1' }, { n: '1' })], [row('a', null, null, true)]]);
  });

  it('writes the change before a row that restores the stored content', async () => {
    const { store, pages } = fakeStore([storedRecord('a', { n: '1' }, { n: '1' })]);
    const records = await batchOf(store, ['a']);

    expect(await records.apply('order', 'orders', row('a', { n: '2' }, { n: '2' }, false, '2025-01-01T10:00:00.000Z'))).toBe('updated');
    expect(await records.apply('order', 'orders', row('a', { n: '1' }, { n: '1' }, false, '2025-01-01T11:00:00.000Z'))).toBe('updated');
    await records.flush();

    expect(pages().map((page) => page.rows.map((item) => [item.data, item.sourceUpdatedAt]))).toEqual([
      [[{ n: '2' }, '2025-01-01T10:00:00.000Z']],
      [[{ n: '1' }, '2025-01-01T11:00:00.000Z']],
    ]);
  });

  it('keeps the earlier time when a row has none', async () => {
    const { store, pages } = fakeStore();
    const records = await batchOf(store, ['a']);

    await records.apply('order', 'orders', row('a', { n: '1' }, { n: '1' }, false, '2025-01-01T10:00:00.000Z'));
    await records.apply('order', 'orders', row('a', { n: '2' }, { n: '2' }, false, null));
    expect(records.current('order', 'a')?.sourceUpdatedAt).toBe('2025-01-01T10:00:00.000Z');

    await records.flush();
    expect(pages()[0]?.rows[0]?.sourceUpdatedAt).toBe('2025-01-01T10:00:00.000Z');
  });

  it('writes records in reserved order, one page per object', async () => {
    const { store, pages } = fakeStore();
    const records = new BatchRecords(store, connection);
    for (const [object, externalId] of [['order', 'b'], ['contact', 'c'], ['order', 'a']] as const) records.reserve(object, externalId);

    await records.apply('order', 'orders', row('a', { n: 'a' }, { n: 'a' }));
    await records.apply('contact', 'contacts', row('c', { n: 'c' }, { n: 'c' }));
    await records.apply('order', 'orders', row('b', { n: 'b' }, { n: 'b' }));
    await records.apply('order', 'legacy_orders', row('d', { n: 'd' }, { n: 'd' }));
    await records.flush();

    expect(pages().map((page) => [page.object, page.sourceObject, page.rows.map((item) => item.externalId)])).toEqual([
      ['order', 'orders', ['b', 'a']],
      ['contact', 'contacts', ['c']],
      ['order', 'legacy_orders', ['d']],
    ]);
    expect(pages().every((page) => page.workspaceId === 'ws_1' && page.connectionId === 'conn_1')).toBe(true);
  });

  it('writes pending rows before a lookup reads them', async () => {
    const { store, calls } = fakeStore();
    const records = await batchOf(store, ['a']);
    await records.apply('order', 'orders', row('a', { n: '1' }, { n: '1' }));

    await records.lookup('contact', ['x']);
    expect(calls.map((call) => call.kind)).toEqual(['find', 'find']);

    await records.lookup('order', ['a']);
    expect(calls.map((call) => call.kind)).toEqual(['find', 'find', 'upsertPage', 'find']);
  });

  it('fails every flush after a failed write', async () => {
    const { store } = fakeStore([], true);
    const records = await batchOf(store, ['a']);
    await records.apply('order', 'orders', row('a', { n: '1' }, { n: '1' }));

    const first = await records.flush().catch((error: unknown) => error);
    expect(first).toMatchObject({ code: 'WEBHOOK_BATCH_WRITE_FAILED', status: 503, fault: 'platform' });
    expect((first as Error).cause).toMatchObject({ message: 'disk I/O error' });
    await expect(records.flush()).rejects.toMatchObject({ code: 'WEBHOOK_BATCH_WRITE_FAILED' });
  });

  it('writes nothing for an empty batch', async () => {
    const { store, pages } = fakeStore();
    const records = await batchOf(store, []);
    await records.flush();
    expect(pages()).toEqual([]);
  });
});
