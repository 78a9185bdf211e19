/** Past and future states of a draft, for undo and redo. */
export interface UndoHistory<T> {
  past: T[];
  present: T;
  future: T[];
}

/** Steps kept for undo; older ones are dropped. */
export const UNDO_LIMIT = 200;

export function startHistory<T>(present: T): UndoHistory<T> {
  return { past: [], present, future: [] };
}

/** Records a new state; a redo that was possible is no longer. */
export function record<T>(history: UndoHistory<T>, next: T): UndoHistory<T> {
  if (next === history.present) return history;
  return { past: [...history.past, history.present].slice(-UNDO_LIMIT), present: next, future: [] };
}

export function undo<T>(history: UndoHistory<T>): UndoHistory<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: UndoHistory<T>): UndoHistory<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
