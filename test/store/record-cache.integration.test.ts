import { beforeAll, describe, expect, it } from 'vitest';

import type { Connection, Store, UpsertRecordRow, Workspace } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

function contact(externalId: string, deleted = false): UpsertRecordRow {
  return { externalId, data: { email: `${externalId}@example.com` }, raw: { id: externalId, properties: { email: `${externalId}@example.com` } }, deleted };
}

/** ISO time `offsetMs` from now. */
function isoAt(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

forEachDatabase((database) => {
  describe('recordCache', () => {
    let store: Store;
    let workspace: Workspace;
    let connection: Connection;

    beforeAll(async () => {
      store = await database.openStore();
    });

    async function storeContacts(rows: UpsertRecordRow[], target: Connection = connection): Promise<void> {
      await store.records.upsertPage({ workspaceId: workspace.id, connectionId: target.id, object: 'contact', sourceObject: 'contacts', rows });
    }

    function readFresh(externalId: string, writtenSince = isoAt(-60_000), target: Connection = connection) {
      return store.recordCache.readFresh({ connectionId: target.id, object: 'contact', sourceObject: 'contacts', externalId, writtenSince });
    }

    async function freshConnection(): Promise<void> {
      ({ workspace, connection } = await createConnectionFixture(store));
    }

    it('reads a record written since the limit', async () => {
      await freshConnection();
      await storeContacts([contact('1')]);

      const found = await readFresh('1');

      expect(found?.raw).toEqual({ id: '1', properties: { email: '1@example.com' } });
      const [stored] = await store.records.findByExternalIds(connection.id, 'contact', ['1']);
      expect(found?.updatedAt).toBe(stored?.updatedAt);
    });

    it('skips a record older than the limit', async () => {
      await freshConnection();
      await storeContacts([contact('1')]);

      expect(await readFresh('1', isoAt(60_000))).toBeNull();
    });

    it('skips deleted and unknown records', async () => {
      await freshConnection();
      await storeContacts([contact('1', true)]);

      expect(await readFresh('1')).toBeNull();
      expect(await readFresh('2')).toBeNull();
    });

    it('skips a record invalidated after its write', async () => {
      await freshConnection();
      await storeContacts([contact('1')]);

      await store.recordCache.markInvalidated(connection.id, 'contacts', isoAt(1));

      expect(await readFresh('1')).toBeNull();
    });

    it('reads a record written after an invalidation', async () => {
      await freshConnection();
      await store.recordCache.markInvalidated(connection.id, 'contacts', isoAt(-5_000));
      await storeContacts([contact('1')]);

      expect(await readFresh('1')).not.toBeNull();
    });

    it('applies a connection-wide invalidation', async () => {
      await freshConnection();
      await storeContacts([contact('1')]);

      await store.recordCache.markInvalidated(connection.id, undefined, isoAt(1));

      expect(await readFresh('1')).toBeNull();
    });

    it('ignores other objects and connections', async () => {
      await freshConnection();
      const other = (await createConnectionFixture(store)).connection;
      await storeContacts([contact('1')]);

      await store.recordCache.markInvalidated(connection.id, 'companies', isoAt(1));
      await store.recordCache.markInvalidated(other.id, undefined, isoAt(1));

      expect(await readFresh('1')).not.toBeNull();
    });

    it('keeps the latest invalidation time', async () => {
      await freshConnection();
      await storeContacts([contact('1')]);

      await store.recordCache.markInvalidated(connection.id, 'contacts', isoAt(1));
      // An older time arriving later, as from a slower process, must not bring the record back.
      await store.recordCache.markInvalidated(connection.id, 'contacts', isoAt(-60_000));

      expect(await readFresh('1')).toBeNull();
    });

    it('rejects an invalidation of an unknown connection', async () => {
      await expect(store.recordCache.markInvalidated('conn_missing', 'contacts', isoAt(0))).rejects.toThrow();
    });
  });
});
