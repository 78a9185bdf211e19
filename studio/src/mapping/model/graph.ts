import type { CanonicalObjectName, FieldRule, Scalar, Transform } from './definition.js';

/**
 * What a canonical node keeps of its rule besides the chain of nodes: the rule's position in
 * `fields`, its write-back settings, whether it used `sources` for a single path, whether it
 * listed an empty `transforms`, and any keys the studio does not know, so a save never
 * drops them.
 */
export interface RuleInfo {
  order: number;
  reverse?: FieldRule['reverse'];
  sourcesForm?: boolean;
  emptyTransforms?: boolean;
  extra?: Record<string, unknown>;
}

export interface ProviderNode {
  id: string;
  kind: 'provider';
  /** Dot path in the provider record, e.g. "properties.email" or "items[].sku". */
  path: string;
}

export interface CanonicalNode {
  id: string;
  kind: 'canonical';
  /** Dot path in the canonical record, e.g. "address.city". */
  target: string;
  /** Null while the field has no rule. */
  rule: RuleInfo | null;
}

export interface TransformNode {
  id: string;
  kind: 'transform';
  transform: Transform;
}

export interface ConstantNode {
  id: string;
  kind: 'constant';
  value: Scalar;
}

export type GraphNode = ProviderNode | CanonicalNode | TransformNode | ConstantNode;

/** A link from a value to the node that reads it. `order` sorts the inputs of one node. */
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  order: number;
}

/**
 * A field mapping as a graph: provider fields and constants flow through chains of transform
 * nodes into canonical fields. Each canonical field with an input is one rule.
 */
export interface MappingGraph {
  object: string;
  canonicalObject: CanonicalObjectName;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Top-level keys of the definition the studio does not know. */
  extra: Record<string, unknown>;
}

export function providerNodeId(path: string): string {
  return `provider:${path}`;
}

export function canonicalNodeId(target: string): string {
  return `canonical:${target}`;
}

/** Returns an id of the form `<prefix>:<n>` that no node or edge of the graph uses. */
export function nextId(graph: Pick<MappingGraph, 'nodes' | 'edges'>, prefix: 'transform' | 'constant' | 'edge'): string {
  const pattern = new RegExp(`^${prefix}:(\\d+)$`);
  let highest = 0;
  for (const item of [...graph.nodes, ...graph.edges]) {
    const match = pattern.exec(item.id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `${prefix}:${highest + 1}`;
}

export function findNode(graph: MappingGraph, id: string): GraphNode | undefined {
  return graph.nodes.find((node) => node.id === id);
}

/** Lists the edges into a node, sorted by `order`. */
export function inputsOf(graph: Pick<MappingGraph, 'edges'>, nodeId: string): GraphEdge[] {
  return graph.edges.filter((edge) => edge.target === nodeId).sort((a, b) => a.order - b.order);
}

export function outputsOf(graph: Pick<MappingGraph, 'edges'>, nodeId: string): GraphEdge[] {
  return graph.edges.filter((edge) => edge.source === nodeId);
}

/** Lists the ids of every node upstream of `nodeId`, following edges backwards. */
export function ancestorsOf(graph: Pick<MappingGraph, 'edges'>, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const pending = [nodeId];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const edge of graph.edges) {
      if (edge.target === current && !seen.has(edge.source)) {
        seen.add(edge.source);
        pending.push(edge.source);
      }
    }
  }
  return seen;
}
