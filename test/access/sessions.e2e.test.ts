import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createUser, login, send, startAccessPlatform, type CreatedUser } from './support/access-client.js';

const HOUR_MS = 3_600_000;

forEachDatabase((database) => {
  describe('studio sessions', () => {
    let test: TestPlatform;
    let admin: CreatedUser;

    beforeAll(async () => {
      test = await startAccessPlatform(database);
      admin = await createUser(test, 'admin');
    }, 60_000);

    afterAll(async () => {
      await test?.close();
    });

    const sessionRow = (token: string) => test.platform.store.knex('sessions').where({ token_hash: createHash('sha256').update(token).digest('hex') }).first();

    it('log in with a hardened cookie', async () => {
      const session = await login(test, admin.email.toUpperCase(), admin.password);

      expect(session.setCookie).toMatch(/^lumio_session=[A-Za-z0-9_-]{43};/);
      expect(session.setCookie).toMatch(/;\s*HttpOnly/i);
      expect(session.setCookie).toMatch(/;\s*SameSite=Strict/i);
      expect(session.setCookie).toMatch(/;\s*Path=\/(;|$)/);
      expect(session.setCookie).toMatch(/;\s*Max-Age=604800/);
      expect(session.setCookie).not.toMatch(/Secure/i);
      expect(session.body.user).toEqual(expect.objectContaining({ id: admin.id, email: admin.email, role: 'admin', workspaceId: 'ws_default' }));
      expect(session.body.permissions).toEqual(['integrations.read', 'integrations.write', 'integrations.delete', 'integrations.connect', 'integrations.disconnect', 'webhooks.manage', 'api_keys.manage']);
      expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.csrfToken).not.toBe(session.token);
    });

    it('store only the token hash', async () => {
      const session = await login(test, admin.email, admin.password);
      const rows = await test.platform.store.knex('sessions').select('*');

      expect(await sessionRow(session.token)).toBeDefined();
      expect(JSON.stringify(rows)).not.toContain(session.token);
      expect(JSON.stringify(rows)).not.toContain(session.csrfToken);
    });

    it('describe the current session', async () => {
      const session = await login(test, admin.email, admin.password);

      const me = await send(test, 'GET', '/v1/session', { session, csrf: false });
      const withKey = await send(test, 'GET', '/v1/session', { key: test.apiKey });
      const anonymous = await send(test, 'GET', '/v1/session');

      expect(me.status).toBe(200);
      expect(me.body).toEqual(session.body);
      expect(withKey.status).toBe(401);
      expect(withKey.body.code).toBe('AUTHENTICATION_REQUIRED');
      expect(anonymous.status).toBe(401);
    });

    it('log out', async () => {
      const session = await login(test, admin.email, admin.password);

      const withoutToken = await send(test, 'DELETE', '/v1/session', { session, csrf: false });
      const stillValid = await send(test, 'GET', '/v1/session', { session });
      const logout = await send(test, 'DELETE', '/v1/session', { session });
      const after = await send(test, 'GET', '/v1/session', { session });

      expect(withoutToken.status).toBe(403);
      expect(stillValid.status).toBe(200);
      expect(logout.status).toBe(204);
      expect(logout.headers.get('set-cookie')).toMatch(/^lumio_session=;.*Max-Age=0/i);
      expect(await sessionRow(session.token)).toBeUndefined();
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('SESSION_EXPIRED');
    });

    it('answer the same for wrong email and password', async () => {
      const before = await test.platform.store.knex('sessions').count({ count: '*' });

      const wrongPassword = await send(test, 'POST', '/v1/session', { body: { email: admin.email, password: 'not the password at all' } });
      const unknownEmail = await send(test, 'POST', '/v1/session', { body: { email: 'nobody@example.com', password: admin.password } });

      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(wrongPassword.body.code).toBe('LOGIN_FAILED');
      expect(unknownEmail.body.code).toBe('LOGIN_FAILED');
      expect(unknownEmail.body.detail).toBe(wrongPassword.body.detail);
      expect(wrongPassword.headers.get('set-cookie')).toBeNull();
      const after = await test.platform.store.knex('sessions').count({ count: '*' });
      expect(Number(after[0]?.count)).toBe(Number(before[0]?.count));
    });

    it('require the CSRF token to change anything', async () => {
      const session = await login(test, admin.email, admin.password);
      const keysBefore = await send(test, 'GET', '/v1/api-keys?limit=200', { session, csrf: false });

      const missing = await send(test, 'POST', '/v1/api-keys', { session, csrf: false, body: { name: 'csrf', scopes: ['integrations.read'] } });
      const wrong = await send(test, 'POST', '/v1/api-keys', { session, csrf: session.csrfToken.replace(/^./, (first) => (first === 'A' ? 'B' : 'A')), body: { name: 'csrf', scopes: ['integrations.read'] } });
      const short = await send(test, 'POST', '/v1/api-keys', { session, csrf: 'x', body: { name: 'csrf', scopes: ['integrations.read'] } });
      const keysBetween = await send(test, 'GET', '/v1/api-keys?limit=200', { session, csrf: false });
      const right = await send(test, 'POST', '/v1/api-keys', { session, body: { name: 'csrf', scopes: ['integrations.read'] } });

      for (const reply of [missing, wrong, short]) {
        expect(reply.status).toBe(403);
        expect(reply.body.code).toBe('CSRF_TOKEN_INVALID');
      }
      expect(keysBetween.body.apiKeys).toHaveLength(keysBefore.body.apiKeys.length);
      expect(right.status).toBe(201);
    });

    it('need no CSRF token with an API key', async () => {
      const reply = await send(test, 'POST', '/v1/api-keys', { key: test.apiKey, body: { name: 'no csrf', scopes: ['integrations.read'] } });

      expect(reply.status).toBe(201);
    });

    it('end after their absolute lifetime', async () => {
      const session = await login(test, admin.email, admin.password);
      await test.platform.store.knex('sessions').where({ token_hash: createHash('sha256').update(session.token).digest('hex') }).update({ expires_at: new Date(Date.now() - 1000).toISOString() });

      const reply = await send(test, 'GET', '/v1/integrations', { session });

      expect(reply.status).toBe(401);
      expect(reply.body.code).toBe('SESSION_EXPIRED');
      expect(reply.headers.get('set-cookie')).toMatch(/^lumio_session=;.*Max-Age=0/i);
      expect(await sessionRow(session.token)).toBeUndefined();
    });

    it('end after 12 idle hours', async () => {
      const session = await login(test, admin.email, admin.password);
      const hash = createHash('sha256').update(session.token).digest('hex');
      await test.platform.store.knex('sessions').where({ token_hash: hash }).update({ last_used_at: new Date(Date.now() - 11 * HOUR_MS).toISOString() });
      const stillActive = await send(test, 'GET', '/v1/integrations', { session });
      const touched = await sessionRow(session.token);

      await test.platform.store.knex('sessions').where({ token_hash: hash }).update({ last_used_at: new Date(Date.now() - 12 * HOUR_MS - 1000).toISOString() });
      const idle = await send(test, 'GET', '/v1/integrations', { session });

      expect(stillActive.status).toBe(200);
      expect(Date.now() - new Date(touched.last_used_at).getTime()).toBeLessThan(60_000);
      expect(idle.status).toBe(401);
      expect(idle.body.code).toBe('SESSION_EXPIRED');
    });

    it('reject a forged cookie', async () => {
      const reply = await send(test, 'GET', '/v1/integrations', { session: { token: 'A'.repeat(43), csrfToken: 'x', setCookie: '', body: null } });

      expect(reply.status).toBe(401);
      expect(reply.body.code).toBe('SESSION_EXPIRED');
    });

    it('end when the user is deleted', async () => {
      const doomed = await createUser(test, 'user');
      const session = await login(test, doomed.email, doomed.password);

      const removed = await send(test, 'DELETE', `/v1/users/${doomed.id}`, { key: test.apiKey });
      const after = await send(test, 'GET', '/v1/integrations', { session });

      expect(removed.status).toBe(204);
      expect(after.status).toBe(401);
      expect(await sessionRow(session.token)).toBeUndefined();
    });

    it('replace the session a browser already has', async () => {
      const first = await login(test, admin.email, admin.password);

      const second = await send(test, 'POST', '/v1/session', { body: { email: admin.email, password: admin.password }, headers: { cookie: `lumio_session=${first.token}` } });

      expect(second.status).toBe(200);
      expect(await sessionRow(first.token)).toBeUndefined();
    });
  });

  describe('roles', () => {
    let test: TestPlatform;

    beforeAll(async () => {
      test = await startAccessPlatform(database);
    }, 60_000);

    afterAll(async () => {
      await test?.close();
    });

    // Requests that need each permission. A request that passes the guard fails later in its
    // handler (no connection, empty body) or succeeds, so any status but 403 means allowed.
    const probes: Record<string, { method: string; path: string; body?: unknown }> = {
      'integrations.read': { method: 'GET', path: '/v1/integrations' },
      'integrations.connect': { method: 'POST', path: '/v1/integrations/hubspot/connect', body: {} },
      'integrations.disconnect': { method: 'POST', path: '/v1/integrations/conn_missing/disconnect' },
      'integrations.write': { method: 'POST', path: '/v1/integrations/hubspot/sync', body: { type: 'contacts' } },
      'webhooks.manage': { method: 'POST', path: '/v1/webhooks', body: {} },
      'api_keys.manage': { method: 'GET', path: '/v1/users' },
    };

    // The roles of the product, with the permissions each grants.
    const roles: Record<string, string[]> = {
      admin: ['integrations.read', 'integrations.write', 'integrations.delete', 'integrations.connect', 'integrations.disconnect', 'webhooks.manage', 'api_keys.manage'],
      manager: ['integrations.read', 'integrations.write', 'integrations.connect', 'integrations.disconnect', 'webhooks.manage'],
      user: ['integrations.read'],
      integration_manager: ['integrations.read', 'integrations.write', 'integrations.delete', 'integrations.connect', 'integrations.disconnect'],
    };

    it.each(Object.keys(roles))('%s gets its permissions', async (role) => {
      const user = await createUser(test, role);
      const session = await login(test, user.email, user.password);

      expect([...session.body.permissions].sort()).toEqual([...(roles[role] ?? [])].sort());
      for (const [permission, probe] of Object.entries(probes)) {
        const reply = await send(test, probe.method, probe.path, { session, body: probe.body });
        const granted = roles[role]?.includes(permission);

        expect(reply.status === 403 ? 'denied' : 'allowed', `${role} ${probe.method} ${probe.path}: ${JSON.stringify(reply.body)}`).toBe(granted ? 'allowed' : 'denied');
        if (!granted) expect(reply.body.detail).toContain(permission);
      }
    });
  });
});
