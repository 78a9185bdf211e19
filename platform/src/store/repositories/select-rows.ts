import type { Database, Statement } from 'better-sqlite3';
import type { StoreContext } from '../store-context.js';
import { withSqliteStatements } from './webhook-sqlite-statements.js';

// Reads on the API's request path (API key lookup, connection list, records page) with SQL
// text written once. knex builds, compiles and prepares every query anew, and on SQLite that
// cost more CPU than running these statements (test/bench/api-reads.ts).

/** SQL texts kept prepared per SQLite connection. Callers use a few fixed texts, so the bound only guards against a caller that builds many. */
const MAX_PREPARED_STATEMENTS = 64;

interface PreparedStatements {
  database: Database;
  /** Whether the statements return each row as an array of column values instead of an object. */
  asArrays: boolean;
  /** Statements by SQL text, oldest first. */
  bySql: Map<string, Statement>;
}

const objectStatementsByConnection = new WeakMap<Database, PreparedStatements>();
const arrayStatementsByConnection = new WeakMap<Database, PreparedStatements>();

/** A value better-sqlite3 can bind: it rejects booleans, so SQL writes them as the literals TRUE and FALSE. */
export type SelectParameter = string | number | null;

/**
 * Runs a SELECT with `?` placeholders and returns its rows as objects keyed by column name.
 * On SQLite the statement is prepared once per connection and SQL text, on knex's own
 * connection, so it waits while a transaction uses it. On PostgreSQL it runs through
 * `knex.raw`, which skips knex's query builder but keeps its pool.
 */
export async function selectRows<Row>(context: StoreContext, sql: string, parameters: readonly SelectParameter[]): Promise<Row[]> {
  if (context.dialect === 'postgres') return (await selectPostgres(context, sql, parameters)) as Row[];
  return (await selectSqlite(context, objectStatementsByConnection, false, sql, parameters)) as Row[];
}

/**
 * Runs a SELECT as `selectRows` does and returns each row as an array of its values in the
 * order of the SELECT list. This skips setting every column by name on a new object, which
 * took a quarter or more of the time better-sqlite3 spent returning a page of 50 records.
 */
export async function selectRowArrays(context: StoreContext, sql: string, parameters: readonly SelectParameter[]): Promise<unknown[][]> {
  if (context.dialect === 'postgres') return (await selectPostgres(context, sql, parameters, true)) as unknown[][];
  return (await selectSqlite(context, arrayStatementsByConnection, true, sql, parameters)) as unknown[][];
}

async function selectPostgres({ knex }: StoreContext, sql: string, parameters: readonly SelectParameter[], asArrays = false): Promise<unknown[]> {
  // knex hands the options to pg's query config, where rowMode 'array' returns each row as an array.
  const query = knex.raw(sql, [...parameters]);
  const result = (await (asArrays ? query.options({ rowMode: 'array' }) : query)) as { rows: unknown[] };
  return result.rows;
}

function selectSqlite(
  { knex }: StoreContext,
  cache: WeakMap<Database, PreparedStatements>,
  asArrays: boolean,
  sql: string,
  parameters: readonly SelectParameter[],
): Promise<unknown[]> {
  return withSqliteStatements(
    knex,
    cache,
    (database) => ({ database, asArrays, bySql: new Map() }),
    (prepared) => preparedStatement(prepared, sql).all(...parameters),
  );
}

function preparedStatement(prepared: PreparedStatements, sql: string): Statement {
  const cached = prepared.bySql.get(sql);
  if (cached) return cached;

  if (prepared.bySql.size >= MAX_PREPARED_STATEMENTS) {
    const oldest = prepared.bySql.keys().next().value as string;
    prepared.bySql.delete(oldest);
  }
  const statement = prepared.database.prepare(sql);
  if (prepared.asArrays) statement.raw(true);
  prepared.bySql.set(sql, statement);
  return statement;
}
