import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../platform/src/observability/index.js';
import { openStore, type Store } from '../../platform/src/store/index.js';
import { SQLITE_FILE_NAME } from '../../platform/src/store/knex-config.js';
import { startSqliteCheckpointer } from '../../platform/src/store/sqlite-checkpointer.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './temporary-database.js';

/**
 * Reads the WAL index (the `-shm` file): mxFrame, the last valid frame, at byte 16 of the
 * header, and nBackfill, the frames already copied into the database, at byte 96. Both are
 * in the machine's byte order; SQLite documents the layout in its "WAL-mode file format" page.
 */
async function readWalIndex(databaseFile: string): Promise<{ lastFrame: number; backfilled: number }> {
  const shm = await readFile(`${databaseFile}-shm`);
  const read = (offset: number) => (process.arch === 's390x' ? shm.readUInt32BE(offset) : shm.readUInt32LE(offset));
  return { lastFrame: read(16), backfilled: read(96) };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('SQLite background checkpoints', () => {
  let database: TemporaryDatabase | undefined;
  let store: Store | undefined;

  afterEach(async () => {
    await store?.close();
    await database?.dispose();
  });

  it('turns automatic checkpoints off', async () => {
    database = await createTemporaryDatabase('sqlite');
    store = await openStore(database.options);

    const [row] = (await store.knex.raw('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: number }>;

    expect(row?.wal_autocheckpoint).toBe(0);
  });

  it('copies committed pages into the database', async () => {
    database = await createTemporaryDatabase('sqlite');
    store = await openStore(database.options);
    const workspace = await store.workspaces.create({ name: 'Checkpoints' });
    const rows = Array.from({ length: 3_000 }, (_, index) => ({ id: `lock_${index}`, name: `checkpoint-${index}-${'x'.repeat(400)}` }));

    // About 1,500 pages, so without the thread and with automatic checkpoints off the WAL would keep them all.
    for (let start = 0; start < rows.length; start += 100) {
      await store.knex('workspaces').insert(rows.slice(start, start + 100).map((row) => ({ id: row.id, name: row.name, created_at: new Date().toISOString() })));
    }
    const file = path.join(database.options.dataDir, SQLITE_FILE_NAME);

    const caughtUp = await waitFor(async () => {
      const index = await readWalIndex(file);
      return index.lastFrame === index.backfilled;
    }, 5_000);

    expect(caughtUp).toBe(true);
    expect(await store.workspaces.get(workspace.id)).toMatchObject({ name: 'Checkpoints' });
  });

  it('restores automatic checkpoints when the thread fails', async () => {
    database = await createTemporaryDatabase('sqlite');
    store = await openStore(database.options);
    const opened = store;

    // A file in a folder that does not exist cannot be opened, so the thread fails at once.
    const failing = startSqliteCheckpointer(path.join(database.options.dataDir, 'missing', 'lumio.sqlite'), opened.knex, silentLogger);
    const restored = await waitFor(async () => {
      const [row] = (await opened.knex.raw('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: number }>;
      return row?.wal_autocheckpoint === 1_000;
    }, 5_000);
    await failing.stop();

    expect(restored).toBe(true);
  });
});
