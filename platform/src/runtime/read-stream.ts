import { LumioError } from '../errors/index.js';
import type { ConnectorContext, RequestVariables } from './connector-context.js';
import { getPath } from './get-path.js';
import { getObjectDefinition, getRecordId } from './get-record-id.js';
import {
  compareCursorPoints,
  cursorToEpochMs,
  formatSince,
  readCursorValue,
  readTieBreaker,
  type CursorPoint,
} from './incremental-cursor.js';
import type { IncrementalSync, ListOperation, ObjectDefinition } from './manifest-types.js';
import { paginate, readCount, type FetchedPage } from './pagination/index.js';
import { listPhases, startRun } from './stream-start.js';
import { snapshotState, type ReadStreamOptions, type StreamPage, type StreamPhase, type StreamState } from './stream-state.js';

/**
 * Reads an object page by page. Full mode runs `list`; incremental mode runs the
 * incremental operation from the saved cursor (or a full run when none is saved). Both
 * then run `listDeleted` when that is the deletion strategy. Each yielded page carries
 * the state to save after storing it.
 */
export async function* readStream(ctx: ConnectorContext, options: ReadStreamOptions): AsyncGenerator<StreamPage> {
  const definition = getObjectDefinition(ctx.manifest, options.object);
  const { state, resumed } = startRun(options.object, definition, options.mode, options.state);
  const phases = listPhases(definition, state.mode);
  ctx.logger.info(
    { connector: ctx.manifest.id, object: options.object, mode: state.mode, phase: state.phase, resumed },
    'stream read started',
  );

  const reader = new StreamReader(ctx, options, definition, state, phases);
  while (state.phase !== 'done') {
    yield* reader.readPhase(state.phase);
  }
  ctx.logger.info(
    { connector: ctx.manifest.id, object: options.object, mode: state.mode, cursor: state.cursor },
    'stream read finished',
  );
}

