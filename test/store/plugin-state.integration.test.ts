import { beforeAll, describe, expect, it } from 'vitest';
import { isLumioError } from '../../platform/src/errors/index.js';
import type { Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

forEachDatabase((database) => {
  let store: Store;

  beforeAll(async () => {
    store = await database.openStore();
  });

  describe('pluginState', () => {
    it('returns null for a missing key', async () => {
      const { connection } = await createConnectionFixture(store);

      expect(await store.pluginState.get(connection.id, 'cursor')).toBeNull();
      expect(await store.pluginState.count(connection.id)).toBe(0);
    });

    it('stores and replaces JSON values', async () => {
      const { connection } = await createConnectionFixture(store);
      const value = { after: '1200', seen: [1, 2, 3], note: 'Conceição 🚀', nested: { empty: null } };

      await store.pluginState.set(connection.id, 'cursor', value);
      const first = await store.pluginState.get(connection.id, 'cursor');
      await store.pluginState.set(connection.id, 'cursor', 12);
      const second = await store.pluginState.get(connection.id, 'cursor');

      expect(first?.value).toEqual(value);
      expect(Date.parse(first?.updatedAt ?? '')).toBeGreaterThan(0);
      expect(second?.value).toBe(12);
      expect(await store.pluginState.count(connection.id)).toBe(1);
    });

    it('keeps a string that looks like a number', async () => {
      const { connection } = await createConnectionFixture(store);

      await store.pluginState.set(connection.id, 'token', '12');

      expect((await store.pluginState.get(connection.id, 'token'))?.value).toBe('12');
    });

    it('separates connections', async () => {
      const a = await createConnectionFixture(store);
      const b = await createConnectionFixture(store);

      await store.pluginState.set(a.connection.id, 'shared-name', 'a');
      await store.pluginState.set(b.connection.id, 'shared-name', 'b');

      expect((await store.pluginState.get(a.connection.id, 'shared-name'))?.value).toBe('a');
      expect((await store.pluginState.get(b.connection.id, 'shared-name'))?.value).toBe('b');
    });

    it('deletes a key once', async () => {
      const { connection } = await createConnectionFixture(store);
      await store.pluginState.set(connection.id, 'gone', true);

      expect(await store.pluginState.delete(connection.id, 'gone')).toBe(true);
      expect(await store.pluginState.delete(connection.id, 'gone')).toBe(false);
      expect(await store.pluginState.get(connection.id, 'gone')).toBeNull();
    });

    it('rejects an unknown connection', async () => {
      const error = await store.pluginState.set('conn_missing', 'key', 1).catch((caught: unknown) => caught);

      expect(isLumioError(error)).toBe(true);
      expect((error as { code?: string }).code).toBe('CONNECTION_NOT_FOUND');
    });

    it('goes with its connection', async () => {
      const { connection } = await createConnectionFixture(store);
      await store.pluginState.set(connection.id, 'a', 1);
      await store.pluginState.set(connection.id, 'b', 2);

      await store.connections.delete(connection.id);

      expect(await store.pluginState.count(connection.id)).toBe(0);
    });
  });
});
