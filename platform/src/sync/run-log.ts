import { hostname } from 'node:os';

import { isLumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { RetryNotice } from '../runtime/index.js';
import type { NewSyncRunLogEntry, SyncRunLogRepository, UpsertPageResult } from '../store/index.js';

/** Record errors logged per run execution at most, so one bad field on every record does not flood the log. */
export const MAX_LOGGED_RECORD_ERRORS = 20;

/** Identifies this process in `started` entries, so a takeover shows which worker resumed a run. */
const WORKER = `${hostname()}:${process.pid}`;

/**
 * The log of one execution of a sync run, written to `sync_run_logs`. Entries are kept in
 * memory until `flush`, which the engine calls with each progress write, so a page costs
 * no extra write of its own. The `started` entry is written at once.
 *
 * NOTE: entries not yet flushed when a process is killed are lost, at most those of the
 * last progress interval. The run's checkpoint and counts are not affected.
 */
export class RunLog {
  readonly #repository: SyncRunLogRepository;
  readonly #runId: string;
  readonly #attempt: number;
  readonly #logger: Logger;
  #pending: NewSyncRunLogEntry[] = [];
  #recordErrors = 0;

  constructor(repository: SyncRunLogRepository, runId: string, attempt: number, logger: Logger) {
    this.#repository = repository;
    this.#runId = runId;
    this.#attempt = attempt;
    this.#logger = logger;
  }

  async started(resuming: boolean): Promise<void> {
    this.#add({ kind: 'started', message: resuming ? 'run resumed from its checkpoint' : 'run started', details: { resuming, worker: WORKER } });
    await this.flush();
  }

  page(page: { number: number; records: number; result: UpsertPageResult; durationMs: number; requestId?: string; phase: string }): void {
    this.#add({
      kind: 'page',
      page: page.number,
      records: page.records,
      ...page.result,
      durationMs: page.durationMs,
      ...(page.requestId === undefined ? {} : { requestId: page.requestId }),
      details: { phase: page.phase },
    });
  }

  retry(connectorName: string, object: string, notice: RetryNotice): void {
    const cause = notice.status !== undefined ? `HTTP ${notice.status}` : (notice.errorCode ?? 'an error');
    const wait = notice.waitMs === undefined ? '' : ` in ${notice.waitMs} ms`;
    this.#add({
      kind: 'retry',
      code: notice.status !== undefined ? `HTTP_${notice.status}` : (notice.errorCode ?? 'PROVIDER_REQUEST_FAILED'),
      message: `${connectorName} request "${object}.${notice.operation}" failed on attempt ${notice.attempt} with ${cause}; it is sent again${wait}.`,
      ...(notice.requestId === undefined ? {} : { requestId: notice.requestId }),
      details: { operation: notice.operation, attempt: notice.attempt, ...(notice.status === undefined ? {} : { status: notice.status }), ...(notice.waitMs === undefined ? {} : { waitMs: notice.waitMs }) },
    });
  }

  /** Logs a mapping error of one record. Returns false, logging nothing, once MAX_LOGGED_RECORD_ERRORS were logged. */
  recordError(externalId: string, error: { target: string; code: string; message: string }): boolean {
    this.#recordErrors += 1;
    if (this.#recordErrors > MAX_LOGGED_RECORD_ERRORS) return false;

    this.#add({ kind: 'record_error', code: error.code, message: error.message, details: { externalId, target: error.target } });
    return true;
  }

  interrupted(reason: unknown): void {
    const reasonText = reason instanceof Error ? reason.message : String(reason);
    this.#add({ kind: 'interrupted', message: 'run interrupted; it resumes from its checkpoint', details: { reason: reasonText } });
  }

  failed(error: unknown): void {
    const code = isLumioError(error) ? error.code : 'SYNC_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    const requestId = readRequestId(error);
    this.#add({ kind: 'failed', code, message, ...(requestId === undefined ? {} : { requestId }) });
  }

  succeeded(summary: Record<string, number>, durationMs: number): void {
    this.#add({ kind: 'succeeded', message: 'run succeeded', durationMs, details: { ...summary, recordErrors: this.#recordErrors } });
  }

  /** Writes the entries kept so far. A failed write is logged and its entries dropped, so the log never stops a run. */
  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;

    const entries = this.#pending;
    this.#pending = [];
    try {
      await this.#repository.append(this.#runId, entries);
    } catch (error) {
      this.#logger.warn({ err: error, runId: this.#runId, entries: entries.length }, 'writing sync run log entries failed; they are dropped');
    }
  }

  #add(entry: Omit<NewSyncRunLogEntry, 'createdAt' | 'attempt'>): void {
    this.#pending.push({ ...entry, createdAt: Date.now(), attempt: this.#attempt });
  }
}

/** Reads the provider request id a `LumioError` carries in its details, if any. */
function readRequestId(error: unknown): string | undefined {
  if (!isLumioError(error)) return undefined;
  const details = error.details as Record<string, unknown>;
  const value = details.requestId ?? details.lastRequestId ?? details.correlationId;
  return typeof value === 'string' ? value : undefined;
}
