import { suggestClosest, type ConnectorManifest, type FieldMapping } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../connections/index.js';
import { LumioError, isLumioError } from '../errors/index.js';
import { recordSyncCompleted, recordSyncFailed, recordSyncStarted } from '../events/index.js';
import { applyMapping, compileMapping, type CompiledMapping } from '../mapping/index.js';
import type { Logger } from '../observability/index.js';
import { estimateTotal, getRecordId, type StreamState } from '../runtime/index.js';
import { readObjectPages, type SandboxHost } from '../sandbox/index.js';
import type { Connection, Store, SyncRun } from '../store/index.js';
import { prefetch } from './prefetch.js';
import { createRetryBudget } from '../services/retry/index.js';
import { RunTracker } from './run-tracker.js';
import { noopSyncMetrics, type SyncMetrics } from './sync-metrics.js';
import { readSourceUpdatedAt } from './source-updated-at.js';
import { parseSavedState, type SavedSyncState, type SyncMode } from './sync-state.js';

export interface StartSyncRequest {
  workspaceId: string;
  connection: Connection;
  /** Manifest object key, such as `contacts`. */
  object: string;
  mode: SyncMode;
  trigger: 'manual' | 'demo' | 'resume';
}

export interface SyncEngineOptions {
  store: Store;
  connections: ConnectionService;
  logger: Logger;
  /** Runs connector plugins; without it, syncs of connectors that have one fail. */
  sandbox?: SandboxHost;
  /** Receives record counts and run outcomes; without it nothing is recorded. */
  metrics?: SyncMetrics;
}

/** Records marked deleted per write when a full run finds them missing. */
const MISSING_BATCH_SIZE = 500;

/** Retries one run may spend across all its requests before it fails, so a sick provider cannot keep a run alive forever. */
const RUN_RETRY_BUDGET = 50;

/** Mapping errors logged per run at most, so one bad field on every record does not flood the log. */
const MAX_LOGGED_MAPPING_ERRORS = 20;

/**
 * Runs syncs in this process: one at a time per connection and object, a checkpoint after
 * every stored page, and resumption of runs a stopped process left unfinished.
 */
export class SyncEngine {
  readonly #options: SyncEngineOptions;
  readonly #metrics: SyncMetrics;
  readonly #running = new Map<string, { runId: string; done: Promise<void>; abort: AbortController }>();

  constructor(options: SyncEngineOptions) {
    this.#options = options;
    this.#metrics = options.metrics ?? noopSyncMetrics;
  }

  /**
   * Starts a run in the background and returns it at once. When a run of the same connection
   * and object is already going, returns that one with `alreadyRunning: true`.
   */
  async start(request: StartSyncRequest): Promise<{ run: SyncRun; alreadyRunning: boolean }> {
    const { store } = this.#options;
    const { connection, object, mode } = request;

    const { connector } = await this.#options.connections.open(connection);
    requireObject(connector.manifest, object);

    const key = runKey(connection.id, object);
    const current = this.#running.get(key);
    if (current) {
      const run = await store.syncRuns.get(current.runId);
      if (run) return { run, alreadyRunning: true };
    }

    const run = await store.syncRuns.create({
      workspaceId: request.workspaceId,
      connectionId: connection.id,
      object,
      mode,
      trigger: request.trigger,
    });
    this.launch(run);
    return { run, alreadyRunning: false };
  }

  /** Resumes runs that a stopped process left in `running` or `queued`, from their last checkpoint. */
  async resumeInterrupted(): Promise<number> {
    const { store, logger } = this.#options;
    const runs = await store.syncRuns.listByStatus(['queued', 'running']);
    for (const run of runs) {
      logger.info({ runId: run.id, connectionId: run.connectionId, object: run.object }, 'resuming an interrupted sync run');
      this.launch(run);
    }
    return runs.length;
  }

  /** Returns the id of the run in progress for a connection and object in this process, if any. */
  runningRunId(connectionId: string, object: string): string | undefined {
    return this.#running.get(runKey(connectionId, object))?.runId;
  }

