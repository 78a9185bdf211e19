import { readChain } from './chain.js';
import type { CanonicalNode, MappingGraph } from './graph.js';

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** Rendered sizes of nodes, once the canvas has measured them. */
  sizes: ReadonlyMap<string, Size>;
  /** Nodes the search hides; the columns close up around them. */
  hidden: ReadonlySet<string>;
  /** Positions of transform and constant nodes that a person dragged. */
  manual: Readonly<Record<string, Point>>;
  /** Provider node ids in display order; ids not listed follow in graph order. */
  providerOrder: readonly string[];
}

export const COLUMN = { providerWidth: 250, slotWidth: 200, gap: 10, columnGap: 70 } as const;
const DEFAULT_HEIGHT = 40;

/**
 * Places the nodes in three columns: provider fields on the left and canonical fields on the
 * right, each stacked by its measured height, and each rule's transforms between them on the
 * row of the field they feed, pushed down where a taller node above would overlap.
 */
export function layoutGraph(graph: MappingGraph, options: LayoutOptions): Record<string, Point> {
  const positions: Record<string, Point> = {};
  const heightOf = (id: string) => options.sizes.get(id)?.height ?? DEFAULT_HEIGHT;

  const canonicals = graph.nodes.filter((node): node is CanonicalNode => node.kind === 'canonical');
  const chains = canonicals.map((node) => {
    const chain = readChain(graph, node);
    const steps = chain.kind === 'paths' || chain.kind === 'constant' ? [...chain.transformIds] : [];
    if (chain.kind === 'constant') {
      const constant = graph.edges.find((edge) => edge.target === (steps[0] ?? node.id) && graph.nodes.some((n) => n.id === edge.source && n.kind === 'constant'));
      if (constant) steps.unshift(constant.source);
    }
    return { node, steps };
  });
  const slots = Math.max(1, ...chains.map((chain) => chain.steps.length));
  const slotX = (slot: number) => COLUMN.providerWidth + COLUMN.columnGap + slot * COLUMN.slotWidth;
  const canonicalX = slotX(slots) + COLUMN.columnGap - COLUMN.gap * 3;

  // Provider column, in the chosen order.
  const rank = new Map(options.providerOrder.map((id, index) => [id, index]));
  const providers = graph.nodes
    .filter((node) => node.kind === 'provider' && !options.hidden.has(node.id))
    .map((node, index) => ({ id: node.id, rank: rank.get(node.id) ?? options.providerOrder.length + index }))
    .sort((a, b) => a.rank - b.rank);
  let y = 0;
  for (const provider of providers) {
    positions[provider.id] = { x: 0, y };
    y += heightOf(provider.id) + COLUMN.gap;
  }

  // Canonical column, and each chain on its field's row.
  const slotBottoms: number[] = Array.from({ length: slots }, () => -Infinity);
  const placed = new Set<string>();
  y = 0;
  for (const { node, steps } of chains) {
    if (options.hidden.has(node.id)) continue;
    positions[node.id] = { x: canonicalX, y };
    const firstSlot = slots - steps.length;
    let rowY = y;
    steps.forEach((_id, index) => {
      rowY = Math.max(rowY, (slotBottoms[firstSlot + index] ?? -Infinity) + COLUMN.gap);
    });
    steps.forEach((id, index) => {
      placed.add(id);
      positions[id] = options.manual[id] ?? { x: slotX(firstSlot + index), y: rowY };
      slotBottoms[firstSlot + index] = rowY + heightOf(id);
    });
    y += heightOf(node.id) + COLUMN.gap;
  }

  // Steps that reach no field stack under the middle columns until someone links them.
  let looseY = Math.max(y, ...slotBottoms.filter(Number.isFinite)) + COLUMN.gap * 4;
  for (const node of graph.nodes) {
    if ((node.kind !== 'transform' && node.kind !== 'constant') || placed.has(node.id)) continue;
    if (isHiddenStep(graph, node.id, options.hidden)) continue;
    positions[node.id] = options.manual[node.id] ?? { x: slotX(0), y: looseY };
    if (!options.manual[node.id]) looseY += heightOf(node.id) + COLUMN.gap;
  }
  return positions;
}

/** A step whose chain ends at a hidden field is hidden with it. */
export function isHiddenStep(graph: MappingGraph, nodeId: string, hidden: ReadonlySet<string>): boolean {
  let current = nodeId;
  const seen = new Set<string>();
  for (;;) {
    const next = graph.edges.find((edge) => edge.source === current);
    if (!next || seen.has(next.target)) return false;
    seen.add(next.target);
    const target = graph.nodes.find((node) => node.id === next.target);
    if (target?.kind === 'canonical') return hidden.has(target.id);
    current = next.target;
  }
}

/**
 * Orders provider fields so that lines cross less: fields in use first, in the order of the
 * first canonical field each feeds, then the rest in catalogue order.
 */
export function orderProviders(graph: MappingGraph): string[] {
  const canonicalRank = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    if (node.kind === 'canonical') canonicalRank.set(node.id, index);
  });

  const firstUse = new Map<string, number>();
  for (const node of graph.nodes) {
    if (node.kind !== 'canonical') continue;
    const chain = readChain(graph, node);
    if (chain.kind !== 'paths') continue;
    for (const path of chain.paths) {
      const id = `provider:${path}`;
      const rank = canonicalRank.get(node.id) ?? Infinity;
      if (rank < (firstUse.get(id) ?? Infinity)) firstUse.set(id, rank);
    }
  }

  return graph.nodes
    .filter((node) => node.kind === 'provider')
    .map((node, index) => ({ id: node.id, index, use: firstUse.get(node.id) ?? Infinity }))
    .sort((a, b) => a.use - b.use || a.index - b.index)
    .map((entry) => entry.id);
}
