import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn, addTimestampColumn } from './column-types.js';

// Webhook secrets, received deliveries and their events, and the outbox of Lumio's own
// events. Times that workers compare (due, lock expiry, retention) are epoch milliseconds
// in bigint columns, because numbers compare the same way on both databases.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  // One envelope per connection: the caller encrypts the whole JSON list of the
  // connection's signing secrets, so rotation replaces the list in one write.
  await knex.schema.createTable('webhook_secrets', (table) => {
    addIdColumn(table, 'connection_id').primary().references('id').inTable('connections').onDelete('CASCADE');
    table.text('key_id').notNullable();
    table.text('ciphertext').notNullable();
    table.text('nonce').notNullable();
    table.text('auth_tag').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
  });

  // workspace_id has no foreign key because the connection already fixes the workspace,
  // and every extra check slows the insert path that answers providers.
  await knex.schema.createTable('webhook_deliveries', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable();
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    table.text('connector_id').notNullable();
    table.bigInteger('received_at').notNullable();
    table.text('method').notNullable();
    table.text('content_type').nullable();
    addJsonColumn(table, dialect, 'headers').notNullable();
    // blob on SQLite, bytea on PostgreSQL: the exact bytes the signature was computed over.
    table.binary('body').notNullable();
    table.string('body_sha256', 64).notNullable();
    table.text('source_ip').nullable();
    table.integer('event_count').notNullable();
    // PostgreSQL does not index foreign key columns, and deleting a connection looks its deliveries up.
    table.index(['connection_id']);
  });

  await knex.schema.createTable('webhook_events', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable();
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    table.text('connector_id').notNullable();
    addIdColumn(table, 'delivery_id').notNullable().references('id').inTable('webhook_deliveries').onDelete('CASCADE');
    table.text('dedup_key').notNullable();
    table.text('provider_event_id').nullable();
    table.text('event_type').nullable();
    addJsonColumn(table, dialect, 'payload').notNullable();
    table.bigInteger('occurred_at').nullable();
    table.text('status').notNullable().checkIn(['received', 'processing', 'processed', 'ignored', 'failed', 'dead']);
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at').notNullable();
    table.text('locked_by').nullable();
    table.bigInteger('locked_until').nullable();
    table.text('last_error_code').nullable();
    table.text('last_error_message').nullable();
    addJsonColumn(table, dialect, 'result').nullable();
    table.bigInteger('received_at').notNullable();
    table.bigInteger('processed_at').nullable();
    table.unique(['connection_id', 'dedup_key']);
    table.index(['connection_id', 'id']);
    table.index(['delivery_id']);
  });

  // Partial indexes keep only the rows each worker query looks for, so events that are
  // done leave the claiming indexes. The same SQL is valid on both databases, and the
  // repository repeats each WHERE clause word for word so both planners use the index.
  // The id column lets claiming read events in (time, id) order straight from the index.
  await knex.raw(`CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at, id) WHERE status IN ('received', 'failed')`);
  await knex.raw(`CREATE INDEX webhook_events_stalled ON webhook_events (locked_until, id) WHERE status = 'processing'`);
  await knex.raw(`CREATE INDEX webhook_events_purgeable ON webhook_events (received_at) WHERE status IN ('processed', 'ignored', 'dead')`);

  // The unique key lets a replayed webhook event emit each Lumio event type at most once.
  // Rows with a null source_event_id never conflict, on both databases.
  await knex.schema.createTable('lumio_events', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    addIdColumn(table, 'connection_id').nullable().references('id').inTable('connections').onDelete('SET NULL');
    table.text('type').notNullable();
    addIdColumn(table, 'source_event_id').nullable();
    addJsonColumn(table, dialect, 'payload').notNullable();
    table.bigInteger('created_at').notNullable();
    table.unique(['source_event_id', 'type']);
    table.index(['workspace_id', 'id']);
    table.index(['connection_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['lumio_events', 'webhook_events', 'webhook_deliveries', 'webhook_secrets']) {
    await knex.schema.dropTableIfExists(table);
  }
}
