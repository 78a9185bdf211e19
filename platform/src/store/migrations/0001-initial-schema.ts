import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn, addTimestampColumn } from './column-types.js';

// Every column is declared with the knex schema builder, so SQLite and PostgreSQL get the
// same tables; only JSON and timestamp types differ (see column-types.ts).

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('workspaces', (table) => {
    addIdColumn(table, 'id').primary();
    table.text('name').notNullable();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
  });

  await knex.schema.createTable('api_keys', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    table.text('name').notNullable();
    table.text('prefix').notNullable();
    table.string('key_hash', 64).notNullable().unique();
    addJsonColumn(table, dialect, 'scopes').notNullable();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    addTimestampColumn(table, dialect, 'last_used_at').nullable();
    addTimestampColumn(table, dialect, 'revoked_at').nullable();
    table.index(['workspace_id']);
  });

  await knex.schema.createTable('connectors', (table) => {
    table.text('id').primary();
    table.text('version').notNullable();
    table.text('name').notNullable();
    addJsonColumn(table, dialect, 'manifest').notNullable();
    table.text('manifest_hash').notNullable();
    table.text('status').notNullable().checkIn(['loaded', 'invalid']);
    addJsonColumn(table, dialect, 'errors').notNullable();
    addTimestampColumn(table, dialect, 'loaded_at').notNullable();
  });

  // connector_id has no foreign key: connector rows are refreshed from the manifests on
  // disk at each start, and a connection must outlive a connector folder that is missing
  // for a while (it then reports an error instead of disappearing).
  await knex.schema.createTable('connections', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    table.text('connector_id').notNullable();
    table.text('name').notNullable();
    addJsonColumn(table, dialect, 'config').notNullable();
    table.text('auth_method').notNullable();
    table.text('status').notNullable().checkIn(['connected', 'disconnected', 'error', 'needs_reauth']);
    addJsonColumn(table, dialect, 'health').nullable();
    table.string('webhook_token', 64).notNullable().unique();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
    addTimestampColumn(table, dialect, 'last_sync_at').nullable();
    table.text('last_sync_status').nullable();
    table.unique(['workspace_id', 'connector_id', 'name']);
  });

  // Envelope fields are base64 text, so both databases store them the same way.
  await knex.schema.createTable('credentials', (table) => {
    addIdColumn(table, 'connection_id').primary().references('id').inTable('connections').onDelete('CASCADE');
    table.text('key_id').notNullable();
    table.text('ciphertext').notNullable();
    table.text('nonce').notNullable();
    table.text('auth_tag').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
  });

  await knex.schema.createTable('mappings', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    table.text('object').notNullable();
    table.text('canonical_object').notNullable();
    table.integer('version').notNullable();
    addJsonColumn(table, dialect, 'definition').notNullable();
    table.boolean('active').notNullable().defaultTo(false);
    table.text('comment').nullable();
    table.text('created_by').nullable();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    table.unique(['connection_id', 'object', 'version']);
  });
  // At most one active version per connection and object. The same SQL is valid on both
  // databases: SQLite reads the 0/1 column as a truth value.
  await knex.raw('CREATE UNIQUE INDEX mappings_one_active_per_object ON mappings (connection_id, object) WHERE active');

  await knex.schema.createTable('sync_runs', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    table.text('object').notNullable();
    table.text('mode').notNullable().checkIn(['full', 'incremental']);
    table.text('status').notNullable().checkIn(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
    table.text('trigger').notNullable();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    addTimestampColumn(table, dialect, 'started_at').nullable();
    addTimestampColumn(table, dialect, 'finished_at').nullable();
    table.bigInteger('progress_current').notNullable().defaultTo(0);
    table.bigInteger('progress_total').nullable();
    table.boolean('total_is_estimate').notNullable().defaultTo(false);
    table.integer('pages').notNullable().defaultTo(0);
    table.bigInteger('records_read').notNullable().defaultTo(0);
    table.bigInteger('records_inserted').notNullable().defaultTo(0);
    table.bigInteger('records_updated').notNullable().defaultTo(0);
    table.bigInteger('records_unchanged').notNullable().defaultTo(0);
    table.bigInteger('records_deleted').notNullable().defaultTo(0);
    table.text('error_code').nullable();
    table.text('error_message').nullable();
    addTimestampColumn(table, dialect, 'eta').nullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
    table.index(['connection_id', 'object', 'created_at']);
    table.index(['status']);
  });

  await knex.schema.createTable('sync_state', (table) => {
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    table.text('object').notNullable();
    addJsonColumn(table, dialect, 'state').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
    table.primary(['connection_id', 'object']);
  });

  // Records are the one large table, so it carries only the indexes that queries need:
  // the unique key serves every lookup by connection (hashes, counts, cascading deletes)
  // and (workspace_id, object, id) serves listing. workspace_id has no foreign key of its
  // own because the connection already fixes the workspace; each extra index or foreign
  // key cost PostgreSQL about 1 to 3 ms per page of 100 inserts in test/store/upsert-benchmark.ts.
  await knex.schema.createTable('records', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable();
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    table.text('object').notNullable();
    table.text('source_object').notNullable();
    table.text('external_id').notNullable();
    addJsonColumn(table, dialect, 'data').notNullable();
    addJsonColumn(table, dialect, 'raw').notNullable();
    table.string('content_hash', 64).notNullable();
    table.boolean('deleted').notNullable().defaultTo(false);
    addTimestampColumn(table, dialect, 'deleted_at').nullable();
    addTimestampColumn(table, dialect, 'source_updated_at').nullable();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
    table.unique(['connection_id', 'object', 'external_id']);
    table.index(['workspace_id', 'object', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['records', 'sync_state', 'sync_runs', 'mappings', 'credentials', 'connections', 'connectors', 'api_keys', 'workspaces']) {
    await knex.schema.dropTableIfExists(table);
  }
}
