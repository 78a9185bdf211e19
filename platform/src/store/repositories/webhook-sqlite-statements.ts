import type { Database } from 'better-sqlite3';
import type { Knex } from 'knex';

// Runs prepared statements on the better-sqlite3 connection that knex manages, for the
// webhook queue's hot paths: knex builds and prepares each query anew, which costs more
// than the statement itself at thousands of events per second.

/**
 * Acquires knex's SQLite connection, prepares the statements once per connection (kept in
 * `cache`), and calls `run` with them. The connection is released when `run` returns.
 */
export async function withSqliteStatements<Statements, Result>(
  knex: Knex,
  cache: WeakMap<Database, Statements>,
  prepare: (database: Database) => Statements,
  run: (statements: Statements) => Result,
): Promise<Result> {
  const database = (await knex.client.acquireConnection()) as Database;
  try {
    let statements = cache.get(database);
    if (!statements) {
      statements = prepare(database);
      cache.set(database, statements);
    }
    return run(statements);
  } finally {
    await knex.client.releaseConnection(database);
  }
}
