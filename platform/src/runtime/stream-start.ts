import type { CursorPoint } from './incremental-cursor.js';
import { formatSince } from './incremental-cursor.js';
import type { ObjectDefinition } from './manifest-types.js';
import type { StreamPhase, StreamState } from './stream-state.js';

/**
 * Decides where a stream starts. An unfinished state continues its own run, unless a
 * full run is requested over an unfinished incremental one. Otherwise a new run starts:
 * incremental when requested, supported and a cursor is known, else full.
 */
export function startRun(
  object: string,
  definition: ObjectDefinition,
  mode: 'full' | 'incremental',
  saved: StreamState | null | undefined,
): { state: StreamState; resumed: boolean } {
  const usable = saved && saved.version === 1 && saved.object === object ? saved : undefined;
  if (usable && usable.phase !== 'done' && !(mode === 'full' && usable.mode === 'incremental')) {
    return { state: structuredClone(usable), resumed: true };
  }

  const start = findStartCursor(usable);
  const incremental = definition.incremental;
  if (mode === 'incremental' && incremental && start) {
    const lookbackSeconds = incremental.lookbackSeconds ?? 0;
    const tieBreakerStart = incremental.tieBreakerStart ?? '0';
    // A lookback re-reads earlier records, so the saved tie-breaker no longer marks where to resume.
    const tieBreaker = lookbackSeconds > 0 || start.tieBreaker === null ? tieBreakerStart : start.tieBreaker;
    return {
      state: {
        ...newState(object, 'incremental', 'incremental', start),
        window: { since: formatSince(start.cursor, incremental, lookbackSeconds), tieBreaker, read: 0 },
      },
      resumed: false,
    };
  }
  return { state: newState(object, 'full', 'list', start), resumed: false };
}

/** Lists the phases of a run in order, starting with its main phase. */
export function listPhases(definition: ObjectDefinition, mode: 'full' | 'incremental'): StreamPhase[] {
  const main: StreamPhase = mode === 'incremental' ? 'incremental' : 'list';
  return definition.deletions?.strategy === 'listDeleted' ? [main, 'listDeleted'] : [main];
}

function findStartCursor(saved: StreamState | undefined): CursorPoint | null {
  if (!saved) return null;
  if (saved.phase !== 'done') return saved.startCursor;
  return saved.cursor === null ? null : { cursor: saved.cursor, tieBreaker: saved.tieBreaker };
}

function newState(object: string, mode: 'full' | 'incremental', phase: StreamPhase, start: CursorPoint | null): StreamState {
  return {
    version: 1,
    object,
    mode,
    phase,
    position: null,
    cursor: start?.cursor ?? null,
    tieBreaker: start?.tieBreaker ?? null,
    startCursor: start,
  };
}
