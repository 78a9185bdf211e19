import { beforeAll, describe, expect, it } from 'vitest';

import type { NewAuditEntry, Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from '../store/databases.js';

function entry(overrides: Partial<NewAuditEntry>): NewAuditEntry {
  return {
    workspaceId: 'ws_repo_a',
    occurredAt: Date.UTC(2025, 0, 10, 12),
    actor: 'key:key_1',
    userId: null,
    apiKeyId: 'key_1',
    action: 'integration.sync',
    resource: 'conn_1',
    ipAddress: '127.0.0.1',
    userAgent: 'test',
    status: 'success',
    statusCode: 202,
    requestId: 'req-1',
    metadata: { fields: ['type'] },
    ...overrides,
  };
}

forEachDatabase((database) => {
  describe('audit log repository', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
      const base = Date.UTC(2025, 0, 10, 12);
      await store.auditLog.append(entry({ action: 'integration.connect', occurredAt: base }));
      await store.auditLog.append(entry({ action: 'integration.sync', occurredAt: base + 1_000, resource: 'conn_2' }));
      await store.auditLog.append(entry({ action: 'integrationXsync', occurredAt: base + 2_000 }));
      await store.auditLog.append(entry({ action: 'integration_x.sync', occurredAt: base + 3_000 }));
      await store.auditLog.append(entry({ action: 'api_key.create', occurredAt: base + 4_000, resource: null, userAgent: 'u'.repeat(600), metadata: null }));
      await store.auditLog.append(entry({ workspaceId: 'ws_repo_b', action: 'integration.connect', occurredAt: base + 5_000 }));
      await store.auditLog.append(entry({ workspaceId: null, actor: 'anonymous', action: 'session.login', status: 'failure', statusCode: 401, occurredAt: base + 6_000 }));
    });

    it('stores every field', async () => {
      const { entries } = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 200, action: 'integration.connect' });

      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ ...entry({ action: 'integration.connect' }), id: expect.stringMatching(/^aud_/) });
    });

    it('cuts long user agents', async () => {
      const { entries } = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 200, action: 'api_key.create' });

      expect(entries[0]?.userAgent).toHaveLength(512);
      expect(entries[0]?.metadata).toBeNull();
    });

    it('matches action prefixes literally', async () => {
      const prefixed = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 200, action: 'integration.*' });
      const underscore = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 200, action: 'integration_x.*' });

      expect(prefixed.entries.map((item) => item.action)).toEqual(['integration.sync', 'integration.connect']);
      expect(underscore.entries.map((item) => item.action)).toEqual(['integration_x.sync']);
    });

    it('filters by resource and time', async () => {
      const byResource = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 200, resource: 'conn_2' });
      const since = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 200, since: Date.UTC(2025, 0, 10, 12) + 2_000 });

      expect(byResource.entries.map((item) => item.action)).toEqual(['integration.sync']);
      expect(since.entries.map((item) => item.action)).toEqual(['api_key.create', 'integration_x.sync', 'integrationXsync']);
    });

    it('keeps workspaces apart', async () => {
      const other = await store.auditLog.list({ workspaceId: 'ws_repo_b', limit: 200 });

      expect(other.entries.map((item) => item.workspaceId)).toEqual(['ws_repo_b']);
    });

    it('pages by cursor', async () => {
      const first = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 2 });
      const second = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 2, cursor: first.nextCursor });
      const last = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 2, cursor: second.nextCursor });
      const all = await store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 200 });

      expect([...first.entries, ...second.entries, ...last.entries].map((item) => item.id)).toEqual(all.entries.map((item) => item.id));
      expect(last.nextCursor).toBeNull();
    });

    it('rejects bad limits and cursors', async () => {
      await expect(store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 0 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      await expect(store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 201 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      await expect(store.auditLog.list({ workspaceId: 'ws_repo_a', limit: 5, cursor: "aud_x' OR 1=1" })).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    });

    it('deletes old entries in bounded batches', async () => {
      const cutoff = Date.UTC(2025, 0, 10, 12) + 3_500;

      const firstBatch = await store.auditLog.deleteOlderThan(cutoff, 2);
      const secondBatch = await store.auditLog.deleteOlderThan(cutoff, 2);
      const thirdBatch = await store.auditLog.deleteOlderThan(cutoff, 2);
      const remaining = await store.knex('audit_log').select('action').orderBy('occurred_at');

      expect([firstBatch, secondBatch, thirdBatch]).toEqual([2, 2, 0]);
      expect(remaining.map((row: any) => row.action)).toEqual(['api_key.create', 'integration.connect', 'session.login']);
      await expect(store.auditLog.deleteOlderThan(cutoff, 0)).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
    });
  });
});
