import type { ConnectionService } from '../connections/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import type { SandboxHost } from '../sandbox/index.js';
import { createDatabaseLock, type DistributedLock } from '../services/locks/index.js';
import { ACTIVE_SYNC_RUN_STATUSES, type Connection, type Store, type SyncRun } from '../store/index.js';
import type { SyncEngine } from './sync-engine.js';
import { enqueueRunJob } from './sync-jobs.js';
import { previewSync, type SyncPreview, type SyncPreviewRequest } from './sync-preview.js';
import type { SyncMode } from './sync-state.js';

export interface StartSyncRequest {
  workspaceId: string;
  connection: Connection;
  /** Manifest object key, such as `contacts`. */
  object: string;
  mode: SyncMode;
  /** Origin of the run: `manual` for the API, `schedule` for a schedule slot. */
  trigger: 'manual' | 'schedule' | 'demo';
}

export interface SyncServiceOptions {
  store: Store;
  connections: ConnectionService;
  jobs: JobQueue;
  engine: SyncEngine;
  logger: Logger;
  /** Runs connector plugins for previews of connectors that have one. */
  sandbox?: SandboxHost;
}

/** Time a start holds the lock of its connection and object, in milliseconds; starts are short. */
const START_LOCK_TTL_MS = 10_000;
/** Time a start waits for another start of the same connection and object, in milliseconds. */
const START_LOCK_WAIT_MS = 15_000;
/** How often `whenIdle` reads the status of the runs it waits for, in milliseconds. */
const IDLE_POLL_MS = 50;

/**
 * Starts sync runs on the job queue and previews them. Any process may start runs; the
 * workers of every process that shares the database and queue execute them.
 */
export class SyncService {
  readonly #options: SyncServiceOptions;
  readonly #startLock: DistributedLock;
  /** Runs this process started and has not yet seen end, for `whenIdle`. */
  readonly #started = new Set<string>();

  constructor(options: SyncServiceOptions) {
    this.#options = options;
    // The lock lives in the database that holds the runs, so it covers every process that can start one.
    this.#startLock = createDatabaseLock({ locks: options.store.locks, logger: options.logger });
  }

  /**
   * Creates a `queued` run and enqueues its job, and returns the run. When a run of the same
   * connection and object is queued or running, in any process, returns that one with
   * `alreadyRunning: true` instead. Raises OBJECT_NOT_FOUND (400) for an unknown object.
   */
  async start(request: StartSyncRequest): Promise<{ run: SyncRun; alreadyRunning: boolean }> {
    const { store, jobs, engine, logger } = this.#options;
    const { connection, object, mode } = request;
    await engine.checkObject(connection, object);

    // The check and the insert run under one lock, so two starts that race cannot both create a run.
    const key = `sync-start:${connection.id}:${object}`;
    const { run, alreadyRunning } = await this.#startLock.withLock(key, { ttlMs: START_LOCK_TTL_MS, waitMs: START_LOCK_WAIT_MS }, async () => {
      const active = await store.syncRuns.findActive(connection.id, object);
      if (active) return { run: active, alreadyRunning: true };

      const created = await store.syncRuns.create({ workspaceId: request.workspaceId, connectionId: connection.id, object, mode, trigger: request.trigger });
      return { run: created, alreadyRunning: false };
    });
    if (alreadyRunning) return { run, alreadyRunning };

    try {
      await enqueueRunJob(jobs, run);
    } catch (error) {
      // A run without a job would block its connection and object until a worker's
      // recovery pass enqueued it, so it is failed at once and the caller may try again.
      await store.syncRuns.update(run.id, { status: 'failed', finishedAt: new Date().toISOString(), errorCode: 'SYNC_ENQUEUE_FAILED', errorMessage: 'The job queue did not accept the run.' }, { onlyIfStatus: ACTIVE_SYNC_RUN_STATUSES });
      logger.error({ err: error, runId: run.id, connectionId: connection.id, object }, 'enqueueing a sync run failed; the run is marked failed');
      throw error;
    }

    this.#started.add(run.id);
    logger.info({ runId: run.id, connectionId: connection.id, object, mode, trigger: request.trigger }, 'sync run queued');
    return { run, alreadyRunning: false };
  }

  /** Reads and maps the first page a sync would read, and writes nothing (see `previewSync`). */
  preview(request: SyncPreviewRequest): Promise<SyncPreview> {
    const { store, connections, sandbox } = this.#options;
    return previewSync({ store, connections, ...(sandbox ? { sandbox } : {}) }, request);
  }

  /** Resolves once every run this process started has ended, in whichever process executed it (tests and benchmarks). */
  async whenIdle(): Promise<void> {
    const { store } = this.#options;
    while (this.#started.size > 0) {
      for (const runId of [...this.#started]) {
        const run = await store.syncRuns.get(runId);
        if (!run || !ACTIVE_SYNC_RUN_STATUSES.includes(run.status)) this.#started.delete(runId);
      }
      if (this.#started.size > 0) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }
}

