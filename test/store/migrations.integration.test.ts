import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/src/observability/index.js';
import { openStore } from '../../platform/src/store/index.js';
import { MIGRATIONS_TABLE, migrationSource } from '../../platform/src/store/migrations/migration-source.js';
import { forEachDatabase } from './databases.js';

const TABLES = ['workspaces', 'api_keys', 'connectors', 'connections', 'credentials', 'mappings', 'sync_runs', 'sync_state', 'records', 'locks', 'webhook_secrets', 'webhook_deliveries', 'webhook_events', 'lumio_events', 'jobs', 'sync_run_logs', 'sync_schedules', 'users', 'sessions', 'audit_log', 'connection_debug', 'oauth_states'];

forEachDatabase((database) => {
  describe('migrations', () => {
    it('run twice without changes', async () => {
      const first = await database.openStore();
      const workspace = await first.workspaces.create({ name: 'Survives reopening' });
      await first.close();

      const second = await database.openStore();
      const applied = await second.knex(MIGRATIONS_TABLE).select('name');

      expect(applied.map((row: { name: string }) => row.name)).toEqual(['0001-initial-schema', '0002-locks', '0003-webhooks', '0004-plugin-state', '0005-event-subscriptions', '0006-jobs', '0007-sync-run-logs', '0008-sync-schedules', '0009-record-writes', '0010-users-sessions', '0011-audit-log', '0012-oauth-states', '0013-record-cache-invalidations']);
      expect(await second.workspaces.get(workspace.id)).toEqual(workspace);
      for (const table of TABLES) {
        expect(await second.knex.schema.hasTable(table)).toBe(true);
      }
    });

    it('report no pending migrations', async () => {
      const store = await database.openStore();

      const [, pending] = (await store.knex.migrate.list({ migrationSource, tableName: MIGRATIONS_TABLE })) as [unknown[], unknown[]];

      expect(pending).toEqual([]);
    });

    it('enforce foreign keys', async () => {
      const store = await database.openStore();

      const attempt = store.connections.create({ workspaceId: 'ws_missing', connectorId: 'hubspot', name: 'orphan', authMethod: 'apiKey' });

      await expect(attempt).rejects.toMatchObject({ code: 'WORKSPACE_NOT_FOUND', status: 404 });
    });

    it('enforce status check constraints', async () => {
      const store = await database.openStore();
      const workspace = await store.workspaces.create({ name: 'Checks' });
      const connection = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: 'checks', authMethod: 'apiKey' });

      const attempt = store.knex('connections').where({ id: connection.id }).update({ status: 'sleeping' });

      await expect(attempt).rejects.toThrow();
    });

    it.runIf(database.kind === 'sqlite')('sets SQLite pragmas', async () => {
      const store = await database.openStore();
      const connection = (await store.knex.client.acquireConnection()) as Database;
      try {
        expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(connection.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(connection.pragma('busy_timeout', { simple: true })).toBe(5000);
      } finally {
        await store.knex.client.releaseConnection(connection);
      }
    });
  });
});

describe('openStore', () => {
  it('rejects a non-PostgreSQL URL', async () => {
    const attempt = openStore({ databaseUrl: 'mysql://user:hunter2@127.0.0.1/lumio', dataDir: '/nonexistent', logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'STORE_DATABASE_URL_INVALID' });
    await expect(attempt).rejects.not.toThrow('hunter2');
  });

  it('reports an unusable data folder', async () => {
    // A regular file cannot contain the data folder, whichever user runs the test.
    const parent = await mkdtemp(path.join(tmpdir(), 'lumio-store-file-'));
    const file = path.join(parent, 'not-a-folder');
    await writeFile(file, 'x');

    try {
      const attempt = openStore({ dataDir: path.join(file, 'data'), logger: silentLogger });

      await expect(attempt).rejects.toMatchObject({ code: 'STORE_DATA_DIR_UNAVAILABLE' });
      await expect(attempt).rejects.toThrow(path.join(file, 'data'));
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('reports an unreachable PostgreSQL server', async () => {
    // Port 1 on loopback refuses connections; the message must name the host but not the password.
    const attempt = openStore({ databaseUrl: 'postgres://lumio:hunter2@127.0.0.1:1/lumio', dataDir: '/nonexistent', logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'STORE_CONNECTION_FAILED' });
    await expect(attempt).rejects.toThrow('127.0.0.1:1/lumio');
    await expect(attempt).rejects.not.toThrow('hunter2');
  });
});
