import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addJsonColumn } from './column-types.js';

// The embedded durable job queue. Times that workers compare (due time, lock expiry,
// retention) are epoch milliseconds in bigint columns, because numbers compare the same
// way on both databases.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('jobs', (table) => {
    // Insertion order, so jobs of equal priority and due time run first in, first out.
    table.bigIncrements('seq');
    // A generated `job_…` id, or the caller's id for an idempotent enqueue.
    table.string('id', 255).notNullable().unique();
    table.string('name', 100).notNullable();
    addJsonColumn(table, dialect, 'payload').notNullable();
    table.text('status').notNullable().checkIn(['waiting', 'active', 'completed', 'dead']);
    // Lower runs first; 0 is the highest priority.
    table.integer('priority').notNullable();
    // Earliest start of a waiting job: enqueue time plus delay, or the retry time after a failure.
    table.bigInteger('run_at').notNullable();
    // Attempts that ended in success or failure. A stalled attempt counts in stalled_count instead.
    table.integer('attempts_made').notNullable().defaultTo(0);
    table.integer('max_attempts').notNullable();
    table.integer('stalled_count').notNullable().defaultTo(0);
    table.text('backoff_type').notNullable().checkIn(['exponential', 'fixed']);
    table.integer('backoff_delay_ms').notNullable();
    table.string('concurrency_key', 255).nullable();
    table.string('locked_by', 100).nullable();
    table.bigInteger('locked_until').nullable();
    addJsonColumn(table, dialect, 'result').nullable();
    table.text('last_error_code').nullable();
    table.text('last_error_message').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('started_at').nullable();
    table.bigInteger('finished_at').nullable();
  });

  // Partial indexes keep only the rows each worker query looks for. The same SQL is valid on
  // both databases, and the repository repeats each WHERE clause word for word, because
  // SQLite uses a partial index only when the query contains its WHERE terms.
  await knex.raw(`CREATE INDEX jobs_waiting ON jobs (name, priority, run_at, seq) WHERE status = 'waiting'`);
  await knex.raw(`CREATE INDEX jobs_waiting_key ON jobs (concurrency_key, name, priority, run_at, seq) WHERE status = 'waiting'`);
  await knex.raw(`CREATE INDEX jobs_stalled ON jobs (locked_until) WHERE status = 'active'`);
  await knex.raw(`CREATE INDEX jobs_dead ON jobs (name, finished_at) WHERE status = 'dead'`);
  await knex.raw(`CREATE INDEX jobs_completed ON jobs (finished_at) WHERE status = 'completed'`);

  // At most one active job per concurrency key, enforced by the database itself: a claim
  // that races another process for the same key fails instead of running both. Null keys
  // never conflict.
  await knex.raw(`CREATE UNIQUE INDEX jobs_active_key ON jobs (concurrency_key) WHERE status = 'active'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('jobs');
}
