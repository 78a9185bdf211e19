import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

const envelope = { keyId: 'k1', nonce: 'bm9uY2Utbm9uY2U=', ciphertext: 'Y2lwaGVydGV4dA==', authTag: 'dGFnLXRhZy10YWctdGFn' };

forEachDatabase((database) => {
  describe('webhookSecrets', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    it('stores and replaces the envelope', async () => {
      const { connection } = await createConnectionFixture(store);
      expect(await store.webhookSecrets.get(connection.id)).toBeNull();

      await store.webhookSecrets.put(connection.id, envelope);
      expect(await store.webhookSecrets.get(connection.id)).toEqual(envelope);

      const rotated = { ...envelope, keyId: 'k2', ciphertext: 'bmV3LWNpcGhlcnRleHQ=' };
      await store.webhookSecrets.put(connection.id, rotated);
      expect(await store.webhookSecrets.get(connection.id)).toEqual(rotated);
    });

    it('deletes the envelope', async () => {
      const { connection } = await createConnectionFixture(store);
      await store.webhookSecrets.put(connection.id, envelope);

      expect(await store.webhookSecrets.delete(connection.id)).toBe(true);
      expect(await store.webhookSecrets.delete(connection.id)).toBe(false);
      expect(await store.webhookSecrets.get(connection.id)).toBeNull();
    });

    it('keeps envelopes per connection', async () => {
      const { connection: one } = await createConnectionFixture(store);
      const { connection: two } = await createConnectionFixture(store);
      await store.webhookSecrets.put(one.id, envelope);

      expect(await store.webhookSecrets.get(two.id)).toBeNull();
    });

    it('rejects an unknown connection', async () => {
      await expect(store.webhookSecrets.put('conn_missing', envelope)).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND', status: 404 });
    });

    it('goes with its connection', async () => {
      const { connection } = await createConnectionFixture(store);
      await store.webhookSecrets.put(connection.id, envelope);

      await store.connections.delete(connection.id);

      expect(await store.webhookSecrets.get(connection.id)).toBeNull();
    });
  });
});
