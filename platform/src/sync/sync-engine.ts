import type { ConnectionService } from '../connections/index.js';
import type { LoadedConnector } from '../connectors/index.js';
import { LumioError, isLumioError } from '../errors/index.js';
import { recordSyncCompleted, recordSyncFailed, recordSyncStarted } from '../events/index.js';
import type { Logger } from '../observability/index.js';
import { estimateTotal, type ConnectorContext, type StreamState } from '../runtime/index.js';
import { readObjectPages, type SandboxHost } from '../sandbox/index.js';
import { ACTIVE_SYNC_RUN_STATUSES, type Connection, type Store, type SyncRun } from '../store/index.js';
import { prefetch } from './prefetch.js';
import { createRetryBudget } from '../services/retry/index.js';
import { loadMapping, mapPage, requireObject, type ObjectMapping } from './map-records.js';
import type { RunLog } from './run-log.js';
import { RunTracker } from './run-tracker.js';
import { noopSyncMetrics, type SyncMetrics } from './sync-metrics.js';
import { parseSavedState, type SavedSyncState } from './sync-state.js';

export interface SyncEngineOptions {
  store: Store;
  connections: ConnectionService;
  logger: Logger;
  /** Runs connector plugins; without it, syncs of connectors that have one fail. */
  sandbox?: SandboxHost;
  /** Receives record counts and run outcomes; without it nothing is recorded. */
  metrics?: SyncMetrics;
}

export interface ExecuteRunOptions {
  /** Aborting stops the run after the page in flight; its status and checkpoint stay, so a later execution resumes it. */
  signal: AbortSignal;
  /** The run's log for this execution. */
  log: RunLog;
}

/** Values `readPages` takes from the set-up of `execute`. */
interface ReadPagesInput {
  connection: Connection;
  connector: LoadedConnector;
  context: ConnectorContext;
  mapping: ObjectMapping;
  saved: SavedSyncState;
  resuming: boolean;
  tracker: RunTracker;
  log: Logger;
}

/** Outcome of one execution: the run finished, or it was stopped and keeps its checkpoint. */
export type RunOutcome = 'succeeded' | 'paused';

/** Records marked deleted per write when a full run finds them missing. */
const MISSING_BATCH_SIZE = 500;

/** Retries one run may spend across all its requests before it fails, so a sick provider cannot keep a run alive forever. */
const RUN_RETRY_BUDGET = 50;

/**
 * Executes sync runs: pages are read, mapped and stored with a checkpoint after each, and a
 * run whose checkpoint belongs to it continues from there. Which process executes a run,
 * and when, is the job queue's decision (see `SyncWorker`).
 */
export class SyncEngine {
  readonly #options: SyncEngineOptions;
  readonly #metrics: SyncMetrics;

  constructor(options: SyncEngineOptions) {
    this.#options = options;
    this.#metrics = options.metrics ?? noopSyncMetrics;
  }

  /** Raises OBJECT_NOT_FOUND (400) unless the connection can be opened and its connector has `object`. */
  async checkObject(connection: Connection, object: string): Promise<void> {
    const { connector } = await this.#options.connections.open(connection);
    requireObject(connector.manifest, object);
  }

  /**
   * Executes a queued or running run until it succeeds or `signal` aborts. Raises the
   * error that stopped it otherwise; the caller records the failure with `fail`.
   */
  async execute(run: SyncRun, options: ExecuteRunOptions): Promise<RunOutcome> {
    const { store, logger } = this.#options;
    const { log: runLog } = options;
    const log = logger.child({ runId: run.id, connectionId: run.connectionId, object: run.object, mode: run.mode });

    const connection = await store.connections.get(run.connectionId);
    if (!connection) throw new LumioError('CONNECTION_NOT_FOUND', `Connection ${run.connectionId} no longer exists.`, { status: 404, fault: 'caller' });
    const opened = await this.#options.connections.open(connection);
    const manifest = opened.connector.manifest;
    requireObject(manifest, run.object);
    // Sync pages yield to interactive calls in the rate limiter, and the run's retries share
    // one budget. Every retried request is written to the run's log.
    const context = {
      ...opened.context,
      priority: 'bulk' as const,
      retryBudget: createRetryBudget(RUN_RETRY_BUDGET),
      onRetry: (notice: Parameters<RunLog['retry']>[2]) => runLog.retry(manifest.name, run.object, notice),
    };

    const mapping = await loadMapping(store, connection, run.object);
    const saved = parseSavedState((await store.syncState.get(connection.id, run.object))?.state);
    // A run whose process stopped after it saved its end state only has its outcome left to record.
    const readingDone = saved.completedRunId === run.id;
    const resuming = readingDone || saved.inProgress?.runId === run.id;

    const tracker = new RunTracker(run, resuming, Date.parse(run.startedAt ?? new Date().toISOString()));
    if (tracker.total === null && run.mode === 'full') {
      tracker.setEstimate((await estimateTotal(context, run.object).catch(() => undefined)) ?? null);
    }
    await store.syncRuns.update(run.id, { status: 'running', startedAt: new Date(tracker.startedAtMs).toISOString(), progressTotal: tracker.total, totalIsEstimate: tracker.totalIsEstimate });
    log.info({ resuming, total: tracker.total }, 'sync run started');
    await runLog.started(resuming);
    if (!resuming) await recordSyncStarted(store, logger, run);

    if (!readingDone) {
      const read = { connection, connector: opened.connector, context, mapping, saved, resuming, tracker, log };
      const outcome = await this.readPages(run, read, options);
      if (outcome === 'paused') return 'paused';
    }

    await this.finish(run, connection, manifest.id, tracker, runLog, log);
    return 'succeeded';
  }

