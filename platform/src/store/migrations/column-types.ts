import type { Knex } from 'knex';
import type { Dialect } from '../dialect.js';

// Column types that differ between the two databases. Applied migrations must never
// change, so a different type for new migrations gets a new helper, not an edit here.

/**
 * JSON column: jsonb on PostgreSQL, text on SQLite. Knex's own `json()` on SQLite
 * declares a `json` column, which gets NUMERIC affinity and would turn the text `12`
 * into the integer 12, so SQLite gets a plain text column.
 */
export function addJsonColumn(table: Knex.CreateTableBuilder, dialect: Dialect, name: string): Knex.ColumnBuilder {
  return dialect === 'postgres' ? table.jsonb(name) : table.text(name);
}

/**
 * Timestamp column: timestamptz with millisecond precision on PostgreSQL, text on SQLite.
 * SQLite has no timestamp type; the repositories always write ISO 8601 UTC with
 * milliseconds (`2024-05-01T12:00:00.000Z`), which sorts correctly as text.
 */
export function addTimestampColumn(table: Knex.CreateTableBuilder, dialect: Dialect, name: string): Knex.ColumnBuilder {
  return dialect === 'postgres' ? table.timestamp(name, { useTz: true, precision: 3 }) : table.text(name);
}

/** Generated ids (`ws_…`, `conn_…`) are at most 31 characters; 64 leaves room for other prefixes. */
export function addIdColumn(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.string(name, 64);
}
