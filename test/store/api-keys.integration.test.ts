import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';

forEachDatabase((database) => {
  describe('apiKeys', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    it('creates a key shown once', async () => {
      const workspace = await store.workspaces.create({ name: 'Keys' });

      const { key, record } = await store.apiKeys.create(workspace.id, 'CI', ['records:read', 'sync:write']);

      expect(key).toMatch(/^lumio_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice('lumio_'.length), 'base64url')).toHaveLength(32);
      expect(record.prefix).toBe(key.slice(0, 14));
      expect(record.scopes).toEqual(['records:read', 'sync:write']);
      const row = await store.knex('api_keys').where({ id: record.id }).first();
      expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(key);
    });

    it('verifies a valid key', async () => {
      const workspace = await store.workspaces.create({ name: 'Keys' });
      const { key, record } = await store.apiKeys.create(workspace.id, 'CI', ['records:read']);

      const verified = await store.apiKeys.verify(key);

      expect(verified?.id).toBe(record.id);
      expect(verified?.workspaceId).toBe(workspace.id);
      expect(verified?.lastUsedAt).not.toBeNull();
      expect((await store.apiKeys.get(record.id))?.lastUsedAt).toBe(verified?.lastUsedAt);
    });

    it('rejects unknown and malformed keys', async () => {
      const workspace = await store.workspaces.create({ name: 'Keys' });
      const { key } = await store.apiKeys.create(workspace.id, 'CI', []);
      const lastCharacter = key.at(-1) === 'A' ? 'B' : 'A';

      expect(await store.apiKeys.verify(key.slice(0, -1) + lastCharacter)).toBeNull();
      expect(await store.apiKeys.verify(key.slice(0, -1))).toBeNull();
      expect(await store.apiKeys.verify('')).toBeNull();
      expect(await store.apiKeys.verify(`Bearer ${key}`)).toBeNull();
    });

    it('revokes a key', async () => {
      const workspace = await store.workspaces.create({ name: 'Keys' });
      const { key, record } = await store.apiKeys.create(workspace.id, 'CI', []);

      const first = await store.apiKeys.revoke(record.id);
      const second = await store.apiKeys.revoke(record.id);

      expect(first).toBe(true);
      expect(second).toBe(false);
      expect(await store.apiKeys.verify(key)).toBeNull();
      expect((await store.apiKeys.get(record.id))?.revokedAt).not.toBeNull();
    });

    it('lists keys of one workspace', async () => {
      const workspace = await store.workspaces.create({ name: 'Keys' });
      const other = await store.workspaces.create({ name: 'Other' });
      await store.apiKeys.create(workspace.id, 'first', []);
      await store.apiKeys.create(workspace.id, 'second', []);
      await store.apiKeys.create(other.id, 'elsewhere', []);

      const keys = await store.apiKeys.list(workspace.id);

      expect(keys.map((key) => key.name)).toEqual(['first', 'second']);
    });

    it('rejects invalid input', async () => {
      const workspace = await store.workspaces.create({ name: 'Keys' });

      await expect(store.apiKeys.create(workspace.id, ' ', [])).rejects.toMatchObject({ code: 'API_KEY_NAME_INVALID' });
      await expect(store.apiKeys.create(workspace.id, 'CI', [''])).rejects.toMatchObject({ code: 'API_KEY_SCOPES_INVALID' });
      await expect(store.apiKeys.create('ws_missing', 'CI', [])).rejects.toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
    });
  });
});
