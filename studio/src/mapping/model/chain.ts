import type { Scalar, Transform } from './definition.js';
import { findNode, inputsOf, type CanonicalNode, type MappingGraph } from './graph.js';

/** The rule a canonical node's inputs describe, read backwards from the node. */
export type Chain =
  | { kind: 'empty' }
  | { kind: 'paths'; paths: string[]; transforms: Transform[]; transformIds: string[] }
  | { kind: 'constant'; value: Scalar; transforms: Transform[]; transformIds: string[] }
  | { kind: 'broken'; reason: ChainProblem; nodeId: string };

/**
 * Why a chain is not a rule: a transform without an input, a step whose inputs mix provider
 * fields with other steps, or a loop.
 */
export type ChainProblem = 'noInput' | 'mixedInputs' | 'loop';

/**
 * Reads the chain that ends at a canonical node: walks back through transforms that each
 * have one transform input, until it reaches provider fields (one or more) or a constant.
 */
export function readChain(graph: MappingGraph, canonical: CanonicalNode): Chain {
  const transforms: Transform[] = [];
  const transformIds: string[] = [];
  const visited = new Set<string>([canonical.id]);
  let current = canonical.id;

  for (;;) {
    const inputs = inputsOf(graph, current);
    if (inputs.length === 0) {
      return current === canonical.id ? { kind: 'empty' } : { kind: 'broken', reason: 'noInput', nodeId: current };
    }

    const sources = inputs.map((edge) => findNode(graph, edge.source));
    if (sources.every((node) => node?.kind === 'provider')) {
      const paths = sources.map((node) => (node?.kind === 'provider' ? node.path : ''));
      return { kind: 'paths', paths, transforms, transformIds };
    }

    const [only] = sources;
    if (sources.length !== 1 || only === undefined) return { kind: 'broken', reason: 'mixedInputs', nodeId: current };
    if (only.kind === 'constant') return { kind: 'constant', value: only.value, transforms, transformIds };
    if (only.kind !== 'transform') return { kind: 'broken', reason: 'mixedInputs', nodeId: current };
    if (visited.has(only.id)) return { kind: 'broken', reason: 'loop', nodeId: only.id };

    visited.add(only.id);
    transforms.unshift(only.transform);
    transformIds.unshift(only.id);
    current = only.id;
  }
}
