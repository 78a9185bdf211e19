import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

import type { Knex } from 'knex';

import type { Logger } from '../observability/index.js';

/**
 * Time between two background checkpoints while the WAL grows, in milliseconds. A short
 * pass copies few pages, so it often ends before the next commit, and the next writer then
 * starts the WAL over from its beginning. With a second between passes, a busy writer
 * usually commits during each long pass, so the WAL grew until the TRUNCATE checkpoint
 * below. That checkpoint held up every writer for about 100 ms while 20,000 webhook
 * deliveries were stored as fast as one process could on a 2-core machine.
 */
const BUSY_INTERVAL_MS = 50;
/** Time between two background checkpoints while the WAL does not change, in milliseconds. */
const IDLE_INTERVAL_MS = 1_000;
/**
 * WAL size in pages (4 KiB each, so about 40 MiB) past which the background thread runs a
 * TRUNCATE checkpoint, which waits for writers, so a WAL that passive checkpoints cannot
 * reset under constant writes stops growing.
 */
const TRUNCATE_AFTER_PAGES = 10_000;
/**
 * How long a TRUNCATE checkpoint waits for the writer and the readers, in milliseconds. It
 * holds the write lock while it waits for readers, and the store's connection waits for
 * that lock on the event loop, so a long wait would stall every request. A checkpoint that
 * gives up is tried again at the next pass. SQLite runs passive checkpoints without the
 * busy handler, so this timeout does not apply to them.
 */
const TRUNCATE_BUSY_TIMEOUT_MS = 100;
/** Pages SQLite's own automatic checkpoint waits for when the background thread is gone (SQLite's default). */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

// Runs in a worker thread as CommonJS, with its own connection to the database file. A
// checkpoint copies WAL pages into the database file and syncs it to disk, which is the
// slow part of a commit when SQLite runs it inside the committing connection.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);

const db = new Database(workerData.filename);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);

let timer = null;
let lastLog = -1;
const checkpoint = () => {
  let delay = workerData.idleIntervalMs;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result && result.log > workerData.truncateAfterPages) db.pragma('wal_checkpoint(TRUNCATE)');
    // A WAL that changed since the last pass is being written to, so the next pass comes soon.
    if (result && result.log !== lastLog) delay = workerData.busyIntervalMs;
    lastLog = result ? result.log : -1;
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
  timer = setTimeout(checkpoint, delay);
};
timer = setTimeout(checkpoint, workerData.idleIntervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage({ type: 'stopped' });
});
`;

export interface SqliteCheckpointer {
  stop(): Promise<void>;
}

/**
 * Runs SQLite's WAL checkpoints in a worker thread, so commits on the main thread only
 * append to the WAL. The store's connection turns its automatic checkpoints off while
 * this runs. When the thread fails, the store's connection gets them back, so the WAL
 * never grows without a checkpointer.
 */
export function startSqliteCheckpointer(filename: string, knex: Knex, logger: Logger): SqliteCheckpointer {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { filename, driverPath, busyIntervalMs: BUSY_INTERVAL_MS, idleIntervalMs: IDLE_INTERVAL_MS, truncateAfterPages: TRUNCATE_AFTER_PAGES, busyTimeoutMs: TRUNCATE_BUSY_TIMEOUT_MS },
  });
  worker.unref();

  let stopping = false;
  const restoreAutomaticCheckpoints = (reason: string, error?: unknown) => {
    if (stopping) return;
    stopping = true;
    logger.error({ err: error, filename, reason }, 'SQLite background checkpoints stopped; the store checkpoints in its own connection again');
    knex.raw(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`).catch((restoreError: unknown) => {
      logger.error({ err: restoreError, filename }, 'turning SQLite automatic checkpoints back on failed');
    });
  };

  worker.on('message', (message: { type: string; message?: string }) => {
    if (message.type === 'error') logger.warn({ filename, error: message.message }, 'SQLite background checkpoint failed');
  });
  worker.on('error', (error) => restoreAutomaticCheckpoints('the checkpoint thread failed', error));
  worker.on('exit', (code) => restoreAutomaticCheckpoints(`the checkpoint thread exited with code ${code}`));

  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      worker.on('message', (message: { type: string }) => {
        if (message.type === 'stopped') void worker.terminate();
      });
      await stopped;
    },
  };
}
