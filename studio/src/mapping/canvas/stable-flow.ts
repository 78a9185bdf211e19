// Plain types instead of React Flow's, so that tests run by Node can import this file.

/** Nodes and edges that the canvas passes to React Flow, each with a unique id. */
export interface Flow<Node extends FlowItem = FlowItem, Edge extends FlowItem = FlowItem> {
  nodes: Node[];
  edges: Edge[];
}

export interface FlowItem {
  id: string;
  data?: unknown;
}

/** The props of a node view that `sameNodeView` compares. */
export interface NodeViewProps {
  id: string;
  data: unknown;
  selected?: boolean;
  isConnectable?: boolean;
}

/**
 * Returns `next` with every node and edge that equals its counterpart in `previous` (same id,
 * same content) replaced by that counterpart, and the previous arrays when nothing changed.
 * A node that changed keeps the previous `data` object when its data is equal.
 * React Flow re-renders a node only when its object changes, and the node views only when
 * their data changes. So an edit re-renders the few nodes it touched, not every field of a
 * wide mapping, and a node that only moved keeps its rendered content.
 */
export function keepUnchanged<Node extends FlowItem, Edge extends FlowItem>(previous: Flow<Node, Edge> | null, next: Flow<Node, Edge>): Flow<Node, Edge> {
  if (!previous) return next;
  return { nodes: reuse(previous.nodes, next.nodes), edges: reuse(previous.edges, next.edges) };
}

function reuse<T extends FlowItem>(previous: T[], next: T[]): T[] {
  const byId = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== next.length;
  const merged = next.map((item, index) => {
    const reused = keepItem(byId.get(item.id), item);
    if (reused !== previous[index]) changed = true;
    return reused;
  });
  return changed ? merged : previous;
}

function keepItem<T extends FlowItem>(old: T | undefined, item: T): T {
  if (old === undefined) return item;
  if (sameValue(old, item)) return old;
  if (item.data !== undefined && sameValue(old.data, item.data)) return { ...item, data: old.data };
  return item;
}

/**
 * Tells whether a field or step node view would render the same: the views read only these
 * props, and `keepUnchanged` keeps `data` objects that did not change.
 */
export function sameNodeView(before: NodeViewProps, after: NodeViewProps): boolean {
  return before.id === after.id && before.data === after.data && before.selected === after.selected && before.isConnectable === after.isConnectable;
}

/** Compares plain data (objects, arrays and primitives) by content; an absent key equals `undefined`. */
export function sameValue(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;

  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((value, index) => sameValue(value, right[index]));
  }

  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = new Set([...Object.keys(leftRecord), ...Object.keys(rightRecord)]);
  for (const key of keys) {
    if (!sameValue(leftRecord[key], rightRecord[key])) return false;
  }
  return true;
}
