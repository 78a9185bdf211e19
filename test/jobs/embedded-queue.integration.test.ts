import { describe } from 'vitest';
import { createEmbeddedJobQueue } from '../../platform/src/jobs/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { forEachDatabase } from '../store/databases.js';
import { CONTRACT_SETTINGS, defineQueueContract } from './queue-contract.js';

// The job queue contract on the embedded queue, on SQLite and (with LUMIO_TEST_DATABASE_URL)
// PostgreSQL. Every queue instance opens its own store, so two instances compete through the
// database as two processes would.
forEachDatabase((database) => {
  describe('embedded job queue', () => {
    defineQueueContract({
      async openQueue(overrides) {
        const store = await database.openStore();
        return createEmbeddedJobQueue({ store, logger: silentLogger, ...CONTRACT_SETTINGS, ...overrides });
      },
      backendConfig() {
        const { dataDir, databaseUrl } = database.storeOptions();
        return databaseUrl ? { backend: 'embedded', dataDir, databaseUrl } : { backend: 'embedded', dataDir };
      },
      async breakLock(name, id) {
        const store = await database.openStore();
        const changed = await store.knex('jobs').where({ id, name, status: 'active' }).update({ locked_by: 'another-worker' });
        if (changed !== 1) throw new Error(`Job ${id} was not active, so its lock could not be taken away.`);
      },
    });
  });
});
