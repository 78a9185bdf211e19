import type { Scalar, Transform } from './definition.js';
import {
  ancestorsOf,
  findNode,
  inputsOf,
  nextId,
  outputsOf,
  type CanonicalNode,
  type GraphEdge,
  type GraphNode,
  type MappingGraph,
} from './graph.js';

// Every edit returns a new graph and leaves its argument unchanged, so the undo history can
// keep the old one. An edit that is not allowed returns a reason instead.

/** Why a connection or an edit was not made; the studio shows the matching message. */
export type EditRejection = 'sameNode' | 'wrongDirection' | 'wouldLoop' | 'notFound' | 'fixedNode' | 'readOnly';

export type EditResult = { graph: MappingGraph } | { rejected: EditRejection };

/** Tells whether a value may flow from `sourceId` into `targetId`. */
export function checkConnection(graph: MappingGraph, sourceId: string, targetId: string): EditRejection | null {
  const source = findNode(graph, sourceId);
  const target = findNode(graph, targetId);
  if (!source || !target) return 'notFound';
  if (source.id === target.id) return 'sameNode';
  if (source.kind === 'canonical' || target.kind === 'provider' || target.kind === 'constant') return 'wrongDirection';
  if (ancestorsOf(graph, source.id).has(target.id)) return 'wouldLoop';
  return null;
}

/**
 * Connects a value to a transform or canonical field. A canonical field takes one chain, so
 * a new input replaces the old chain and drops its transforms. A transform takes several
 * provider fields (they become `sources`) or one step; a transform or constant replaces its
 * inputs. A transform has one output, so connecting it again moves that output.
 */
export function connect(graph: MappingGraph, sourceId: string, targetId: string): EditResult {
  const rejection = checkConnection(graph, sourceId, targetId);
  if (rejection) return { rejected: rejection };
  const source = findNode(graph, sourceId) as GraphNode;
  const target = findNode(graph, targetId) as GraphNode;

  let next = clone(graph);
  if (source.kind === 'transform' || source.kind === 'constant') {
    next.edges = next.edges.filter((edge) => edge.source !== source.id);
  }

  if (target.kind === 'canonical') {
    next = dropChain(next, target.id, ancestorsOf(next, source.id).add(source.id));
    next.edges.push({ id: nextId(next, 'edge'), source: source.id, target: target.id, order: 0 });
    setRule(next, target.id, (node) => node.rule ?? { order: nextRuleOrder(next) });
    return { graph: next };
  }

  const inputs = inputsOf(next, target.id);
  const joinsProviders = source.kind === 'provider' && inputs.every((edge) => findNode(next, edge.source)?.kind === 'provider');
  if (joinsProviders && inputs.some((edge) => edge.source === source.id)) return { graph };
  if (!joinsProviders) next.edges = next.edges.filter((edge) => edge.target !== target.id);

  const order = joinsProviders ? Math.max(-1, ...inputs.map((edge) => edge.order)) + 1 : 0;
  next.edges.push({ id: nextId(next, 'edge'), source: source.id, target: target.id, order });
  return { graph: next };
}

/** Removes one link. Transforms it leaves without input or output stay, flagged, until deleted. */
export function removeEdge(graph: MappingGraph, edgeId: string): EditResult {
  if (!graph.edges.some((edge) => edge.id === edgeId)) return { rejected: 'notFound' };
  const next = clone(graph);
  next.edges = next.edges.filter((edge) => edge.id !== edgeId);
  return { graph: next };
}

/**
 * Deletes a transform or constant node. A transform's inputs are linked to the node it fed,
 * so deleting a step keeps the rest of the chain. Field nodes cannot be deleted.
 */
export function removeNode(graph: MappingGraph, nodeId: string): EditResult {
  const node = findNode(graph, nodeId);
  if (!node) return { rejected: 'notFound' };
  if (node.kind === 'provider' || node.kind === 'canonical') return { rejected: 'fixedNode' };

  const next = clone(graph);
  const inputs = inputsOf(next, nodeId);
  const outputs = outputsOf(next, nodeId);
  next.nodes = next.nodes.filter((other) => other.id !== nodeId);
  next.edges = next.edges.filter((edge) => edge.source !== nodeId && edge.target !== nodeId);

  if (node.kind === 'transform') {
    for (const output of outputs) {
      for (const input of inputs) {
        next.edges.push({ id: nextId(next, 'edge'), source: input.source, target: output.target, order: input.order });
      }
    }
  }
  return { graph: next };
}

/** Removes a canonical field's rule: its links, and the transforms and constant only it used. */
export function unmapCanonical(graph: MappingGraph, canonicalId: string): EditResult {
  const node = findNode(graph, canonicalId);
  if (node?.kind !== 'canonical') return { rejected: 'notFound' };
  const next = dropChain(clone(graph), canonicalId, new Set());
  setRule(next, canonicalId, () => null);
  return { graph: next };
}

