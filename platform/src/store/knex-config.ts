import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../observability/index.js';
import { KNEX_CLIENTS } from './dialect.js';

/** File name of the SQLite database inside the data folder. */
export const SQLITE_FILE_NAME = 'lumio.sqlite';

/** Time in ms a SQLite statement waits for another connection's write lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Size in bytes the WAL file is cut back to after a checkpoint resets it. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Maximum PostgreSQL connections the pool opens. */
const POSTGRES_POOL_MAX = 10;

function knexLog(logger: Logger): Knex.Logger {
  return {
    warn: (message: unknown) => logger.warn({ knex: message }, 'knex warning'),
    error: (message: unknown) => logger.error({ knex: message }, 'knex error'),
    debug: (message: unknown) => logger.debug({ knex: message }, 'knex debug'),
    deprecate: (method: string, alternative: string) => logger.warn({ method, alternative }, 'knex deprecation'),
  };
}

/**
 * Knex settings for the SQLite file in `dataDir`: one connection (SQLite allows one
 * writer at a time) in WAL mode, so readers in other processes do not block the writer.
 * `synchronous = NORMAL` is the usual WAL setting: a power cut can lose the last
 * transactions but cannot corrupt the file.
 */
export function sqliteKnexConfig(dataDir: string, logger: Logger, options: { backgroundCheckpoints?: boolean } = {}): Knex.Config {
  return {
    client: KNEX_CLIENTS.sqlite,
    connection: { filename: path.join(dataDir, SQLITE_FILE_NAME) },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (connection: Database, done: (error: Error | null, connection: Database) => void) => {
        try {
          connection.pragma('journal_mode = WAL');
          connection.pragma('foreign_keys = ON');
          connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
          connection.pragma('synchronous = NORMAL');
          // A 64 MiB page cache (the default is 2 MiB) keeps the records indexes in memory
          // while a sync writes tens of thousands of rows.
          connection.pragma('cache_size = -65536');
          // A thread of its own runs the checkpoints (sqlite-checkpointer.ts), so commits
          // here only append to the WAL. The size limit shrinks the WAL file after a reset.
          if (options.backgroundCheckpoints) {
            connection.pragma('wal_autocheckpoint = 0');
            connection.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
          }
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
    },
    log: knexLog(logger),
  };
}

/**
 * pg type parsers that leave json and jsonb as text, so the repositories parse JSON
 * columns the same way on both databases. pg would otherwise parse them, and a stored
 * JSON string would then be indistinguishable from text that still needs parsing.
 */
const postgresTypes: Knex.PgCustomTypesConfig = {
  getTypeParser: (oid: number, format: string) => {
    if (oid === pg.types.builtins.JSON || oid === pg.types.builtins.JSONB) {
      return (value: string) => value;
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function postgresKnexConfig(databaseUrl: string, logger: Logger): Knex.Config {
  return {
    client: KNEX_CLIENTS.postgres,
    connection: { connectionString: databaseUrl, types: postgresTypes },
    // min 0 lets idle connections close, so a test database can be dropped after the store closes.
    pool: { min: 0, max: POSTGRES_POOL_MAX },
    log: knexLog(logger),
  };
}

/** Describes a PostgreSQL URL by host, port and database name for logs and errors, leaving out the password. */
export function describePostgresUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}
