import type { Knex } from 'knex';
import { addIdColumn } from './column-types.js';

// Scheduled syncs: at most one schedule per connection and object, run every fixed
// interval or on a cron expression in UTC. Times are epoch milliseconds.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_schedules', (table) => {
    addIdColumn(table, 'connection_id').notNullable().references('id').inTable('connections').onDelete('CASCADE');
    table.text('object').notNullable();
    addIdColumn(table, 'workspace_id').notNullable();
    table.text('mode').notNullable().checkIn(['full', 'incremental']);
    // Exactly one of the two is set.
    table.text('every').nullable();
    table.text('cron').nullable();
    // When the definition was last changed; slots at or before it are not run.
    table.bigInteger('anchor_at').notNullable();
    // The latest slot a scheduler enqueued, so no slot is enqueued twice.
    table.bigInteger('last_slot_at').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['connection_id', 'object']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sync_schedules');
}
