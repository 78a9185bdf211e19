import { readChain, type ChainProblem } from './chain.js';
import type { FieldMapping, FieldRule } from './definition.js';
import type { CanonicalNode, MappingGraph } from './graph.js';

export interface GraphConversion {
  definition: FieldMapping;
  /** Canonical fields whose inputs do not form a rule; they are left out of `definition`. */
  broken: { canonicalId: string; nodeId: string; reason: ChainProblem }[];
}

/**
 * Builds the field mapping a graph describes: one rule per canonical node that has an input,
 * in the order the rules had when they were loaded, new rules last.
 */
export function graphToDefinition(graph: MappingGraph): GraphConversion {
  const canonicals = graph.nodes.filter((node): node is CanonicalNode => node.kind === 'canonical');
  const ordered = canonicals
    .map((node, position) => ({ node, position }))
    .sort((a, b) => (a.node.rule?.order ?? Infinity) - (b.node.rule?.order ?? Infinity) || a.position - b.position);

  const fields: FieldRule[] = [];
  const broken: GraphConversion['broken'] = [];
  for (const { node } of ordered) {
    const chain = readChain(graph, node);
    if (chain.kind === 'empty') continue;
    if (chain.kind === 'broken') {
      broken.push({ canonicalId: node.id, nodeId: chain.nodeId, reason: chain.reason });
      continue;
    }

    const rule: FieldRule = { target: node.target };
    if (chain.kind === 'constant') rule.constant = chain.value;
    else if (chain.paths.length === 1 && !node.rule?.sourcesForm) rule.source = chain.paths[0] as string;
    else rule.sources = chain.paths;

    if (chain.transforms.length > 0 || node.rule?.emptyTransforms) rule.transforms = chain.transforms;
    if (node.rule?.reverse !== undefined) rule.reverse = node.rule.reverse;
    fields.push({ ...node.rule?.extra, ...rule });
  }

  const definition = { ...graph.extra, object: graph.object, canonicalObject: graph.canonicalObject, fields } as FieldMapping;
  return { definition, broken };
}
