import { count } from './command-support.js';
import type { MappedPage, StreamSession } from './stream-session.js';

/** Tracks whether the runtime took an incremental cursor from the records of a `run`. */
export interface CursorCheck {
  countPage(page: MappedPage): void;
  /** Records that the stream was read to its end, so the state of the last page covers every record read. */
  finish(): void;
  /**
   * Returns the warning line when records were read and none of them gave the runtime a
   * cursor, judged with the latest stream state. Returns undefined when a record gave one,
   * and when the records read leave it open.
   */
  warning(): string | undefined;
}

/** Records of a run the check has counted, and how many of them have a value at cursorField. */
interface CursorCounts {
  records: number;
  withValue: number;
}

/**
 * Starts the cursor check of a run, or returns undefined when the object declares no
 * incremental sync or the plugin's readStream hook reads it (the plugin keeps its own cursor).
 */
export async function startCursorCheck(session: StreamSession, object: string, startState: object | null): Promise<CursorCheck | undefined> {
  const definition = session.manifest.objects[object];
  const incremental = definition?.incremental;
  if (incremental === undefined || (await session.pluginReadsObject(object))) return undefined;
  const { cursorField, cursorFormat } = incremental;
  const startCursor = readStateCursor(startState);
  const flagsDeletions = definition?.deletions?.strategy === 'flag';
  // A transformPage hook may change the records after the runtime read their cursors.
  const recordsAsRuntimeRead = session.pluginHash === undefined;

  // Records whose cursors the latest stream state reflects.
  const settled: CursorCounts = { records: 0, withValue: 0 };
  // Records of the last page when its state may predate them.
  let pending: CursorCounts = { records: 0, withValue: 0 };
  let latestState = startState;

  const settlePending = () => {
    settled.records += pending.records;
    settled.withValue += pending.withValue;
    pending = { records: 0, withValue: 0 };
  };

  return {
    countPage(page) {
      // The state of a later page covers the records of every earlier page.
      settlePending();
      latestState = page.state;
      // The runtime takes no cursor from the records of the listDeleted phase.
      if (page.phase === 'listDeleted') return;

      const counts = { records: page.raw.length, withValue: page.raw.filter((record) => hasValue(session.readRecordPath(record, cursorField))).length };
      // The runtime yields a page with flagged deletions in two parts, and the part with
      // the live records carries the state from before the page. Its records count as
      // settled only once the deleted part or the end of the stream follows.
      const mayPredateRecords = flagsDeletions && !page.records.some((record) => record.deleted);
      if (mayPredateRecords) {
        pending = counts;
      } else {
        settled.records += counts.records;
        settled.withValue += counts.withValue;
      }
    },

    finish() {
      settlePending();
    },

    warning() {
      if (settled.records + pending.records === 0) return undefined;
      const latestCursor = readStateCursor(latestState);
      // The runtime reads the cursor before a plugin's transformPage hook, while page.raw contains
      // the records after it, so the state shows whether the runtime itself found a cursor.
      const settledGaveNone = settled.records === 0 || latestCursor === null || (settled.withValue === 0 && latestCursor === startCursor);
      // NOTE: with a plugin, pending records (a --limit that stops inside the live part of a
      // page with flagged deletions) stay unjudged, so such a run prints no warning for them.
      const pendingGaveNone = pending.records === 0 || (recordsAsRuntimeRead && pending.withValue === 0);
      if (!settledGaveNone || !pendingGaveNone) return undefined;

      return (
        `warning: none of the ${count(settled.records + pending.records, 'record')} read gave a cursor at incremental.cursorField "${cursorField}" of "${object}", ` +
        'so the runtime saves no new cursor and every incremental run will re-read every record. ' +
        `Check that cursorField is the dot path of the modification time in the printed records (run with --raw to see them) and that cursorFormat "${cursorFormat}" matches its values.`
      );
    },
  };
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Returns the `cursor` of a stream state saved by the platform's runtime, as JSON text, or null when it has none. */
function readStateCursor(state: object | null): string | null {
  const cursor = (state as { cursor?: unknown } | null)?.cursor;
  return cursor === undefined || cursor === null ? null : JSON.stringify(cursor);
}
