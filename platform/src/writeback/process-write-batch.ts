import type { ConnectionService } from '../connections/index.js';
import { isLumioError, LumioError } from '../errors/index.js';
import { NonRetryableJobError, type JobContext } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import { createRetryBudget } from '../services/retry/index.js';
import type { RecordWrite, RecordWriteStatus, Store } from '../store/index.js';
import { BatchWriter } from './batch-writer.js';
import { loadWriteTarget } from './write-target.js';

/** Name of the job that sends one batch of writes. */
export const WRITEBACK_JOB_NAME = 'writeback';

export interface WritebackJobPayload {
  /** `wrb_…` id of the batch whose pending writes the job sends. */
  batchId: string;
}

/** The job's result: the batch's writes per status once the attempt ended. */
export interface WriteBatchSummary {
  batchId: string;
  counts: Record<RecordWriteStatus, number>;
}

export interface WriteBatchDependencies {
  store: Store;
  connections: ConnectionService;
  logger: Logger;
}

/** Provider retries one job attempt may spend across all its requests. */
const ATTEMPT_RETRY_BUDGET = 20;

/**
 * Runs one attempt of a write-back job. Problems that no retry fixes (connection gone or
 * disconnected, mapping missing) fail the batch's pending writes. Other failures raise,
 * so the queue retries the job, and on its last attempt the pending writes fail with the
 * error instead of staying pending.
 */
export async function processWriteBatch(deps: WriteBatchDependencies, job: JobContext<WritebackJobPayload>): Promise<WriteBatchSummary> {
  const batchId = job.payload?.batchId;
  if (typeof batchId !== 'string' || batchId === '') {
    throw new NonRetryableJobError('WRITEBACK_JOB_INVALID', `Job ${job.id} has no batchId in its payload; write-back jobs are created by POST /v1/records.`);
  }
  const { store } = deps;
  const log = deps.logger.child({ batchId, jobId: job.id, attempt: job.attempt });

  const pending = await store.recordWrites.listPending(batchId);
  if (pending.length > 0) {
    log.info({ pending: pending.length, connectionId: pending[0]?.connectionId }, 'write-back batch started');
    try {
      await writePending(deps, pending, job.signal, log);
    } catch (error) {
      if (job.attempt < job.maxAttempts) throw error;

      const failed = await store.recordWrites.failPending(batchId, {
        code: 'WRITEBACK_GAVE_UP',
        message: `Write-back stopped after ${job.attempt} attempts; the last one failed with: ${error instanceof Error ? error.message : String(error)}`,
        details: { code: isLumioError(error) ? error.code : 'WRITE_FAILED' },
      });
      log.error({ err: error, failed }, 'write-back gave up on a batch; its pending writes failed');
    }
  }

  const counts = await store.recordWrites.countByStatus(batchId);
  log.info({ counts }, 'write-back batch finished');
  return { batchId, counts };
}

async function writePending(deps: WriteBatchDependencies, pending: RecordWrite[], signal: AbortSignal, log: Logger): Promise<void> {
  const { store, connections } = deps;
  const first = pending[0] as RecordWrite;

  let writer: BatchWriter;
  try {
    const connection = await store.connections.get(first.connectionId);
    if (!connection) throw new LumioError('CONNECTION_NOT_FOUND', `Connection ${first.connectionId} no longer exists.`, { status: 404, fault: 'caller' });
    const target = await loadWriteTarget(deps, connection, first.sourceObject);
    const opened = await connections.open(connection);
    // Write-back runs for API clients, so its requests go before bulk sync pages in the rate limiter.
    const context = { ...opened.context, priority: 'interactive' as const, retryBudget: createRetryBudget(ATTEMPT_RETRY_BUDGET) };
    writer = new BatchWriter(store, target, context, signal, log);
  } catch (error) {
    if (!isLumioError(error) || error.fault === 'platform') throw error;
    const failed = await store.recordWrites.failPending(first.batchId, { code: error.code, message: error.message });
    log.warn({ code: error.code, failed }, 'write-back batch cannot be sent; its pending writes failed');
    return;
  }

  await writer.write(pending);
}
