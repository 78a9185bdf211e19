import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addJsonColumn } from './column-types.js';

// Pending OAuth authorization code flows: one row per authorization URL handed out, found
// again by the hash of its `state` when the provider redirects back. Times are epoch
// milliseconds in bigint columns, because numbers compare the same way on both databases.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('oauth_states', (table) => {
    addIdColumn(table, 'id').primary();
    // SHA-256 (hex) of the state, so a database reader cannot finish someone else's flow.
    table.string('state_hash', 64).notNullable().unique();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    table.text('connector_id').notNullable();
    table.text('connection_name').notNullable();
    // The connection being reconnected; null when the flow creates a new one.
    addIdColumn(table, 'connection_id').nullable().references('id').inTable('connections').onDelete('CASCADE');
    // Who started the flow: `key:<id>` or `user:<id>`, with the matching id column.
    table.text('actor').notNullable();
    addIdColumn(table, 'api_key_id').nullable();
    addIdColumn(table, 'user_id').nullable();
    // The redirect URI sent to the provider, which the token request must repeat.
    table.text('redirect_uri').notNullable();
    // Non-secret settings to apply on success: connection config and whether to test it.
    addJsonColumn(table, dialect, 'request').notNullable();
    // Envelope of the credential cipher with the PKCE verifier, client id and secret, and webhook settings.
    table.text('key_id').notNullable();
    table.text('ciphertext').notNullable();
    table.text('nonce').notNullable();
    table.text('auth_tag').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('expires_at').notNullable().index();
    // Set by the first callback that presents the state, so a second one is rejected.
    table.bigInteger('used_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('oauth_states');
}
