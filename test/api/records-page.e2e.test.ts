import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../../platform/src/observability/index.js';
import type { Connection, StoredRecord, UpsertRecordRow } from '../../platform/src/store/index.js';
import { selectRows } from '../../platform/src/store/repositories/select-rows.js';
import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL, type DatabaseKind, type TemporaryDatabase } from '../store/temporary-database.js';

/** The fields of a record in `GET /v1/records`, in the order the API writes them. */
const RECORD_FIELDS = ['id', 'integration', 'connectionId', 'object', 'sourceObject', 'externalId', 'data', 'deleted', 'deletedAt', 'sourceUpdatedAt', 'createdAt', 'updatedAt'];

/** Canonical records whose JSON text is easy to get wrong when it is embedded instead of serialised again. */
const AWKWARD_DATA: Record<string, unknown>[] = [
  { fullName: 'Zoë Ødegård 🚀', note: 'line\u2028separator, "quotes", back\\slash, tab\t, nul\u0000' },
  { '10': 'integer-like keys', '2': 'come first in JavaScript', b: [1, 2.5, -3, 1e21, null, true, false], a: { nested: { deeper: [] } } },
  { empty: {}, emptyList: [], emptyText: '' },
  { lone: 'half of a pair \ud83d' },
];

function rowsOf(prefix: string, data: Record<string, unknown>[], deleted = false): UpsertRecordRow[] {
  return data.map((item, index) => ({ externalId: `${prefix}-${index}`, data: item, raw: { providerId: `${prefix}-${index}`, secretish: 'left out' }, deleted, sourceUpdatedAt: '2024-05-01T12:00:00.000Z' }));
}

