import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';

const TOKEN = 'audit-hubspot-token-7f3a9c';
const WRONG_TOKEN = 'audit-wrong-token-19be4d';
const USER_AGENT = 'lumio-audit-test/1.0';

/** Logs in without any key, as the studio does. */
async function login(test: TestPlatform, email: string, password: string): Promise<number> {
  const response = await fetch(`${test.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  await response.text();
  return response.status;
}

/** Reads every audit entry visible to a key, following the cursor. */
async function readAll(test: TestPlatform, query: string, key?: string): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | null = null;
  do {
    const path = `/v1/audit-log?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const reply = await test.call('GET', path, undefined, key ? { authorization: `Bearer ${key}` } : {});
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    entries.push(...reply.body.entries);
    cursor = reply.body.nextCursor;
  } while (cursor);
  return entries;
}

forEachDatabase((database) => {
  describe('audit log over HTTP', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;
    let connectionId: string;
    const headers = { 'user-agent': USER_AGENT };

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 3, contacts: { count: 30 } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions(), env: { LUMIO_PASSWORD_SCRYPT_COST: '14' } });
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('records a refused connect as a failure', async () => {
      const reply = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: WRONG_TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } }, headers);
      expect(reply.status).toBe(422);

      const [entry] = (await test.call('GET', '/v1/audit-log?limit=1')).body.entries;
      expect(entry.action).toBe('integration.connect');
      expect(entry.status).toBe('failure');
      expect(entry.statusCode).toBe(422);
      expect(entry.resource).toBe('hubspot');
      expect(entry.metadata.errorCode).toBe('CONNECTION_TEST_FAILED');
      expect(entry.metadata.fields).toEqual(['credentials', 'credentials.accessToken', 'config', 'config.baseUrl', 'config.rateLimits']);
      expect(JSON.stringify(entry)).not.toContain(WRONG_TOKEN);
    });

    it('records connect, sync and disconnect', async () => {
      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } }, headers);
      expect(connect.status).toBe(200);
      connectionId = connect.body.connectionId;
      const sync = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' }, headers);
      expect(sync.status).toBe(202);
      const disconnect = await test.call('POST', `/v1/integrations/${connectionId}/disconnect`, undefined, headers);
      expect(disconnect.status).toBe(200);

      const entries = (await test.call('GET', '/v1/audit-log?limit=3')).body.entries;
      expect(entries.map((entry: any) => entry.action)).toEqual(['integration.disconnect', 'integration.sync', 'integration.connect']);
      for (const entry of entries) {
        expect(entry.status).toBe('success');
        expect(entry.resource).toBe(connectionId);
        expect(entry.ipAddress).toBe('127.0.0.1');
        expect(entry.userAgent).toBe(USER_AGENT);
        expect(entry.actor).toMatch(/^key:/);
        expect(entry.apiKeyId).toBe(entry.actor.slice(4));
        expect(entry.workspaceId).toBe(test.platform.admin.workspaceId);
        expect(Date.parse(entry.timestamp)).toBeGreaterThan(Date.now() - 60_000);
      }
      expect(entries[0].statusCode).toBe(200);
      expect(entries[1].statusCode).toBe(202);
      expect(entries[1].metadata.fields).toEqual(['type', 'mode']);
      expect(JSON.stringify(entries)).not.toContain(TOKEN);
    });

    it('records a rejected request with its error code', async () => {
      const reply = await test.call('POST', '/v1/integrations/hubspot/sync', { mode: 'full' }, headers);
      expect(reply.status).toBe(400);

      const [entry] = (await test.call('GET', '/v1/audit-log?limit=1')).body.entries;
      expect(entry.action).toBe('integration.sync');
      expect(entry.status).toBe('failure');
      expect(entry.statusCode).toBe(400);
      expect(entry.metadata.errorCode).toBe('FIELD_REQUIRED');
      expect(entry.requestId).toBe(reply.headers.get('x-request-id'));
    });

    it('records a permission denial under the key', async () => {
      const { key, record } = await test.platform.store.apiKeys.create(test.platform.admin.workspaceId, 'reader', ['integrations.read']);
      const reply = await test.call('POST', '/v1/integrations/hubspot/disconnect', undefined, { authorization: `Bearer ${key}` });
      expect(reply.status).toBe(403);

      const [entry] = (await test.call('GET', '/v1/audit-log?limit=1')).body.entries;
      expect(entry.action).toBe('integration.disconnect');
      expect(entry.status).toBe('failure');
      expect(entry.statusCode).toBe(403);
      expect(entry.apiKeyId).toBe(record.id);
      expect(entry.metadata.errorCode).toBe('PERMISSION_DENIED');
    });

    it('records key creation and revocation', async () => {
      const created = await test.call('POST', '/v1/api-keys', { name: 'audited', scopes: ['integrations.read'] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const keyId = created.body.apiKey.id;
      const revoked = await test.call('DELETE', `/v1/api-keys/${keyId}`);
      expect(revoked.status).toBeLessThan(300);

      const [revoke, create] = (await test.call('GET', '/v1/audit-log?limit=2')).body.entries;
      expect(create.action).toBe('api_key.create');
      expect(create.resource).toBe(keyId);
      expect(create.metadata.fields).toEqual(['name', 'scopes']);
      expect(revoke.action).toBe('api_key.revoke');
      expect(revoke.resource).toBe(keyId);
      expect(JSON.stringify([create, revoke])).not.toContain(created.body.key);
    });

    it('skips reads', async () => {
      const before = (await readAll(test, 'limit=200')).length;
      await test.call('GET', '/v1/integrations');
      await test.call('GET', `/v1/integrations/${connectionId}/status`);
      const after = (await readAll(test, 'limit=200')).length;

      expect(after).toBe(before);
    });

    it('names actions by route or path', async () => {
      const reply = await test.call('PUT', `/v1/integrations/${connectionId}/sync/schedules`, { schedules: [] });
      expect(reply.status).toBe(200);
      const missing = await test.call('POST', '/v1/nothing-here', {});
      expect(missing.status).toBe(404);

      const [notFound, schedules] = (await test.call('GET', '/v1/audit-log?limit=2')).body.entries;
      expect(schedules.action).toBe('sync_schedule.update');
      expect(notFound.action).toBe('POST /v1/nothing-here');
      expect(notFound.statusCode).toBe(404);
    });

    it('records logins under the user workspace', async () => {
      const password = 'audit-password-5d81c0e2';
      const created = await test.call('POST', '/v1/users', { email: 'Auditor@Example.com', name: 'Auditor', role: 'user', password });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const userId = created.body.user.id;

      expect(await login(test, 'auditor@example.com', 'not-the-password-1')).toBe(401);
      expect(await login(test, 'auditor@example.com', password)).toBe(200);
      expect(await login(test, 'nobody-here@example.com', 'whatever-password-2')).toBe(401);

      const logins = await readAll(test, 'action=session.login');
      expect(logins.map((entry) => [entry.status, entry.actor, entry.resource])).toEqual([
        ['success', `user:${userId}`, userId],
        ['failure', 'anonymous', userId],
      ]);
      expect(logins[0].userId).toBe(userId);
      expect(logins[1].metadata.errorCode).toBe('LOGIN_FAILED');
      expect(JSON.stringify(logins)).not.toContain(password);
      expect(JSON.stringify(logins)).not.toContain('auditor@example.com');

      // An address no user has belongs to no workspace, so only the table shows it.
      const orphans = await test.platform.store.knex('audit_log').whereNull('workspace_id').where({ action: 'session.login' });
      expect(orphans).toHaveLength(1);
      expect(orphans[0].actor).toBe('anonymous');
      expect(orphans[0].status).toBe('failure');
      expect(JSON.stringify(orphans)).not.toContain('nobody-here@example.com');
    });

    it('filters by action, resource and time', async () => {
      const all = await readAll(test, 'limit=200');
      const connects = await readAll(test, 'action=integration.connect');
      const integration = await readAll(test, 'action=integration.*');
      const byResource = await readAll(test, `resource=${connectionId}`);
      const future = await readAll(test, `since=${new Date(Date.now() + 60_000).toISOString()}`);
      const middle = all[Math.floor(all.length / 2)];
      const since = await readAll(test, `since=${encodeURIComponent(middle.timestamp)}`);

      expect(connects.map((entry) => entry.status)).toEqual(['success', 'failure']);
      expect(integration.length).toBe(all.filter((entry) => entry.action.startsWith('integration.')).length);
      expect(integration.length).toBeGreaterThanOrEqual(6);
      expect(byResource.length).toBeGreaterThanOrEqual(4);
      expect(byResource.every((entry) => entry.resource === connectionId)).toBe(true);
      expect(future).toEqual([]);
      expect(since.length).toBe(all.filter((entry) => entry.timestamp >= middle.timestamp).length);
    });

    it('pages newest first without gaps', async () => {
      const all = await readAll(test, 'limit=200');
      const paged = await readAll(test, 'limit=2');
      const first = await test.call('GET', '/v1/audit-log?limit=2');

      expect(paged.map((entry) => entry.id)).toEqual(all.map((entry) => entry.id));
      expect(new Set(paged.map((entry) => entry.id)).size).toBe(paged.length);
      expect([...all.map((entry) => entry.timestamp)].sort().reverse()).toEqual(all.map((entry) => entry.timestamp));
      expect(first.body.entries).toHaveLength(2);
      expect(first.body.nextCursor).toBe(first.body.entries[1].id);
    });

    it('rejects bad queries', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['cursor=abc', 'cursor'],
        ['since=yesterday', 'since'],
        ['action=', 'action'],
        ['acton=integration.sync', 'acton'],
      ]) {
        const reply = await test.call('GET', `/v1/audit-log?${query}`);
        expect(reply.status, query).toBe(400);
        expect(reply.body.field, query).toBe(field);
      }
    });

    it('keeps workspaces apart', async () => {
      const store = test.platform.store;
      const other = await store.workspaces.create({ name: 'Audit other tenant' });
      const { key } = await store.apiKeys.create(other.id, 'other admin', ['integrations.read', 'integrations.write', 'integrations.connect', 'integrations.disconnect', 'api_keys.manage']);
      const own = await readAll(test, 'limit=200');

      const before = await readAll(test, 'limit=200', key);
      const foreign = await test.call('POST', `/v1/integrations/${connectionId}/disconnect`, undefined, { authorization: `Bearer ${key}` });
      const after = await readAll(test, 'limit=200', key);
      const byResource = await readAll(test, `resource=${connectionId}`, key);
      const ownAfter = await readAll(test, 'limit=200');

      expect(before).toEqual([]);
      expect(foreign.status).toBe(404);
      expect(after).toHaveLength(1);
      expect(after[0].workspaceId).toBe(other.id);
      expect(after[0].status).toBe('failure');
      expect(byResource.map((entry) => entry.id)).toEqual([after[0].id]);
      expect(ownAfter.map((entry) => entry.id)).toEqual(own.map((entry) => entry.id));
    });

    it('ignores X-Forwarded-For unless trusted', async () => {
      await test.call('POST', '/v1/integrations/hubspot/sync', {}, { 'x-forwarded-for': '203.0.113.42' });
      const [untrusted] = (await test.call('GET', '/v1/audit-log?limit=1')).body.entries;

      const proxied = await startTestPlatform({ store: database.storeOptions(), env: { LUMIO_TRUST_PROXY: 'true' } });
      try {
        await proxied.call('POST', '/v1/integrations/hubspot/sync', {}, { 'x-forwarded-for': '203.0.113.42, 10.0.0.1' });
        const [trusted] = (await proxied.call('GET', '/v1/audit-log?limit=1')).body.entries;

        expect(untrusted.ipAddress).toBe('127.0.0.1');
        expect(trusted.ipAddress).toBe('203.0.113.42');
      } finally {
        await proxied.close();
      }
    });
  });
});
