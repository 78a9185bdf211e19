import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn, addTimestampColumn } from './column-types.js';

// Key-value state that sandboxed connector plugins keep per connection through
// `context.state`. Rows go with their connection.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('plugin_state', (table) => {
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    // The plugin host limits keys to 200 characters; 255 leaves room without changing the type.
    table.string('key', 255).notNullable();
    addJsonColumn(table, dialect, 'value').notNullable();
    addTimestampColumn(table, dialect, 'updated_at').notNullable();
    table.primary(['connection_id', 'key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('plugin_state');
}
