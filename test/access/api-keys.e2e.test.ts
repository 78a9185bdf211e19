import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createKey, send, startAccessPlatform } from './support/access-client.js';

forEachDatabase((database) => {
  describe('API keys', () => {
    let test: TestPlatform;

    beforeAll(async () => {
      test = await startAccessPlatform(database);
    }, 60_000);

    afterAll(async () => {
      await test?.close();
    });

    it('are shown once and stored as SHA-256', async () => {
      const created = await send(test, 'POST', '/v1/api-keys', { key: test.apiKey, body: { name: 'reporting', scopes: ['integrations.read'] } });
      const row = await test.platform.store.knex('api_keys').where({ id: created.body.apiKey.id }).first();
      const listed = await send(test, 'GET', '/v1/api-keys', { key: test.apiKey });

      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^lumio_[A-Za-z0-9_-]{43}$/);
      expect(created.body.apiKey).toMatchObject({ name: 'reporting', scopes: ['integrations.read'], prefix: created.body.key.slice(0, 14), lastUsedAt: null, revokedAt: null });
      expect(row.key_hash).toBe(createHash('sha256').update(created.body.key).digest('hex'));
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
      expect(JSON.stringify(listed.body)).not.toContain(row.key_hash);
      expect(listed.body.apiKeys.map((key: any) => key.id)).toContain(created.body.apiKey.id);
    });

    it('enforce scopes per route class', async () => {
      const reader = await createKey(test, ['integrations.read']);

      const read = await send(test, 'GET', '/v1/integrations', { key: reader.key });
      const records = await send(test, 'GET', '/v1/records?object=contact', { key: reader.key });
      const connect = await send(test, 'POST', '/v1/integrations/hubspot/connect', { key: reader.key, body: { credentials: { accessToken: 'x' } } });
      const disconnect = await send(test, 'POST', '/v1/integrations/hubspot/disconnect', { key: reader.key });
      const sync = await send(test, 'POST', '/v1/integrations/hubspot/sync', { key: reader.key, body: { type: 'contacts' } });
      const subscribe = await send(test, 'POST', '/v1/webhooks', { key: reader.key, body: { url: 'http://127.0.0.1:9/hook', events: ['sync.completed'] } });
      const keys = await send(test, 'GET', '/v1/api-keys', { key: reader.key });
      const users = await send(test, 'GET', '/v1/users', { key: reader.key });

      expect(read.status).toBe(200);
      expect(records.status).toBe(200);
      for (const [reply, permission] of [
        [connect, 'integrations.connect'],
        [disconnect, 'integrations.disconnect'],
        [sync, 'integrations.write'],
        [subscribe, 'webhooks.manage'],
        [keys, 'api_keys.manage'],
        [users, 'api_keys.manage'],
      ] as const) {
        expect(reply.status).toBe(403);
        expect(reply.body.code).toBe('PERMISSION_DENIED');
        expect(reply.body.detail).toContain(permission);
      }
    });

    it('allow what their scopes name', async () => {
      const connector = await createKey(test, ['integrations.connect']);

      const connect = await send(test, 'POST', '/v1/integrations/hubspot/connect', { key: connector.key, body: {} });
      const read = await send(test, 'GET', '/v1/integrations', { key: connector.key });

      // Past the guard, the handler rejects the empty body, which proves the permission passed.
      expect(connect.status).not.toBe(403);
      expect(connect.status).toBe(400);
      expect(read.status).toBe(403);
    });

    it('cannot grant scopes the caller lacks', async () => {
      const manager = await createKey(test, ['api_keys.manage', 'integrations.read']);
      const before = await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey });

      const escalate = await send(test, 'POST', '/v1/api-keys', { key: manager.key, body: { name: 'more', scopes: ['integrations.read', 'integrations.write'] } });
      const same = await send(test, 'POST', '/v1/api-keys', { key: manager.key, body: { name: 'same', scopes: ['integrations.read'] } });
      const revokeAdmin = await send(test, 'DELETE', `/v1/api-keys/${before.body.apiKeys[0].id}`, { key: manager.key });

      expect(escalate.status).toBe(403);
      expect(escalate.body.code).toBe('PERMISSION_DENIED');
      expect(escalate.body.detail).toContain('integrations.write');
      expect(same.status).toBe(201);
      expect(revokeAdmin.status).toBe(403);
      const after = await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey });
      expect(after.body.apiKeys).toHaveLength(before.body.apiKeys.length + 1);
      expect(after.body.apiKeys[0].revokedAt).toBeNull();
    });

    it('reject unknown scopes with the field', async () => {
      const before = await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey });

      const unknown = await send(test, 'POST', '/v1/api-keys', { key: test.apiKey, body: { name: 'typo', scopes: ['integrations.reed'] } });
      const empty = await send(test, 'POST', '/v1/api-keys', { key: test.apiKey, body: { name: 'none', scopes: [] } });
      const nameless = await send(test, 'POST', '/v1/api-keys', { key: test.apiKey, body: { scopes: ['integrations.read'] } });
      const misspelt = await send(test, 'POST', '/v1/api-keys', { key: test.apiKey, body: { name: 'x', scope: ['integrations.read'] } });

      // The OpenAPI request validator or the handler may reject the body, and either names the field.
      expect(unknown.status).toBe(400);
      expect(unknown.body.field).toMatch(/scopes/);
      expect(empty.status).toBe(400);
      expect(empty.body.field).toMatch(/scopes/);
      expect(nameless.status).toBe(400);
      expect(nameless.body.field).toMatch(/name/);
      expect(misspelt.status).toBe(400);
      expect(misspelt.body.field).toMatch(/scope/);
      const after = await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey });
      expect(after.body.apiKeys).toHaveLength(before.body.apiKeys.length);
    });

    it('record lastUsedAt', async () => {
      const created = await createKey(test, ['integrations.read']);
      const unused = (await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey })).body.apiKeys.find((key: any) => key.id === created.id);

      const startedAt = Date.now();
      await send(test, 'GET', '/v1/integrations', { key: created.key });
      const used = (await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey })).body.apiKeys.find((key: any) => key.id === created.id);

      expect(unused.lastUsedAt).toBeNull();
      expect(Date.parse(used.lastUsedAt)).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(Date.parse(used.lastUsedAt)).toBeLessThanOrEqual(Date.now());
    });

    it('stop working once revoked', async () => {
      const created = await createKey(test, ['integrations.read']);
      const before = await send(test, 'GET', '/v1/integrations', { key: created.key });

      const revoke = await send(test, 'DELETE', `/v1/api-keys/${created.id}`, { key: test.apiKey });
      const after = await send(test, 'GET', '/v1/integrations', { key: created.key });
      const listed = (await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey })).body.apiKeys.find((key: any) => key.id === created.id);

      expect(before.status).toBe(200);
      expect(revoke.status).toBe(204);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('AUTHENTICATION_INVALID');
      expect(listed.revokedAt).not.toBeNull();
    });

    it('page with a cursor', async () => {
      for (let index = 0; index < 3; index += 1) await createKey(test, ['integrations.read']);
      const all = (await send(test, 'GET', '/v1/api-keys?limit=200', { key: test.apiKey })).body.apiKeys;

      const first = await send(test, 'GET', '/v1/api-keys?limit=2', { key: test.apiKey });
      const second = await send(test, 'GET', `/v1/api-keys?limit=2&cursor=${first.body.nextCursor}`, { key: test.apiKey });
      const badLimit = await send(test, 'GET', '/v1/api-keys?limit=500', { key: test.apiKey });

      expect(first.body.apiKeys.map((key: any) => key.id)).toEqual(all.slice(0, 2).map((key: any) => key.id));
      expect(second.body.apiKeys.map((key: any) => key.id)).toEqual(all.slice(2, 4).map((key: any) => key.id));
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.field).toBe('limit');
    });

    it('hide other workspaces', async () => {
      const store = test.platform.store;
      const other = await store.workspaces.create({ name: 'Other tenant' });
      const { key: otherKey, record: otherRecord } = await store.apiKeys.create(other.id, 'other admin', ['integrations.read', 'api_keys.manage']);
      const ours = await createKey(test, ['integrations.read']);

      const revokeOurs = await send(test, 'DELETE', `/v1/api-keys/${ours.id}`, { key: otherKey });
      const revokeTheirs = await send(test, 'DELETE', `/v1/api-keys/${otherRecord.id}`, { key: test.apiKey });
      const theirList = await send(test, 'GET', '/v1/api-keys', { key: otherKey });
      const stillWorks = await send(test, 'GET', '/v1/integrations', { key: ours.key });

      expect(revokeOurs.status).toBe(404);
      expect(revokeOurs.body.code).toBe('API_KEY_NOT_FOUND');
      expect(revokeTheirs.status).toBe(404);
      expect(theirList.body.apiKeys.map((key: any) => key.id)).toEqual([otherRecord.id]);
      expect(stillWorks.status).toBe(200);
    });

    it('answer 401 without credentials', async () => {
      const reply = await send(test, 'GET', '/v1/api-keys');

      expect(reply.status).toBe(401);
      expect(reply.body.code).toBe('AUTHENTICATION_REQUIRED');
    });
  });
});
