import type { Knex } from 'knex';
import { dialectOf } from '../dialect.js';
import { addIdColumn, addTimestampColumn } from './column-types.js';

// Studio users with their roles and scrypt password hashes, and their login sessions.

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex);

  await knex.schema.createTable('users', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    // Stored trimmed and in lowercase. Unique across workspaces, because a login sends only
    // the email and the password, and the email decides the workspace.
    table.string('email', 254).notNullable().unique();
    table.text('name').notNullable();
    table.text('role').notNullable().checkIn(['admin', 'manager', 'user', 'integration_manager']);
    // `scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>`, salt and hash in unpadded base64.
    table.text('password_hash').notNullable();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    addTimestampColumn(table, dialect, 'last_login_at').nullable();
    table.index(['workspace_id', 'id']);
  });

  await knex.schema.createTable('sessions', (table) => {
    addIdColumn(table, 'id').primary();
    addIdColumn(table, 'workspace_id').notNullable();
    addIdColumn(table, 'user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    // SHA-256 of the cookie's token in hex; the token itself is never stored.
    table.string('token_hash', 64).notNullable().unique();
    addTimestampColumn(table, dialect, 'created_at').notNullable();
    // Updated at most once a minute while the session is used; the idle timeout counts from it.
    addTimestampColumn(table, dialect, 'last_used_at').notNullable();
    // The absolute end, fixed at login.
    addTimestampColumn(table, dialect, 'expires_at').notNullable();
    table.index(['user_id']);
    table.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sessions');
  await knex.schema.dropTableIfExists('users');
}
