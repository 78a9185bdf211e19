import type { Knex } from 'knex';

// Locks that processes sharing one database take to run a step at most once at a time,
// such as refreshing a connection's OAuth token. A row exists while its lock is held or
// until a later taker replaces it after it expired.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('locks', (table) => {
    table.string('key', 255).primary();
    // Random token of the holder; only the holder may extend or release the lock.
    table.string('owner', 64).notNullable();
    // Epoch milliseconds after which another process may take the lock. A number compares
    // the same way on both databases, unlike SQLite timestamp text.
    table.bigInteger('expires_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('locks');
}
