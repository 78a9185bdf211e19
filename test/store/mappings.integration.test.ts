import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

function definition(target: string) {
  return { object: 'contacts', canonicalObject: 'contact', fields: [{ target, source: 'properties.firstname' }] };
}

forEachDatabase((database) => {
  describe('mappings', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    it('numbers versions per object', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const base = { workspaceId: workspace.id, connectionId: connection.id, canonicalObject: 'contact' };

      const first = await store.mappings.createVersion({ ...base, object: 'contacts', definition: definition('firstName') });
      const second = await store.mappings.createVersion({ ...base, object: 'contacts', definition: definition('givenName'), comment: 'rename', createdBy: 'admin@example.com' });
      const otherObject = await store.mappings.createVersion({ ...base, object: 'companies', canonicalObject: 'company', definition: definition('name') });

      expect(first.version).toBe(1);
      expect(second.version).toBe(2);
      expect(otherObject.version).toBe(1);
      expect(second.comment).toBe('rename');
      expect(second.createdBy).toBe('admin@example.com');
    });

    it('activates only the newest version', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const base = { workspaceId: workspace.id, connectionId: connection.id, object: 'contacts', canonicalObject: 'contact' };
      await store.mappings.createVersion({ ...base, definition: definition('a') });
      await store.mappings.createVersion({ ...base, definition: definition('b') });
      const third = await store.mappings.createVersion({ ...base, definition: definition('c') });

      const active = await store.mappings.activeFor(connection.id, 'contacts');
      const versions = await store.mappings.list(connection.id, 'contacts');

      expect(active).toEqual(third);
      expect(active?.definition).toEqual(definition('c'));
      expect(versions.map((mapping) => [mapping.version, mapping.active])).toEqual([
        [3, true],
        [2, false],
        [1, false],
      ]);
      expect(await store.mappings.get(versions[2]?.id ?? '')).toEqual(versions[2]);
    });

    it('returns null without mappings', async () => {
      const { connection } = await createConnectionFixture(store);

      expect(await store.mappings.activeFor(connection.id, 'contacts')).toBeNull();
      expect(await store.mappings.list(connection.id, 'contacts')).toEqual([]);
    });

    it('handles concurrent version creation', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const base = { workspaceId: workspace.id, connectionId: connection.id, object: 'contacts', canonicalObject: 'contact' };

      await Promise.all([1, 2, 3].map((index) => store.mappings.createVersion({ ...base, definition: definition(`field${index}`) })));

      const versions = await store.mappings.list(connection.id, 'contacts');
      expect(versions.map((mapping) => mapping.version)).toEqual([3, 2, 1]);
      expect(versions.filter((mapping) => mapping.active)).toHaveLength(1);
    });

    it('rejects an unknown connection', async () => {
      const { workspace } = await createConnectionFixture(store);

      const attempt = store.mappings.createVersion({ workspaceId: workspace.id, connectionId: 'conn_missing', object: 'contacts', canonicalObject: 'contact', definition: {} });

      await expect(attempt).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    });
  });
});
