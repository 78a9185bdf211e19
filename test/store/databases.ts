import { afterAll, beforeAll, describe } from 'vitest';
import { openStore, type OpenStoreOptions, type Store } from '../../platform/src/store/index.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL, type DatabaseKind, type TemporaryDatabase } from './temporary-database.js';

export { createTemporaryDatabase, POSTGRES_ADMIN_URL };
export type { DatabaseKind, TemporaryDatabase };

// Runs store-backed test suites on SQLite and, when LUMIO_TEST_DATABASE_URL names a
// PostgreSQL server, on PostgreSQL too. Each suite gets its own empty database.

export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** Options that open a store on this suite's database. Call only inside hooks and tests. */
  storeOptions(): OpenStoreOptions;
  /** Opens a store on this suite's database; every store opened here is closed after the suite. */
  openStore(): Promise<Store>;
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
