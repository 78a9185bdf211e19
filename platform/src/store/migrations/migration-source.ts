import type { Knex } from 'knex';
import * as initialSchema from './0001-initial-schema.js';
import * as locks from './0002-locks.js';
import * as webhooks from './0003-webhooks.js';
import * as pluginState from './0004-plugin-state.js';
import * as eventSubscriptions from './0005-event-subscriptions.js';
import * as jobs from './0006-jobs.js';
import * as syncRunLogs from './0007-sync-run-logs.js';
import * as syncSchedules from './0008-sync-schedules.js';
import * as recordWrites from './0009-record-writes.js';
import * as usersSessions from './0010-users-sessions.js';
import * as auditLog from './0011-audit-log.js';
import * as oauthStates from './0012-oauth-states.js';
import * as recordCacheInvalidations from './0013-record-cache-invalidations.js';

interface Migration {
  name: string;
  module: { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };
}

// Migrations are imported as modules instead of read from a folder, so they run from the
// TypeScript sources under tsx and vitest with no build step. Append new ones in order;
// the names are stored in the database and must never change.
const MIGRATIONS: Migration[] = [
  { name: '0001-initial-schema', module: initialSchema },
  { name: '0002-locks', module: locks },
  { name: '0003-webhooks', module: webhooks },
  { name: '0004-plugin-state', module: pluginState },
  { name: '0005-event-subscriptions', module: eventSubscriptions },
  { name: '0006-jobs', module: jobs },
  { name: '0007-sync-run-logs', module: syncRunLogs },
  { name: '0008-sync-schedules', module: syncSchedules },
  { name: '0009-record-writes', module: recordWrites },
  { name: '0010-users-sessions', module: usersSessions },
  { name: '0011-audit-log', module: auditLog },
  { name: '0012-oauth-states', module: oauthStates },
  { name: '0013-record-cache-invalidations', module: recordCacheInvalidations },
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration.module,
};

/** Table where knex records the applied migrations. */
export const MIGRATIONS_TABLE = 'lumio_migrations';
