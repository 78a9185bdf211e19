import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashPassword } from '../../platform/src/access/index.js';
import type { TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createKey, createUser, login, send, startAccessPlatform } from './support/access-client.js';
import { recomputeScrypt } from './support/independent-scrypt.js';

forEachDatabase((database) => {
  describe('users API', () => {
    let test: TestPlatform;

    beforeAll(async () => {
      test = await startAccessPlatform(database);
    }, 60_000);

    afterAll(async () => {
      await test?.close();
    });

    const countUsers = async () => Number((await test.platform.store.knex('users').count({ count: '*' }))[0]?.count);

    it('create a user with a scrypt hash', async () => {
      const password = 'a long enough password';
      const reply = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email: ' Maria@Example.COM ', name: 'Maria', role: 'manager', password } });
      const row = await test.platform.store.knex('users').where({ id: reply.body.user?.id }).first();
      const { expected, actual } = recomputeScrypt(row.password_hash, password);

      expect(reply.status).toBe(201);
      expect(reply.body.user).toEqual(expect.objectContaining({ email: 'maria@example.com', name: 'Maria', role: 'manager', workspaceId: 'ws_default' }));
      expect(reply.body.user.id).toMatch(/^usr_/);
      expect(JSON.stringify(reply.body)).not.toContain(password);
      expect(JSON.stringify(reply.body)).not.toContain('scrypt');
      expect(row.password_hash).toMatch(/^scrypt\$ln=14,r=8,p=1\$/);
      expect(actual).toBe(expected);
    });

    it('salt each password', async () => {
      const first = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email: 'twin1@example.com', name: 'Twin', role: 'user', password: 'the very same password' } });
      const second = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email: 'twin2@example.com', name: 'Twin', role: 'user', password: 'the very same password' } });
      const rows = await test.platform.store.knex('users').whereIn('id', [first.body.user.id, second.body.user.id]).select('password_hash');

      expect(rows).toHaveLength(2);
      expect(rows[0].password_hash).not.toBe(rows[1].password_hash);
    });

    it('reject a duplicate email', async () => {
      const existing = await createUser(test, 'user');
      const before = await countUsers();

      const reply = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email: existing.email.toUpperCase(), name: 'Copy', role: 'user', password: 'another long password' } });

      expect(reply.status).toBe(409);
      expect(reply.body.code).toBe('USER_EMAIL_EXISTS');
      expect(await countUsers()).toBe(before);
    });

    it('reject bad fields and store nothing', async () => {
      const before = await countUsers();
      const base = { email: 'new@example.com', name: 'New', role: 'user', password: 'twelve chars!' };

      const short = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { ...base, password: 'elevenchars' } });
      const role = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { ...base, role: 'owner' } });
      const email = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { ...base, email: 'not-an-email' } });

      expect(short.status).toBe(400);
      expect(short.body.code).toBe('PASSWORD_TOO_SHORT');
      expect(short.body.field).toBe('password');
      expect(short.body.detail).not.toContain('elevenchars');
      expect(role.status).toBe(400);
      expect(role.body.field).toMatch(/role/);
      expect(email.status).toBe(400);
      expect(email.body.field).toBe('email');
      expect(await countUsers()).toBe(before);
    });

    it('cannot create or delete a more powerful user', async () => {
      const limited = await createKey(test, ['api_keys.manage', 'integrations.read']);
      const target = await createUser(test, 'manager');

      const makeAdmin = await send(test, 'POST', '/v1/users', { key: limited.key, body: { email: 'boss@example.com', name: 'Boss', role: 'admin', password: 'a long enough password' } });
      const makeReader = await send(test, 'POST', '/v1/users', { key: limited.key, body: { email: 'reader@example.com', name: 'Reader', role: 'user', password: 'a long enough password' } });
      const removeManager = await send(test, 'DELETE', `/v1/users/${target.id}`, { key: limited.key });

      expect(makeAdmin.status).toBe(403);
      expect(makeAdmin.body.code).toBe('PERMISSION_DENIED');
      expect(makeReader.status).toBe(201);
      expect(removeManager.status).toBe(403);
      expect(await test.platform.store.users.get('ws_default', target.id)).not.toBeNull();
    });

    it('hide other workspaces', async () => {
      const store = test.platform.store;
      const other = await store.workspaces.create({ name: 'Other tenant' });
      const { key: otherKey } = await store.apiKeys.create(other.id, 'other admin', ['integrations.read', 'api_keys.manage']);
      const ours = await createUser(test, 'user');

      const remove = await send(test, 'DELETE', `/v1/users/${ours.id}`, { key: otherKey });
      const list = await send(test, 'GET', '/v1/users', { key: otherKey });

      expect(remove.status).toBe(404);
      expect(remove.body.code).toBe('USER_NOT_FOUND');
      expect(list.body.users).toEqual([]);
      expect(await store.users.get('ws_default', ours.id)).not.toBeNull();
    });

    it('list with a cursor', async () => {
      const all = (await send(test, 'GET', '/v1/users?limit=200', { key: test.apiKey })).body.users;

      const first = await send(test, 'GET', '/v1/users?limit=2', { key: test.apiKey });
      const second = await send(test, 'GET', `/v1/users?limit=2&cursor=${first.body.nextCursor}`, { key: test.apiKey });
      const badCursor = await send(test, 'GET', '/v1/users?cursor=nonsense', { key: test.apiKey });

      expect(all.length).toBeGreaterThan(4);
      expect(first.body.users.map((user: any) => user.id)).toEqual(all.slice(0, 2).map((user: any) => user.id));
      expect(second.body.users.map((user: any) => user.id)).toEqual(all.slice(2, 4).map((user: any) => user.id));
      expect(badCursor.status).toBe(400);
    });

    it('rehash a weaker hash at login', async () => {
      const password = 'an old cheap password';
      const user = await test.platform.store.users.create({ workspaceId: 'ws_default', email: 'legacy@example.com', name: 'Legacy', role: 'user', passwordHash: await hashPassword(password, { logN: 12, r: 8, p: 1 }) });

      await login(test, 'legacy@example.com', password);
      const row = await test.platform.store.knex('users').where({ id: user.id }).first();
      const { expected, actual } = recomputeScrypt(row.password_hash, password);

      expect(row.password_hash).toMatch(/^scrypt\$ln=14,/);
      expect(actual).toBe(expected);
      expect(row.last_login_at).not.toBeNull();
    });
  });
});
