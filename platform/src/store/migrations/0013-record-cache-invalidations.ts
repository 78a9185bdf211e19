import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addTimestampColumn } from './column-types.js';

// When each connection's cached provider reads were last invalidated, per manifest object.
// The response cache answers `get` reads from stored records only when the record was
// written after this time, so a write or a webhook event also retires the stored copies
// without touching the records. The timestamp has the type of `records.updated_at`, so the
// two compare in SQL on both databases.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('record_cache_invalidations', (table) => {
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    // Manifest object key, or an empty string for every object of the connection.
    table.text('source_object').notNullable();
    addTimestampColumn(table, dialect, 'invalidated_at').notNullable();
    table.primary(['connection_id', 'source_object']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('record_cache_invalidations');
}