/** Builds the record as `GET /v1/records` showed it before the page was serialised by hand. */
function expectedView(record: StoredRecord, connectorId: string): Record<string, unknown> {
  return {
    id: record.id,
    integration: connectorId,
    connectionId: record.connectionId,
    object: record.object,
    sourceObject: record.sourceObject,
    externalId: record.externalId,
    data: record.data,
    deleted: record.deleted,
    deletedAt: record.deletedAt,
    sourceUpdatedAt: record.sourceUpdatedAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function defineSuite(kind: DatabaseKind): void {
  let database: TemporaryDatabase;
  let test: TestPlatform;
  let hubspot: Connection;
  let other: Connection;

  beforeAll(async () => {
    database = await createTemporaryDatabase(kind);
    test = await startTestPlatform({ store: database.options });
    const { store, admin } = test.platform;

    hubspot = await store.connections.create({ workspaceId: admin.workspaceId, connectorId: 'hubspot', name: 'Records page', authMethod: 'privateAppToken' });
    other = await store.connections.create({ workspaceId: admin.workspaceId, connectorId: 'example-tasks', name: 'Records page', authMethod: 'apiKey' });
    await store.records.upsertPage({ workspaceId: admin.workspaceId, connectionId: hubspot.id, object: 'contact', sourceObject: 'contacts', rows: rowsOf('h', AWKWARD_DATA) });
    await store.records.upsertPage({ workspaceId: admin.workspaceId, connectionId: other.id, object: 'contact', sourceObject: 'persons', rows: rowsOf('p', [{ fullName: 'Other connection' }]) });
    await store.records.upsertPage({ workspaceId: admin.workspaceId, connectionId: hubspot.id, object: 'contact', sourceObject: 'contacts', rows: rowsOf('d', [{ fullName: 'Deleted' }], true) });

    // Another workspace's records share the object and must never show up.
    const stranger = await store.workspaces.create({ name: 'Stranger' });
    const theirs = await store.connections.create({ workspaceId: stranger.id, connectorId: 'hubspot', name: 'Theirs', authMethod: 'privateAppToken' });
    await store.records.upsertPage({ workspaceId: stranger.id, connectionId: theirs.id, object: 'contact', sourceObject: 'contacts', rows: rowsOf('s', [{ fullName: 'Stranger' }]) });
  }, 60_000);

  afterAll(async () => {
    await test?.close();
    await database?.dispose();
  });

  /** Reads the workspace's contacts from the store, with `raw`, in the order the API lists them. */
  async function storedContacts(options: { connectionIds?: string[]; includeDeleted?: boolean } = {}): Promise<StoredRecord[]> {
    const page = await test.platform.store.records.list({ workspaceId: test.platform.admin.workspaceId, object: 'contact', limit: 1000, ...options });
    return page.items;
  }

  function connectorOf(connectionId: string): string {
    return connectionId === hubspot.id ? 'hubspot' : 'example-tasks';
  }

  it('lists the stored data unchanged', async () => {
    const response = await test.call('GET', '/v1/records?object=contact&limit=100');
    const stored = await storedContacts();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.records).toEqual(stored.map((record) => expectedView(record, connectorOf(record.connectionId))));
    expect(response.body.records).toHaveLength(AWKWARD_DATA.length + 1);
  });

  it('writes the fields in order', async () => {
    const response = await test.call('GET', '/v1/records?object=contact&limit=100');

    for (const record of response.body.records) expect(Object.keys(record)).toEqual(RECORD_FIELDS);
  });

  it('leaves out raw and other workspaces', async () => {
    const response = await test.call('GET', '/v1/records?object=contact&limit=100&includeDeleted=true');
    const text = JSON.stringify(response.body);

    expect(text).not.toContain('secretish');
    expect(text).not.toContain('Stranger');
    expect(response.body.records.every((record: { connectionId: string }) => record.connectionId === hubspot.id || record.connectionId === other.id)).toBe(true);
  });

  it('pages with a cursor and filters', async () => {
    const stored = await storedContacts({ connectionIds: [hubspot.id], includeDeleted: true });
    const listed: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await test.call('GET', `/v1/records?object=contact&integration=hubspot&includeDeleted=true&limit=2${query}`);
      expect(response.status).toBe(200);
      listed.push(...response.body.records);
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(pages).toBe(Math.ceil(stored.length / 2));
    expect(listed).toEqual(stored.map((record) => expectedView(record, 'hubspot')));
    expect(listed.some((record) => (record as { deleted: boolean }).deleted)).toBe(true);
  });

  it('reads data as JSON text in the store', async () => {
    const { store, admin } = test.platform;
    const withText = await store.records.listWithDataJson({ workspaceId: admin.workspaceId, object: 'contact', limit: 2, includeDeleted: true });
    const full = await store.records.list({ workspaceId: admin.workspaceId, object: 'contact', limit: 2, includeDeleted: true });

    expect(withText.nextCursor).toBe(full.nextCursor);
    expect(withText.items.map((record) => JSON.parse(record.dataJson))).toEqual(full.items.map((record) => record.data));
    expect(withText.items.map(({ dataJson: _dataJson, ...rest }) => rest)).toEqual(
      full.items.map(({ data: _data, raw: _raw, workspaceId: _workspaceId, contentHash: _contentHash, ...rest }) => rest),
    );
  });

  it('keeps running statements past the cache bound', async () => {
    const { store } = test.platform;
    const context = { knex: store.knex, dialect: store.dialect, logger: silentLogger };
    const texts = Array.from({ length: 70 }, (_, index) => `SELECT ? AS value, ${index} AS position`);

    for (const [index, sql] of texts.entries()) {
      const rows = await selectRows<{ value: string; position: number }>(context, sql, [`v${index}`]);
      expect(rows.map((row) => [row.value, Number(row.position)])).toEqual([[`v${index}`, index]]);
    }
    const again = await selectRows<{ value: string }>(context, texts[0]!, ['first again']);
    expect(again.map((row) => row.value)).toEqual(['first again']);
  });
}

describe('GET /v1/records page', () => {
  describe('sqlite', () => defineSuite('sqlite'));

  const postgresName = POSTGRES_ADMIN_URL ? 'postgres' : 'postgres (skipped: set LUMIO_TEST_DATABASE_URL to run)';
  describe.skipIf(!POSTGRES_ADMIN_URL)(postgresName, () => defineSuite('postgres'));
});
