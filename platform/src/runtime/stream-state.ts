import type { CursorPoint, CursorValue } from './incremental-cursor.js';
import type { PagePosition } from './pagination/index.js';

export type StreamPhase = 'list' | 'incremental' | 'listDeleted';

/** An incremental query in progress: the values sent as `incremental.since` and `incremental.tieBreaker`. */
export interface IncrementalWindow {
  since: CursorValue;
  tieBreaker: string;
  /** Records this query has returned so far, compared with `windowLimit`. */
  read: number;
}

/** Ids emitted at one cursor value. */
export interface CursorIds {
  cursor: CursorValue;
  ids: string[];
}

/**
 * The checkpoint of a stream, as plain JSON. Save the state of a page after storing its
 * records; passing it back to `readStream` continues at the next page. Once `phase` is
 * "done", `cursor` and `tieBreaker` are where the next incremental run starts.
 */
export interface StreamState {
  version: 1;
  object: string;
  /** Mode of the run that wrote this state (an incremental request without a saved cursor runs as "full"). */
  mode: 'full' | 'incremental';
  phase: StreamPhase | 'done';
  /** Page to read next in `phase`; null means the phase's first page. */
  position: PagePosition | null;
  /** Max (cursor, tieBreaker) over the records this run has read, starting from `startCursor`. */
  cursor: CursorValue | null;
  tieBreaker: string | null;
  /** The incremental cursor the run started from, kept so an abandoned run does not lose it. */
  startCursor: CursorPoint | null;
  /** The incremental query being paged. */
  window?: IncrementalWindow;
  /** Ids already emitted at the cursor the current query restarted from; the query skips them. */
  boundary?: CursorIds;
  /** Ids emitted at the highest cursor of the run so far; the boundary of the next restart. */
  tail?: CursorIds;
}

export interface StreamPage {
  records: unknown[];
  /** True when the records were deleted at the provider. */
  deleted: boolean;
  phase: StreamPhase;
  /** The checkpoint to save once this page's records are stored. */
  state: StreamState;
  /** Total record count the provider reported for the query, from the operation's `totalPath`. */
  total?: number;
  requestId?: string;
}

export interface ReadStreamOptions {
  object: string;
  mode: 'full' | 'incremental';
  /** State saved from an earlier page or run; null or absent starts from nothing. */
  state?: StreamState | null;
  signal?: AbortSignal;
}

/** Copies a state so later changes to the running state do not alter a yielded checkpoint. */
export function snapshotState(state: StreamState): StreamState {
  return structuredClone(state);
}