class StreamReader {
  /** Ids the current incremental query must skip, rebuilt from `state.boundary`. */
  private boundaryIds: Set<string> | undefined;

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly options: ReadStreamOptions,
    private readonly definition: ObjectDefinition,
    private readonly state: StreamState,
    private readonly phases: readonly StreamPhase[],
  ) {
    this.boundaryIds = state.boundary ? new Set(state.boundary.ids) : undefined;
  }

  /** Reads one phase to its end, restarting the incremental query whenever its window fills. */
  async *readPhase(phase: StreamPhase): AsyncGenerator<StreamPage> {
    const operation = this.findOperation(phase);

    while (this.state.phase === phase) {
      const vars: RequestVariables = {};
      if (phase === 'incremental' && this.state.window) {
        vars.incremental = { since: this.state.window.since, tieBreaker: this.state.window.tieBreaker };
      }

      const pages = paginate(this.ctx, {
        object: this.options.object,
        operationName: this.operationName(phase),
        operation,
        vars,
        start: this.state.position,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
      for await (const page of pages) {
        const restarted = yield* this.processPage(phase, operation, page);
        if (restarted) break;
      }
    }
  }

  /** Updates the state for one fetched page and yields it; returns true when the query must restart. */
  private async *processPage(
    phase: StreamPhase,
    operation: ListOperation,
    page: FetchedPage,
  ): AsyncGenerator<StreamPage, boolean> {
    const before = snapshotState(this.state);
    const incremental = this.definition.incremental;
    const records = phase === 'incremental' ? this.skipBoundaryDuplicates(page.records) : page.records;

    if (phase !== 'listDeleted' && incremental) this.trackCursor(records, incremental, phase === 'incremental');
    const restart = phase === 'incremental' && incremental ? this.planRestart(page, incremental) : false;
    if (!restart) this.advance(phase, page);

    const extras: Pick<StreamPage, 'total' | 'requestId'> = {};
    const total = operation.totalPath === undefined ? undefined : readCount(getPath(page.response.body, operation.totalPath));
    if (total !== undefined) extras.total = total;
    if (page.response.requestId !== undefined) extras.requestId = page.response.requestId;

    const after = snapshotState(this.state);
    this.ctx.logger.debug(
      { connector: this.ctx.manifest.id, object: this.options.object, phase, records: records.length, requestId: page.response.requestId },
      'stream page read',
    );
    if (phase === 'listDeleted') {
      yield { records, deleted: true, phase, state: after, ...extras };
      return restart;
    }

    const { live, deleted } = this.splitFlagged(records);
    if (live.length > 0 && deleted.length > 0) {
      // The first half carries the state from before this page, so a crash between the two
      // halves re-reads the page instead of losing its deletions.
      yield { records: live, deleted: false, phase, state: before, ...extras };
      yield { records: deleted, deleted: true, phase, state: after, ...extras };
    } else if (deleted.length > 0) {
      yield { records: deleted, deleted: true, phase, state: after, ...extras };
    } else {
      yield { records: live, deleted: false, phase, state: after, ...extras };
    }
    return restart;
  }

  /** Moves to the next page, or to the next phase after the last page. */
  private advance(phase: StreamPhase, page: FetchedPage): void {
    if (page.next) {
      this.state.position = page.next;
      return;
    }

    // A phase missing from the list (a saved state from an older manifest) ends the run.
    const index = this.phases.indexOf(phase);
    this.state.phase = index === -1 ? 'done' : (this.phases[index + 1] ?? 'done');
    this.state.position = null;
    if (phase === 'incremental') {
      delete this.state.window;
      delete this.state.boundary;
      delete this.state.tail;
      this.boundaryIds = undefined;
    }
  }

  /** Raises the run's cursor to the max (cursor, tieBreaker) of the records, and tracks the ids at the top cursor. */
  private trackCursor(records: readonly unknown[], incremental: IncrementalSync, inQuery: boolean): void {
    const format = incremental.cursorFormat;
    const trackTail = inQuery && incremental.windowLimit !== undefined;

    for (const record of records) {
      const point = this.readPoint(record, incremental);
      if (!point) continue;

      const current: CursorPoint | null =
        this.state.cursor === null ? null : { cursor: this.state.cursor, tieBreaker: this.state.tieBreaker };
      if (!current || compareCursorPoints(point, current, format) > 0) {
        this.state.cursor = point.cursor;
        this.state.tieBreaker = point.tieBreaker;
      }
      if (trackTail) this.trackTail(record, point, incremental);
    }
  }

  private trackTail(record: unknown, point: CursorPoint, incremental: IncrementalSync): void {
    const format = incremental.cursorFormat;
    const id = getRecordId(this.ctx.manifest, this.options.object, record);
    const tail = this.state.tail;
    const pointMs = cursorToEpochMs(point.cursor, format);
    const tailMs = tail ? cursorToEpochMs(tail.cursor, format) : undefined;

    if (!tail || tailMs === undefined || (pointMs !== undefined && pointMs > tailMs)) {
      this.state.tail = { cursor: point.cursor, ids: [id] };
    } else if (pointMs === tailMs && !tail.ids.includes(id)) {
      tail.ids.push(id);
    }
  }

  /**
   * When the query has returned `windowLimit` records and has more pages, starts a new
   * query from the last record's cursor and tie-breaker (no lookback). The provider must
   * return records in ascending cursor order for this to be lossless.
   */
  private planRestart(page: FetchedPage, incremental: IncrementalSync): boolean {
    const window = this.state.window;
    if (!window) return false;
    window.read += page.records.length;
    if (incremental.windowLimit === undefined || window.read < incremental.windowLimit || !page.next) return false;

    const last = page.records[page.records.length - 1];
    const lastPoint = this.readPoint(last, incremental);
    const cursor = lastPoint?.cursor ?? this.state.tail?.cursor;
    if (cursor === undefined) {
      throw new LumioError(
        'INCREMENTAL_CURSOR_MISSING',
        `The incremental query of "${this.options.object}" filled its window of ${incremental.windowLimit} records, but its last record has no cursor at "${incremental.cursorField}"; fix cursorField in the manifest.`,
        { status: 502, fault: 'connector', details: { object: this.options.object, cursorField: incremental.cursorField } },
      );
    }

    const next = {
      since: formatSince(cursor, incremental, 0),
      tieBreaker: lastPoint?.tieBreaker ?? incremental.tieBreakerStart ?? '0',
      read: 0,
    };
    if (next.since === window.since && next.tieBreaker === window.tieBreaker) {
      throw new LumioError(
        'PAGINATION_LOOP',
        `The incremental query of "${this.options.object}" read ${window.read} records without moving past cursor ${JSON.stringify(cursor)}, so restarting it would repeat the same window; declare incremental.tieBreakerField in the manifest.`,
        { status: 502, fault: 'connector', details: { object: this.options.object, operation: incremental.operation, cursor } },
      );
    }

    this.ctx.logger.info(
      { connector: this.ctx.manifest.id, object: this.options.object, read: window.read, since: next.since },
      'incremental query window full, restarting from the last record',
    );
    this.state.window = next;
    this.state.position = null;
    if (this.state.tail) {
      this.state.boundary = structuredClone(this.state.tail);
      this.boundaryIds = new Set(this.state.tail.ids);
    }
    return true;
  }

  /** Drops records the run already emitted at the restart cursor, which a query using ">=" returns again. */
  private skipBoundaryDuplicates(records: unknown[]): unknown[] {
    const boundary = this.state.boundary;
    const incremental = this.definition.incremental;
    if (!boundary || !this.boundaryIds || !incremental) return records;

    const boundaryMs = cursorToEpochMs(boundary.cursor, incremental.cursorFormat);
    const ids = this.boundaryIds;
    return records.filter((record) => {
      const cursor = readCursorValue(getPath(record, incremental.cursorField), incremental.cursorFormat);
      if (cursor === undefined || cursorToEpochMs(cursor, incremental.cursorFormat) !== boundaryMs) return true;
      return !ids.has(getRecordId(this.ctx.manifest, this.options.object, record));
    });
  }

  private splitFlagged(records: unknown[]): { live: unknown[]; deleted: unknown[] } {
    const deletions = this.definition.deletions;
    if (deletions?.strategy !== 'flag' || !deletions.flagPath) return { live: records, deleted: [] };

    const live: unknown[] = [];
    const deleted: unknown[] = [];
    for (const record of records) {
      const flag = getPath(record, deletions.flagPath);
      if (flag === true || flag === 'true') deleted.push(record);
      else live.push(record);
    }
    return { live, deleted };
  }

  private readPoint(record: unknown, incremental: IncrementalSync): CursorPoint | undefined {
    const cursor = readCursorValue(getPath(record, incremental.cursorField), incremental.cursorFormat);
    if (cursor === undefined) return undefined;
    const tieBreaker = incremental.tieBreakerField
      ? (readTieBreaker(getPath(record, incremental.tieBreakerField)) ?? null)
      : null;
    return { cursor, tieBreaker };
  }

  private operationName(phase: StreamPhase): string {
    if (phase === 'incremental') return this.definition.incremental?.operation ?? 'list';
    return phase;
  }

  private findOperation(phase: StreamPhase): ListOperation {
    const name = this.operationName(phase) as 'list' | 'search' | 'listDeleted';
    const operation = this.definition.operations[name];
    if (operation) return operation;

    throw new LumioError(
      'OPERATION_NOT_DEFINED',
      `The object "${this.options.object}" of "${this.ctx.manifest.id}" has no "${name}" operation, which its ${phase} phase needs; declare it in the manifest.`,
      { status: 500, fault: 'connector', details: { object: this.options.object, operation: name } },
    );
  }
}
