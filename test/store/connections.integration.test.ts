import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCredentialCipher, deriveKeyId } from '../../platform/src/security/index.js';
import { DEFAULT_WORKSPACE_ID, type Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';

forEachDatabase((database) => {
  let store: Store;

  beforeAll(async () => {
    store = await database.openStore();
  });

  describe('workspaces', () => {
    it('creates and reads a workspace', async () => {
      const workspace = await store.workspaces.create({ name: 'Acme' });

      expect(workspace.id).toMatch(/^ws_[0-9a-z]{26}$/);
      expect(await store.workspaces.get(workspace.id)).toEqual(workspace);
      expect(await store.workspaces.get('ws_missing')).toBeNull();
    });

    it('creates the default workspace once', async () => {
      const [first, second] = await Promise.all([store.workspaces.getOrCreateDefault(), store.workspaces.getOrCreateDefault()]);
      const third = await store.workspaces.getOrCreateDefault();

      expect(first.id).toBe(DEFAULT_WORKSPACE_ID);
      expect(second).toEqual(first);
      expect(third).toEqual(first);
    });

    it('rejects a duplicate id', async () => {
      await store.workspaces.create({ name: 'Fixed', id: 'ws_fixed' });

      await expect(store.workspaces.create({ name: 'Again', id: 'ws_fixed' })).rejects.toMatchObject({ code: 'WORKSPACE_EXISTS', status: 409 });
    });
  });

  describe('connectors', () => {
    it('upserts by id', async () => {
      const manifest = { id: 'acme', name: 'Acme', version: '1.0.0', objects: { contacts: { label: 'Contacts' } } };

      await store.connectors.upsert({ id: 'acme', version: '1.0.0', name: 'Acme', manifest, manifestHash: 'h1', status: 'loaded', errors: [] });
      const replaced = await store.connectors.upsert({ id: 'acme', version: '1.1.0', name: 'Acme', manifest: { ...manifest, version: '1.1.0' }, manifestHash: 'h2', status: 'invalid', errors: [{ path: '/auth', message: 'missing' }] });

      const stored = await store.connectors.get('acme');
      expect(stored).toEqual(replaced);
      expect(stored?.version).toBe('1.1.0');
      expect(stored?.errors).toEqual([{ path: '/auth', message: 'missing' }]);
      expect((await store.connectors.list()).filter((connector) => connector.id === 'acme')).toHaveLength(1);
      expect(await store.connectors.get('missing')).toBeNull();
    });
  });

  describe('connections', () => {
    it('creates with defaults', async () => {
      const workspace = await store.workspaces.create({ name: 'Acme' });

      const connection = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: 'Sales', config: { portalId: 42 }, authMethod: 'oauth2AuthorizationCode' });

      expect(connection.id).toMatch(/^conn_/);
      expect(connection.status).toBe('disconnected');
      expect(Buffer.from(connection.webhookToken, 'base64url')).toHaveLength(32);
      expect(await store.connections.get(connection.id)).toEqual(connection);
      expect(await store.connections.findByWebhookToken(connection.webhookToken)).toEqual(connection);
    });

    it('rejects a duplicate name', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const other = await store.workspaces.create({ name: 'Other' });

      await expect(
        store.connections.create({ workspaceId: workspace.id, connectorId: connection.connectorId, name: connection.name, authMethod: 'apiKey' }),
      ).rejects.toMatchObject({ code: 'CONNECTION_NAME_TAKEN', status: 409 });
      const otherConnector = await store.connections.create({ workspaceId: workspace.id, connectorId: 'shopify', name: connection.name, authMethod: 'apiKey' });
      const otherWorkspace = await store.connections.create({ workspaceId: other.id, connectorId: connection.connectorId, name: connection.name, authMethod: 'apiKey' });

      expect(otherConnector.name).toBe(connection.name);
      expect(otherWorkspace.name).toBe(connection.name);
    });

    it('finds by connector and lists', async () => {
      const workspace = await store.workspaces.create({ name: 'Acme' });
      const first = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: 'one', authMethod: 'apiKey' });
      const second = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: 'two', authMethod: 'apiKey' });
      const shop = await store.connections.create({ workspaceId: workspace.id, connectorId: 'shopify', name: 'shop', authMethod: 'apiKey' });

      const hubspot = await store.connections.findByConnector(workspace.id, 'hubspot');
      const all = await store.connections.list(workspace.id);

      expect(hubspot.map((connection) => connection.id)).toEqual([first.id, second.id]);
      expect(all.map((connection) => connection.id)).toEqual([first.id, second.id, shop.id]);
    });

    it('updates fields and timestamp', async () => {
      const { connection } = await createConnectionFixture(store);
      await new Promise((resolve) => setTimeout(resolve, 5));

      const updated = await store.connections.update(connection.id, {
        status: 'needs_reauth',
        health: { ok: false, checkedAt: '2024-05-01T00:00:00.000Z' },
        config: { region: 'eu' },
        lastSyncAt: '2024-05-01T01:00:00+01:00',
        lastSyncStatus: 'succeeded',
      });

      expect(updated?.status).toBe('needs_reauth');
      expect(updated?.health).toEqual({ ok: false, checkedAt: '2024-05-01T00:00:00.000Z' });
      expect(updated?.config).toEqual({ region: 'eu' });
      expect(updated?.lastSyncAt).toBe('2024-05-01T00:00:00.000Z');
      expect(updated?.name).toBe(connection.name);
      expect(updated?.updatedAt).not.toBe(connection.updatedAt);
      expect((updated?.updatedAt ?? '') > connection.updatedAt).toBe(true);
      expect(await store.connections.update('conn_missing', { status: 'error' })).toBeNull();
    });

    it('rejects renaming onto a taken name', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      const other = await store.connections.create({ workspaceId: workspace.id, connectorId: connection.connectorId, name: 'taken', authMethod: 'apiKey' });

      await expect(store.connections.update(connection.id, { name: other.name })).rejects.toMatchObject({ code: 'CONNECTION_NAME_TAKEN' });
    });

    it('deletes with dependent rows', async () => {
      const { workspace, connection } = await createConnectionFixture(store);
      await store.records.upsertPage({ workspaceId: workspace.id, connectionId: connection.id, object: 'contact', sourceObject: 'contacts', rows: [{ externalId: '1', data: {}, raw: {}, deleted: false }] });
      await store.syncState.save(connection.id, 'contacts', { cursor: 'x' });
      await store.credentials.saveEncrypted(connection.id, { keyId: 'k', nonce: 'bg==', ciphertext: 'Yw==', authTag: 'dA==' });

      expect(await store.connections.delete(connection.id)).toBe(true);

      expect(await store.connections.get(connection.id)).toBeNull();
      expect(await store.records.count({ connectionId: connection.id, includeDeleted: true })).toBe(0);
      expect(await store.syncState.get(connection.id, 'contacts')).toBeNull();
      expect(await store.credentials.getEncrypted(connection.id)).toBeNull();
      expect(await store.connections.delete(connection.id)).toBe(false);
    });
  });

  describe('credentials', () => {
    it('stores and replaces envelopes', async () => {
      const { connection } = await createConnectionFixture(store);
      const key = randomBytes(32);
      const cipher = createCredentialCipher({ keys: [{ id: deriveKeyId(key), key }], activeKeyId: deriveKeyId(key) });

      await store.credentials.saveEncrypted(connection.id, cipher.encrypt(connection.id, { apiKey: 'first' }));
      await store.credentials.saveEncrypted(connection.id, cipher.encrypt(connection.id, { apiKey: 'second' }));
      const envelope = await store.credentials.getEncrypted(connection.id);

      expect(envelope?.keyId).toBe(deriveKeyId(key));
      expect(envelope).not.toBeNull();
      expect(cipher.decrypt(connection.id, envelope!)).toEqual({ apiKey: 'second' });
    });

    it('returns null without credentials', async () => {
      const { connection } = await createConnectionFixture(store);

      expect(await store.credentials.getEncrypted(connection.id)).toBeNull();
      expect(await store.credentials.delete(connection.id)).toBe(false);
    });

    it('rejects an unknown connection', async () => {
      const attempt = store.credentials.saveEncrypted('conn_missing', { keyId: 'k', nonce: 'bg==', ciphertext: 'Yw==', authTag: 'dA==' });

      await expect(attempt).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    });
  });
});
