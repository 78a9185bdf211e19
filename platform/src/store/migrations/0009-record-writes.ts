import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn, addTimestampColumn } from './column-types.js';

// Write-back: canonical records that Lumio clients create or change, queued for sending to
// the provider, and the per-connection settings that decide conflicts.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('record_writes', (table) => {
    // Time-ordered `wr_…` ids, so listing by id returns a batch's writes in request order.
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable();
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    addIdColumn(table, 'batch_id').notNullable();
    // Canonical object name (`contact`) and the manifest object key it is written to (`contacts`).
    table.text('object').notNullable();
    table.text('source_object').notNullable();
    table.text('operation').notNullable().checkIn(['create', 'update']);
    // Lumio id of the record: an existing record's id, or the id a new record gets once the provider accepts it.
    addIdColumn(table, 'record_id').notNullable();
    table.text('external_id').nullable();
    // The canonical fields to write: a whole record for a create, the changed fields for an update.
    addJsonColumn(table, dialect, 'data').notNullable();
    table.text('status').notNullable().checkIn(['pending', 'succeeded', 'failed', 'skipped']);
    // When the change was made in Lumio, compared with the provider's last change by the conflict policy.
    addTimestampColumn(table, dialect, 'changed_at').notNullable();
    // The provider's last-modified time that Lumio had stored for the record when the change was accepted.
    addTimestampColumn(table, dialect, 'base_source_updated_at').nullable();
    // Set when the write failed or was skipped: a stable code, a sentence and the provider's error.
    table.text('error_code').nullable();
    table.text('error_message').nullable();
    addJsonColumn(table, dialect, 'error_details').nullable();
    addJsonColumn(table, dialect, 'warnings').nullable();
    // Provider requests that carried this write, retries included.
    table.integer('attempts').notNullable().defaultTo(0);
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
    addTimestampColumn(table, dialect, 'completed_at').nullable();
    table.index(['batch_id', 'id']);
    table.index(['record_id', 'status']);
  });
  // Workers and the restart sweep look only for pending writes, which are few at any time.
  await knex.raw(`CREATE INDEX record_writes_pending ON record_writes (batch_id) WHERE status = 'pending'`);

  await knex.schema.createTable('writeback_settings', (table) => {
    addIdColumn(table, 'connection_id').primary().references('id').inTable('connections').onDelete('CASCADE');
    table.text('conflict_policy').notNullable().checkIn(['provider_wins', 'lumio_wins', 'newest_wins']);
    // Canonical object name to the canonical field that identifies a record at the provider, e.g. {"contact": "email"}.
    addJsonColumn(table, dialect, 'match_on').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('writeback_settings');
  await knex.schema.dropTableIfExists('record_writes');
}
