import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { silentLogger } from '../../platform/src/observability/index.js';
import { openStore, type OpenStoreOptions, type Store } from '../../platform/src/store/index.js';

// Runs store-backed test suites on SQLite and, when LUMIO_TEST_DATABASE_URL names a
// PostgreSQL server, on PostgreSQL too. Each suite gets its own empty database.

export type DatabaseKind = 'sqlite' | 'postgres';

/** Admin URL of the PostgreSQL server used for tests, e.g. postgres://postgres@127.0.0.1:5432/postgres. */
export const POSTGRES_ADMIN_URL = process.env.LUMIO_TEST_DATABASE_URL || undefined;

/** A database created for tests, and how to remove it. */
export interface TemporaryDatabase {
  kind: DatabaseKind;
  /** Options for `openStore`; `dataDir` is a fresh temporary folder in both cases. */
  options: OpenStoreOptions;
  /** Drops the PostgreSQL database (closing other sessions on it) and deletes the data folder. */
  dispose(): Promise<void>;
}

export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** Options that open a store on this suite's database. Call only inside hooks and tests. */
  storeOptions(): OpenStoreOptions;
  /** Opens a store on this suite's database; every store opened here is closed after the suite. */
  openStore(): Promise<Store>;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function runAdminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database: a SQLite file in a temporary folder, or a PostgreSQL
 * database named `lumio_test_<random>` on the server of LUMIO_TEST_DATABASE_URL.
 */
export async function createTemporaryDatabase(kind: DatabaseKind): Promise<TemporaryDatabase> {
  const adminUrl = POSTGRES_ADMIN_URL;
  if (kind === 'postgres' && !adminUrl) {
    throw new Error('LUMIO_TEST_DATABASE_URL is not set, so no PostgreSQL test database can be created.');
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'lumio-store-test-'));
  if (kind === 'sqlite' || !adminUrl) {
    return {
      kind,
      options: { dataDir, logger: silentLogger },
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }

  const name = `lumio_test_${randomBytes(6).toString('hex')}`;
  try {
    await runAdminQuery(adminUrl, `CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  return {
    kind,
    options: { databaseUrl: databaseUrl.toString(), dataDir, logger: silentLogger },
    async dispose() {
      // FORCE (PostgreSQL 13+) ends sessions a failed test left open.
      await runAdminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function defineDatabaseSuite(kind: DatabaseKind, suite: (database: TestDatabase) => void): void {
  let temporary: TemporaryDatabase | undefined;
  const stores: Store[] = [];

  beforeAll(async () => {
    temporary = await createTemporaryDatabase(kind);
  });

  afterAll(async () => {
    for (const store of stores) {
      await store.close();
    }
    await temporary?.dispose();
  });

  const database: TestDatabase = {
    kind,
    storeOptions() {
      if (!temporary) {
        throw new Error('The test database exists only inside hooks and tests; call storeOptions() there.');
      }
      return temporary.options;
    },
    async openStore() {
      const store = await openStore(database.storeOptions());
      stores.push(store);
      return store;
    },
  };
  suite(database);
}

/**
 * Defines the suite twice, as `describe('sqlite')` and `describe('postgres')`. The
 * PostgreSQL copy is skipped, under a name that says why, when LUMIO_TEST_DATABASE_URL is unset.
 */
export function forEachDatabase(suite: (database: TestDatabase) => void): void {
  describe('sqlite', () => defineDatabaseSuite('sqlite', suite));

  const postgresName = POSTGRES_ADMIN_URL ? 'postgres' : 'postgres (skipped: set LUMIO_TEST_DATABASE_URL to run)';
  describe.skipIf(!POSTGRES_ADMIN_URL)(postgresName, () => defineDatabaseSuite('postgres', suite));
}
