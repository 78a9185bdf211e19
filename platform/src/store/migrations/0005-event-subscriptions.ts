import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn } from './column-types.js';

// Subscriptions to Lumio's own events, the deliveries that send each event to each
// subscription, their attempt log, and a cursor per workspace over `lumio_events`. Times
// are epoch milliseconds in bigint columns, like the webhook tables, because the
// dispatcher compares them with `lumio_events.created_at`.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  // The signing secret is an AES-256-GCM envelope bound to `${id}#events`, so it cannot
  // be swapped with a connection's credentials.
  await knex.schema.createTable('event_subscriptions', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    table.text('url').notNullable();
    addJsonColumn(table, dialect, 'events').notNullable();
    table.text('secret_key_id').notNullable();
    table.text('secret_ciphertext').notNullable();
    table.text('secret_nonce').notNullable();
    table.text('secret_auth_tag').notNullable();
    table.bigInteger('created_at').notNullable();
    table.index(['workspace_id', 'id']);
  });

  // workspace_id has no foreign key because the subscription already fixes the workspace.
  await knex.schema.createTable('event_deliveries', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable();
    addIdColumn(table, 'subscription_id').notNullable().references('id').inTable('event_subscriptions').onDelete('CASCADE');
    addIdColumn(table, 'event_id').notNullable().references('id').inTable('lumio_events').onDelete('CASCADE');
    table.text('event_type').notNullable();
    table.text('status').notNullable().checkIn(['pending', 'sending', 'succeeded', 'failed', 'dead']);
    // Attempts since the delivery was created or last replayed: they pick the next retry delay.
    table.integer('attempts').notNullable().defaultTo(0);
    // Every attempt ever made, replays included: they number the attempt log.
    table.integer('total_attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at').notNullable();
    table.text('locked_by').nullable();
    table.bigInteger('locked_until').nullable();
    table.integer('last_status_code').nullable();
    table.text('last_error_code').nullable();
    table.text('last_error_message').nullable();
    table.bigInteger('last_attempt_at').nullable();
    table.bigInteger('succeeded_at').nullable();
    table.bigInteger('created_at').notNullable();
    // One delivery per subscription and event, so a fan-out that runs twice adds nothing.
    table.unique(['subscription_id', 'event_id']);
    table.index(['subscription_id', 'id']);
    // PostgreSQL does not index foreign key columns, and deleting an event looks its deliveries up.
    table.index(['event_id']);
  });

  // The same partial-index pattern as webhook_events: the repository repeats each WHERE
  // clause word for word so that SQLite uses the index too.
  await knex.raw(`CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at, id) WHERE status IN ('pending', 'failed')`);
  await knex.raw(`CREATE INDEX event_deliveries_stalled ON event_deliveries (locked_until, id) WHERE status = 'sending'`);
  await knex.raw(`CREATE INDEX event_deliveries_purgeable ON event_deliveries (created_at) WHERE status IN ('succeeded', 'dead')`);

  await knex.schema.createTable('event_delivery_attempts', (table) => {
    addIdColumn(table, 'delivery_id').notNullable().references('id').inTable('event_deliveries').onDelete('CASCADE');
    table.integer('number').notNullable();
    table.bigInteger('attempted_at').notNullable();
    table.integer('duration_ms').notNullable();
    table.integer('status_code').nullable();
    table.text('error_code').nullable();
    table.text('error_message').nullable();
    table.text('response_excerpt').nullable();
    table.primary(['delivery_id', 'number']);
  });

  // Id of the last Lumio event fanned out per workspace. Null means "from the first event".
  await knex.schema.createTable('event_dispatch_cursors', (table) => {
    addIdColumn(table, 'workspace_id').primary().references('id').inTable('workspaces').onDelete('CASCADE');
    addIdColumn(table, 'last_event_id').nullable();
    table.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['event_dispatch_cursors', 'event_delivery_attempts', 'event_deliveries', 'event_subscriptions']) {
    await knex.schema.dropTableIfExists(table);
  }
}