  /**
   * Reads, maps and stores every page of the run from its start state, then marks missing
   * records of a full run and saves the end state. Returns 'paused' when `signal` aborted.
   */
  private async readPages(run: SyncRun, read: ReadPagesInput, options: ExecuteRunOptions): Promise<RunOutcome> {
    const { store } = this.#options;
    const { connection, connector, context, mapping, saved, resuming, tracker, log } = read;
    const { signal, log: runLog } = options;
    const manifest = connector.manifest;

    // A resumed run continues its own checkpoint; a new incremental run starts where the last
    // finished run ended; a new full run starts from nothing.
    let startState: StreamState | null = null;
    if (resuming) startState = saved.inProgress?.stream ?? null;
    else if (run.mode === 'incremental') startState = saved.completed ?? null;

    let lastState: StreamState | null = startState;
    // NOTE: ids seen are kept in memory, so a full run resumed after a restart cannot tell
    // which records went missing and skips that step. The next complete full run catches them.
    const seen = run.mode === 'full' && !resuming ? new Set<string>() : null;
    let pageStartedMs = performance.now();
    try {
      // The next page is fetched while this one is mapped and stored; its checkpoint is still
      // saved only after its own records are stored.
      const pages = readObjectPages({
        sandbox: this.#options.sandbox,
        connector,
        context,
        stream: { object: run.object, mode: run.mode, state: startState, signal },
      });
      for await (const page of prefetch(pages)) {
        const rows = await mapPage(store, manifest, run.object, mapping, connection, page.records, page.deleted);
        for (const row of rows) {
          for (const error of row.errors) {
            tracker.mappingErrors += 1;
            // The run log caps the errors it keeps, and the process log follows the same cap.
            if (runLog.recordError(row.externalId, error)) log.warn({ externalId: row.externalId, target: error.target, code: error.code }, error.message);
          }
        }

        // The page's records and the checkpoint after it commit in one transaction, so a
        // crash can never keep one without the other.
        const result = await store.records.upsertPage({
          workspaceId: connection.workspaceId,
          connectionId: connection.id,
          object: mapping.canonicalObject,
          sourceObject: run.object,
          rows: rows.map(({ errors: _errors, ...row }) => row),
          checkpoint: { object: run.object, state: { ...saved, inProgress: { runId: run.id, mode: run.mode, stream: page.state } } satisfies SavedSyncState },
        });
        lastState = page.state;
        if (result.inserted + result.updated + result.deleted > 0) await dropCachedReads(context, run.object);

        for (const row of rows) seen?.add(row.externalId);
        tracker.recordPage(page.records.length, result, page.phase === 'listDeleted' ? undefined : page.total);
        this.#metrics.pageStored(manifest.id, page.records.length, rows.filter((row) => row.errors.length > 0).length);
        const finishedMs = performance.now();
        runLog.page({ number: tracker.pages, records: page.records.length, result, durationMs: finishedMs - pageStartedMs, requestId: page.requestId, phase: page.phase });
        pageStartedMs = finishedMs;

        const patch = tracker.duePatch(Date.now());
        if (patch) {
          await store.syncRuns.update(run.id, patch);
          await runLog.flush();
        }
        log.debug({ page: tracker.pages, records: page.records.length, requestId: page.requestId, ...result }, 'page stored');
      }
    } finally {
      // Counts since the last progress write are kept whether the run ends, fails or pauses.
      await store.syncRuns.update(run.id, tracker.patch(Date.now()));
      await runLog.flush();
    }

    if (signal.aborted) {
      log.info({ pages: tracker.pages }, 'sync run paused; it resumes from its checkpoint');
      return 'paused';
    }

    if (seen) await this.markMissing(connection, context, run, mapping.canonicalObject, seen, tracker, log);
    await store.syncState.save(connection.id, run.object, { completed: lastState ?? undefined, completedRunId: run.id } satisfies SavedSyncState);
    return 'succeeded';
  }