/**
 * Inserts a transform in front of a node: the node's inputs feed the transform and the
 * transform feeds the node. Inserting on a link does the same for the link's target, so a
 * transform put before a join of several fields runs on each of them.
 */
export function insertTransformBefore(graph: MappingGraph, nodeId: string, transform: Transform): EditResult & { nodeId?: string } {
  const node = findNode(graph, nodeId);
  if (!node) return { rejected: 'notFound' };
  if (node.kind === 'provider' || node.kind === 'constant') return { rejected: 'wrongDirection' };

  const next = clone(graph);
  const id = nextId(next, 'transform');
  next.nodes.push({ id, kind: 'transform', transform });
  next.edges = next.edges.map((edge) => (edge.target === nodeId ? { ...edge, target: id } : edge));
  next.edges.push({ id: nextId(next, 'edge'), source: id, target: nodeId, order: 0 });
  return { graph: next, nodeId: id };
}

/** Maps a canonical field to a fixed value, replacing its chain. */
export function setConstantInput(graph: MappingGraph, canonicalId: string, value: Scalar): EditResult & { nodeId?: string } {
  const node = findNode(graph, canonicalId);
  if (node?.kind !== 'canonical') return { rejected: 'notFound' };

  const next = dropChain(clone(graph), canonicalId, new Set());
  const id = nextId(next, 'constant');
  next.nodes.push({ id, kind: 'constant', value });
  next.edges.push({ id: nextId(next, 'edge'), source: id, target: canonicalId, order: 0 });
  setRule(next, canonicalId, (current) => current.rule ?? { order: nextRuleOrder(next) });
  return { graph: next, nodeId: id };
}

export function updateTransform(graph: MappingGraph, nodeId: string, transform: Transform): EditResult {
  const node = findNode(graph, nodeId);
  if (node?.kind !== 'transform') return { rejected: 'notFound' };
  return { graph: { ...graph, nodes: graph.nodes.map((other) => (other.id === nodeId ? { ...other, transform } as GraphNode : other)) } };
}

export function updateConstant(graph: MappingGraph, nodeId: string, value: Scalar): EditResult {
  const node = findNode(graph, nodeId);
  if (node?.kind !== 'constant') return { rejected: 'notFound' };
  return { graph: { ...graph, nodes: graph.nodes.map((other) => (other.id === nodeId ? { ...other, value } as GraphNode : other)) } };
}

/** Moves an input one place earlier (-1) or later (+1) among the inputs of its target. */
export function moveInput(graph: MappingGraph, edgeId: string, direction: -1 | 1): EditResult {
  const edge = graph.edges.find((candidate) => candidate.id === edgeId);
  if (!edge) return { rejected: 'notFound' };
  const siblings = inputsOf(graph, edge.target);
  const index = siblings.findIndex((candidate) => candidate.id === edgeId);
  const swapWith = siblings[index + direction];
  if (!swapWith) return { graph };

  const next = clone(graph);
  next.edges = next.edges.map((candidate) => {
    if (candidate.id === edge.id) return { ...candidate, order: swapWith.order };
    if (candidate.id === swapWith.id) return { ...candidate, order: edge.order };
    return candidate;
  });
  return { graph: next };
}

function clone(graph: MappingGraph): MappingGraph {
  return { ...graph, nodes: [...graph.nodes], edges: graph.edges.map((edge): GraphEdge => ({ ...edge })) };
}

/**
 * Removes the links into a canonical node and the transforms and constants upstream of it
 * that feed nothing else, except the nodes in `keep` (the new input and its own chain).
 */
function dropChain(graph: MappingGraph, canonicalId: string, keep: Set<string>): MappingGraph {
  const upstream = [...ancestorsOf(graph, canonicalId)].filter((id) => {
    const node = findNode(graph, id);
    return !keep.has(id) && (node?.kind === 'transform' || node?.kind === 'constant');
  });
  const exclusive = new Set(upstream.filter((id) => outputsOf(graph, id).every((edge) => edge.target === canonicalId || upstream.includes(edge.target))));

  return {
    ...graph,
    nodes: graph.nodes.filter((node) => !exclusive.has(node.id)),
    edges: graph.edges.filter((edge) => edge.target !== canonicalId && !exclusive.has(edge.source) && !exclusive.has(edge.target)),
  };
}

function setRule(graph: MappingGraph, canonicalId: string, update: (node: CanonicalNode) => CanonicalNode['rule']): void {
  graph.nodes = graph.nodes.map((node) => (node.id === canonicalId && node.kind === 'canonical' ? { ...node, rule: update(node) } : node));
}

function nextRuleOrder(graph: MappingGraph): number {
  let highest = -1;
  for (const node of graph.nodes) if (node.kind === 'canonical' && node.rule) highest = Math.max(highest, node.rule.order);
  return highest + 1;
}
