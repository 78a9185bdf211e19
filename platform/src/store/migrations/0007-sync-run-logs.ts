import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn } from './column-types.js';

// The log of each sync run: one entry per stored page, per retried provider request, per
// record the mapping reported errors for, and per start, interruption, failure and end.
// Times are epoch milliseconds, like the job tables.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('sync_run_logs', (table) => {
    // Insertion order: entries of a run are listed and paged by it.
    table.bigIncrements('seq');
    addIdColumn(table, 'run_id').notNullable().references('id').inTable('sync_runs').onDelete('CASCADE');
    table.text('kind').notNullable().checkIn(['started', 'page', 'retry', 'record_error', 'interrupted', 'failed', 'succeeded']);
    table.bigInteger('created_at').notNullable();
    // The job attempt that wrote the entry: 2 and above after a retry or a takeover.
    table.integer('attempt').nullable();
    table.integer('page').nullable();
    table.integer('records').nullable();
    table.integer('inserted').nullable();
    table.integer('updated').nullable();
    table.integer('unchanged').nullable();
    table.integer('deleted').nullable();
    table.integer('duration_ms').nullable();
    table.text('request_id').nullable();
    // Set on entries that describe a failure (retries, record errors, the run's failure), which `filter=failed` lists.
    table.text('code').nullable();
    table.text('message').nullable();
    addJsonColumn(table, dialect, 'details').nullable();
    table.index(['run_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sync_run_logs');
}