  /**
   * Records a run whose pages are all stored as succeeded. The status changes last, so a
   * client that sees `succeeded` also finds the run's log, the connection's last sync and
   * the metrics updated.
   */
  private async finish(run: SyncRun, connection: Connection, connectorId: string, tracker: RunTracker, runLog: RunLog, log: Logger): Promise<void> {
    const { store, logger } = this.#options;
    const durationMs = Date.now() - tracker.startedAtMs;
    const finishedAt = new Date().toISOString();

    runLog.succeeded(tracker.summary(), durationMs);
    await runLog.flush();
    await store.connections.update(connection.id, { lastSyncAt: finishedAt, lastSyncStatus: 'succeeded', health: { status: 'healthy', checkedAt: finishedAt } });
    this.#metrics.runEnded(connectorId, 'succeeded', durationMs / 1000);
    await store.syncRuns.update(run.id, { ...tracker.patch(Date.now()), status: 'succeeded', finishedAt, progressCurrent: tracker.read, progressTotal: tracker.read, totalIsEstimate: false, eta: null });

    log.info({ ...tracker.summary(), mappingErrors: tracker.mappingErrors, durationMs }, 'sync run succeeded');
    await recordSyncCompleted(store, logger, run, tracker.summary(), durationMs);
  }

  /**
   * Marks deleted the stored records of this object that a complete full read did not return:
   * records deleted at the provider without trace, or left from an account the connection
   * no longer points at. Their data is kept.
   */
  private async markMissing(connection: Connection, context: ConnectorContext, run: SyncRun, canonicalObject: string, seen: Set<string>, tracker: RunTracker, log: Logger): Promise<void> {
    const { store } = this.#options;
    const stored = await store.records.listExternalIds(connection.id, canonicalObject, { sourceObject: run.object });
    const missing = stored.filter((externalId) => !seen.has(externalId));
    if (missing.length === 0) return;

    for (let start = 0; start < missing.length; start += MISSING_BATCH_SIZE) {
      const batch = missing.slice(start, start + MISSING_BATCH_SIZE);
      const result = await store.records.upsertPage({
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        object: canonicalObject,
        sourceObject: run.object,
        rows: batch.map((externalId) => ({ externalId, data: null, raw: null, deleted: true })),
      });
      tracker.recordMissing(result);
      if (result.deleted > 0) await dropCachedReads(context, run.object);
    }
    log.info({ missing: missing.length }, 'records the full sync no longer found were marked deleted');
  }

  /**
   * Records a run as failed: its log, the connection's health, the metrics, its status and
   * error, and an event. Does nothing when the run has already ended. As in `finish`, the
   * status changes after the rest.
   */
  async fail(run: SyncRun, error: unknown, runLog?: RunLog): Promise<void> {
    const { store, logger } = this.#options;
    const code = isLumioError(error) ? error.code : 'SYNC_FAILED';
    const message = error instanceof Error ? error.message : String(error);

    const current = await store.syncRuns.get(run.id);
    if (!current || !ACTIVE_SYNC_RUN_STATUSES.includes(current.status)) return;
    logger.error({ runId: run.id, connectionId: run.connectionId, object: run.object, code, err: error }, 'sync run failed');

    const finishedAt = new Date().toISOString();
    runLog?.failed(error);
    await runLog?.flush();
    const connection = await store.connections.update(run.connectionId, { lastSyncAt: finishedAt, lastSyncStatus: 'failed', health: { status: 'degraded', checkedAt: finishedAt, reason: code } }).catch((updateError: unknown) => {
      logger.error({ connectionId: run.connectionId, err: updateError }, 'could not record the failed sync on the connection');
      return null;
    });
    // A run carries no connector id, so it is read from the connection, which may be gone.
    this.#metrics.runEnded(connection?.connectorId ?? 'unknown', 'failed');

    // The compare-and-set keeps a run that ended meanwhile (a recovery pass racing its worker) as it ended.
    const updated = await store.syncRuns.update(run.id, { status: 'failed', finishedAt, errorCode: code, errorMessage: message, eta: null }, { onlyIfStatus: ACTIVE_SYNC_RUN_STATUSES });
    if (updated) await recordSyncFailed(store, logger, run, error);
  }
}

/**
 * Drops the cached provider reads of an object after a page changed its stored records, so
 * a read no longer returns a copy older than the store. The stored records keep serving reads.
 */
async function dropCachedReads(context: ConnectorContext, object: string): Promise<void> {
  if (context.connectionId === undefined) return;
  await context.services?.invalidate?.(context.manifest, context.connectionId, object, { recordStoreCurrent: true });
}
