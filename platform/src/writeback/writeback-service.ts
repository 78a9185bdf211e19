import type { ConnectionService } from '../connections/index.js';
import { LumioError } from '../errors/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import type { Connection, RecordWrite, RecordWritePage, RecordWriteStatus, Store } from '../store/index.js';
import { acceptWrites, queueBatchJob, type AcceptedBatch } from './accept-writes.js';
import type { WriteRequest } from './parse-write-request.js';
import { processWriteBatch, WRITEBACK_JOB_NAME, type WritebackJobPayload } from './process-write-batch.js';
import { readWritebackSettings, saveWritebackSettings, type EffectiveWritebackSettings } from './writeback-settings.js';

export interface WritebackServiceOptions {
  store: Store;
  connections: ConnectionService;
  /** The queue that carries write-back jobs. Its owner closes it. */
  jobs: JobQueue;
  logger: Logger;
  /** Write-back jobs this process runs at once; batches of one connection's object still run one at a time. Default 4. */
  concurrency?: number;
}

export interface ListWritesOptions {
  status?: RecordWriteStatus;
  cursor?: string | null;
  /** 1 to 1000. */
  limit: number;
}

/** Batches with pending writes re-enqueued at start, at most. */
const RESUME_LIMIT = 1_000;

/**
 * Write-back of canonical records to providers: accepts writes from the API, runs the
 * jobs that send them, and reports their outcomes.
 */
export class WritebackService {
  readonly #options: WritebackServiceOptions;

  constructor(options: WritebackServiceOptions) {
    this.#options = options;
  }

  /** Validates and stores the writes of a request and enqueues their job. */
  accept(workspaceId: string, request: WriteRequest): Promise<AcceptedBatch> {
    return acceptWrites(this.#options, workspaceId, request);
  }

  /** Returns a write of the workspace; raises WRITE_NOT_FOUND (404) otherwise. */
  async getWrite(workspaceId: string, id: string): Promise<RecordWrite> {
    const write = await this.#options.store.recordWrites.get(id);
    if (!write || write.workspaceId !== workspaceId) {
      throw new LumioError('WRITE_NOT_FOUND', `This workspace has no write ${id}; use the id that POST /v1/records returned.`, { status: 404, fault: 'caller' });
    }
    return write;
  }

  /** Lists the writes of a batch in request order, with the batch's counts per status. */
  async listBatch(workspaceId: string, batchId: string, options: ListWritesOptions): Promise<RecordWritePage & { counts: Record<RecordWriteStatus, number> }> {
    const { store } = this.#options;
    const page = await store.recordWrites.listByBatch({ workspaceId, batchId, ...options });
    // A page filtered by status or past a cursor may be empty, so an empty page looks the batch
    // up in this workspace again. Otherwise another workspace's batch id would return its counts.
    const found = page.items.length > 0 || (await store.recordWrites.listByBatch({ workspaceId, batchId, limit: 1 })).items.length > 0;
    if (!found) {
      throw new LumioError('WRITE_BATCH_NOT_FOUND', `This workspace has no write batch ${batchId}; use the batchId that POST /v1/records returned.`, { status: 404, fault: 'caller' });
    }
    return { ...page, counts: await store.recordWrites.countByStatus(batchId) };
  }

  getSettings(connection: Connection): Promise<EffectiveWritebackSettings> {
    return readWritebackSettings(this.#options.store, connection);
  }

  saveSettings(connection: Connection, body: Record<string, unknown>): Promise<EffectiveWritebackSettings> {
    return saveWritebackSettings(this.#options.store, connection, body);
  }

  /**
   * Starts the worker of write-back jobs in this process, then enqueues the jobs of batches
   * that still have pending writes, such as a batch whose job a crash kept from being queued.
   */
  async start(): Promise<void> {
    const { jobs, logger } = this.#options;
    await jobs.process<WritebackJobPayload>(WRITEBACK_JOB_NAME, (job) => processWriteBatch(this.#options, job), { concurrency: this.#options.concurrency ?? 4 });
    const resumed = await this.resumePending();
    logger.info({ jobName: WRITEBACK_JOB_NAME, resumed }, 'write-back worker started');
  }

  /**
   * Enqueues the job of every batch with pending writes, leaving jobs already queued as they
   * are. A batch whose job cannot be queued is logged and tried again at the next start.
   * Returns the number of batches queued.
   */
  async resumePending(): Promise<number> {
    const { store, jobs, logger } = this.#options;
    const batches = await store.recordWrites.listPendingBatches(RESUME_LIMIT);
    let queued = 0;
    for (const batch of batches) {
      try {
        await queueBatchJob(jobs, batch.batchId, batch.connectionId, batch.sourceObject);
        queued += 1;
      } catch (error) {
        logger.error({ err: error, batchId: batch.batchId, connectionId: batch.connectionId }, 'could not queue the job of a pending write-back batch; the next start tries again');
      }
    }
    return queued;
  }
}