  /** Resolves when every run started so far has ended (tests and shutdown). */
  async whenIdle(): Promise<void> {
    while (this.#running.size > 0) {
      await Promise.all([...this.#running.values()].map((entry) => entry.done));
    }
  }

  /**
   * Stops runs at their next page and waits for them. Their status stays `running` and their
   * checkpoint stays saved, so the next start resumes them.
   */
  async stop(): Promise<void> {
    for (const entry of this.#running.values()) entry.abort.abort();
    await this.whenIdle();
  }

  private launch(run: SyncRun): void {
    const key = runKey(run.connectionId, run.object);
    const abort = new AbortController();
    const done = this.execute(run, abort.signal)
      .catch((error: unknown) => {
        // stop() aborts the page in flight. The run keeps its status and checkpoint instead of
        // being recorded as failed, so the next start resumes it.
        if (abort.signal.aborted) {
          this.#options.logger.info({ runId: run.id, connectionId: run.connectionId, object: run.object }, 'sync run paused; it resumes from its checkpoint at the next start');
          return;
        }
        return this.fail(run, error);
      })
      .finally(() => this.#running.delete(key));
    this.#running.set(key, { runId: run.id, done, abort });
  }

  private async execute(run: SyncRun, signal: AbortSignal): Promise<void> {
    const { store, logger } = this.#options;
    const log = logger.child({ runId: run.id, connectionId: run.connectionId, object: run.object, mode: run.mode });

    const connection = await store.connections.get(run.connectionId);
    if (!connection) throw new LumioError('CONNECTION_NOT_FOUND', `Connection ${run.connectionId} no longer exists.`, { status: 404, fault: 'caller' });
    const opened = await this.#options.connections.open(connection);
    const manifest = opened.connector.manifest;
    requireObject(manifest, run.object);
    // Sync pages yield to interactive calls in the rate limiter, and the run's retries share one budget.
    const context = { ...opened.context, priority: 'bulk' as const, retryBudget: createRetryBudget(RUN_RETRY_BUDGET) };

    const mapping = await this.loadMapping(connection, run.object);
    const saved = parseSavedState((await store.syncState.get(connection.id, run.object))?.state);
    const resuming = saved.inProgress?.runId === run.id;
    // A resumed run continues its own checkpoint; a new incremental run starts where the last
    // finished run ended; a new full run starts from nothing.
    let startState: StreamState | null = null;
    if (resuming) startState = saved.inProgress?.stream ?? null;
    else if (run.mode === 'incremental') startState = saved.completed ?? null;

    const tracker = new RunTracker(run, resuming, Date.parse(run.startedAt ?? new Date().toISOString()));
    if (tracker.total === null && run.mode === 'full') {
      tracker.setEstimate((await estimateTotal(context, run.object).catch(() => undefined)) ?? null);
    }
    await store.syncRuns.update(run.id, { status: 'running', startedAt: new Date(tracker.startedAtMs).toISOString(), progressTotal: tracker.total, totalIsEstimate: tracker.totalIsEstimate });
    log.info({ resuming, total: tracker.total }, 'sync run started');
    if (!resuming) await recordSyncStarted(store, logger, run);

    let lastState: StreamState | null = startState;
    let mappingErrors = 0;
    // NOTE: ids seen are kept in memory, so a full run resumed after a restart cannot tell
    // which records went missing and skips that step. The next complete full run catches them.
    const seen = run.mode === 'full' && !resuming ? new Set<string>() : null;
    try {
      // The next page is fetched while this one is mapped and stored; its checkpoint is still
      // saved only after its own records are stored.
      const pages = readObjectPages({
        sandbox: this.#options.sandbox,
        connector: opened.connector,
        context,
        stream: { object: run.object, mode: run.mode, state: startState, signal },
      });
      for await (const page of prefetch(pages)) {
        const rows = await this.mapPage(manifest, run.object, mapping, connection, page.records, page.deleted);
        for (const row of rows) {
          for (const error of row.errors) {
            mappingErrors += 1;
            if (mappingErrors <= MAX_LOGGED_MAPPING_ERRORS) log.warn({ externalId: row.externalId, target: error.target, code: error.code }, error.message);
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

        for (const row of rows) seen?.add(row.externalId);
        tracker.recordPage(page.records.length, result, page.phase === 'listDeleted' ? undefined : page.total);
        this.#metrics.pageStored(manifest.id, page.records.length, rows.filter((row) => row.errors.length > 0).length);
        const patch = tracker.duePatch(Date.now());
        if (patch) await store.syncRuns.update(run.id, patch);
        log.debug({ page: tracker.pages, records: page.records.length, requestId: page.requestId, ...result }, 'page stored');
      }
    } finally {
      // Counts since the last progress write are kept whether the run ends, fails or pauses.
      await store.syncRuns.update(run.id, tracker.patch(Date.now()));
    }

    if (signal.aborted) {
      log.info({ pages: tracker.pages }, 'sync run paused; it resumes from its checkpoint at the next start');
      return;
    }

    if (seen) await this.markMissing(connection, run, mapping.canonicalObject, seen, tracker, log);

    await store.syncState.save(connection.id, run.object, { completed: lastState ?? undefined } satisfies SavedSyncState);
    const finishedAt = new Date().toISOString();
    await store.syncRuns.update(run.id, { ...tracker.patch(Date.now()), status: 'succeeded', finishedAt, progressCurrent: tracker.read, progressTotal: tracker.read, totalIsEstimate: false, eta: null });
    await store.connections.update(connection.id, { lastSyncAt: finishedAt, lastSyncStatus: 'succeeded', health: { status: 'healthy', checkedAt: finishedAt } });
    log.info({ ...tracker.summary(), mappingErrors, durationMs: Date.now() - tracker.startedAtMs }, 'sync run succeeded');
    await recordSyncCompleted(store, logger, run, tracker.summary(), Date.now() - tracker.startedAtMs);
    this.#metrics.runEnded(manifest.id, 'succeeded', (Date.now() - tracker.startedAtMs) / 1000);
  }

  /**
   * Marks deleted the stored records of this object that a complete full read did not return:
   * records deleted at the provider without trace, or left from an account the connection
   * no longer points at. Their data is kept.
   */
  private async markMissing(connection: Connection, run: SyncRun, canonicalObject: string, seen: Set<string>, tracker: RunTracker, log: Logger): Promise<void> {
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
    }
    log.info({ missing: missing.length }, 'records the full sync no longer found were marked deleted');
  }

  private async loadMapping(connection: Connection, object: string): Promise<CompiledMapping & { canonicalObject: string }> {
    const active = await this.#options.store.mappings.activeFor(connection.id, object);
    if (!active) {
      throw new LumioError('MAPPING_MISSING', `Connection ${connection.id} has no field mapping for ${object}; save one with PUT /v1/integrations/${connection.connectorId}/field-mappings.`, {
        status: 409,
        fault: 'caller',
      });
    }
    return Object.assign(compileMapping(active.definition as FieldMapping), { canonicalObject: active.canonicalObject });
  }

  private async mapPage(manifest: ConnectorManifest, object: string, mapping: CompiledMapping, connection: Connection, records: unknown[], deleted: boolean) {
    const { store } = this.#options;
    const lookup = async (canonicalObject: string, externalIds: string[]) => {
      const found = await store.records.findByExternalIds(connection.id, canonicalObject, externalIds);
      return new Map(found.map((record) => [record.externalId, { id: record.id, data: record.data as Record<string, unknown> }]));
    };

    const mapped = await applyMapping(mapping, records, { lookup });
    return records.map((raw, index) => {
      const externalId = getRecordId(manifest, object, raw);
      if (externalId === undefined || externalId === null || externalId === '') {
        throw new LumioError('RECORD_ID_MISSING', `A ${object} record from ${manifest.name} has no value at its primary key "${manifest.objects[object]?.primaryKey}".`, {
          status: 502,
          fault: 'provider',
        });
      }
      const result = mapped[index] ?? { data: {}, errors: [] };
      const sourceUpdatedAt = readSourceUpdatedAt(manifest.objects[object], raw);
      return { externalId: String(externalId), data: result.data, raw, deleted, sourceUpdatedAt, errors: result.errors };
    });
  }

  private async fail(run: SyncRun, error: unknown): Promise<void> {
    const { store, logger } = this.#options;
    const code = isLumioError(error) ? error.code : 'SYNC_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ runId: run.id, connectionId: run.connectionId, object: run.object, code, err: error }, 'sync run failed');

    const finishedAt = new Date().toISOString();
    await store.syncRuns.update(run.id, { status: 'failed', finishedAt, errorCode: code, errorMessage: message, eta: null });
    await recordSyncFailed(store, logger, run, error);
    const connection = await store.connections.update(run.connectionId, { lastSyncAt: finishedAt, lastSyncStatus: 'failed', health: { status: 'degraded', checkedAt: finishedAt, reason: code } }).catch((updateError: unknown) => {
      logger.error({ connectionId: run.connectionId, err: updateError }, 'could not record the failed sync on the connection');
      return null;
    });
    // A run carries no connector id, so it is read from the connection, which may be gone.
    this.#metrics.runEnded(connection?.connectorId ?? 'unknown', 'failed');
  }
}

function requireObject(manifest: ConnectorManifest, object: string): void {
  if (manifest.objects[object]) return;
  const known = Object.keys(manifest.objects);
  const suggestion = suggestClosest(object, known);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  throw new LumioError('OBJECT_NOT_FOUND', `${manifest.name} has no object "${object}"; known objects: ${known.join(', ')}.${hint}`, { status: 400, fault: 'caller', details: { field: 'type' } });
}

function runKey(connectionId: string, object: string): string {
  return `${connectionId}:${object}`;
}
