import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn } from './column-types.js';

// The audit log of changes made through the API and of sign-ins, and the per-connection
// switch for verbose provider-request logging. Times are epoch milliseconds.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('audit_log', (table) => {
    // Time-ordered `aud_…` ids, so listing by id returns the newest entries first.
    addIdColumn(table, 'id').primary();
    // Null for a failed sign-in with an e-mail address no workspace knows.
    addIdColumn(table, 'workspace_id').nullable();
    table.bigInteger('occurred_at').notNullable();
    // `key:<id>`, `user:<id>`, `system` or `anonymous`.
    table.text('actor').notNullable();
    addIdColumn(table, 'user_id').nullable();
    addIdColumn(table, 'api_key_id').nullable();
    // e.g. `integration.connect`, or `<METHOD> <route pattern>` for routes without a name.
    table.text('action').notNullable();
    // The connection, key, user or other object the action touched.
    table.text('resource').nullable();
    table.text('ip_address').nullable();
    table.text('user_agent').nullable();
    table.text('status').notNullable().checkIn(['success', 'failure']);
    table.integer('status_code').nullable();
    table.text('request_id').nullable();
    // Context without secrets: field names of the request body, path parameters, error code.
    addJsonColumn(table, dialect, 'metadata').nullable();
    table.index(['workspace_id', 'id']);
    table.index(['workspace_id', 'resource', 'id']);
    // Retention deletes by age across workspaces.
    table.index(['occurred_at']);
  });

  await knex.schema.createTable('connection_debug', (table) => {
    addIdColumn(table, 'connection_id').primary().references('id').inTable('connections').onDelete('CASCADE');
    addIdColumn(table, 'workspace_id').notNullable();
    table.text('level').notNullable().checkIn(['verbose']);
    table.bigInteger('enabled_at').notNullable();
    // Debug logging is off from this time on, whether or not the row was deleted.
    table.bigInteger('expires_at').notNullable();
    table.text('enabled_by').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('connection_debug');
  await knex.schema.dropTableIfExists('audit_log');
}
