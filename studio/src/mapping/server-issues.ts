import { canonicalNodeId, type MappingGraph } from './model/graph.js';
import { readChain } from './model/chain.js';
import type { Issue } from './model/validate.js';

/**
 * Places the problems of a rejected save on the nodes they concern. A problem's path is a
 * JSON pointer into the request, such as "/definition/fields/3/transforms/0". Rule 3 is the
 * fourth rule of the saved definition, so its canonical node is found by target.
 */
export function serverIssues(graph: MappingGraph, problems: { path: string; message: string }[], fields?: { target: string }[]): Issue[] {
  return problems.map((problem) => {
    const match = /\/fields\/(\d+)(?:\/transforms\/(\d+))?/.exec(problem.path);
    const rule = match ? fields?.[Number(match[1])] ?? ruleByOrder(graph, Number(match[1])) : undefined;
    let nodeId = rule ? canonicalNodeId(rule.target) : firstCanonical(graph);
    if (rule && match?.[2] !== undefined) {
      const node = graph.nodes.find((candidate) => candidate.id === nodeId);
      const chain = node?.kind === 'canonical' ? readChain(graph, node) : null;
      if (chain && (chain.kind === 'paths' || chain.kind === 'constant')) nodeId = chain.transformIds[Number(match[2])] ?? nodeId;
    }
    return { nodeId, severity: 'error', code: 'server', params: { message: problem.message } };
  });
}

function ruleByOrder(graph: MappingGraph, index: number): { target: string } | undefined {
  const rules = graph.nodes
    .filter((node) => node.kind === 'canonical' && node.rule !== null && readChain(graph, node).kind !== 'empty')
    .sort((a, b) => (a.kind === 'canonical' && b.kind === 'canonical' ? (a.rule?.order ?? 0) - (b.rule?.order ?? 0) : 0));
  const node = rules[index];
  return node?.kind === 'canonical' ? { target: node.target } : undefined;
}

function firstCanonical(graph: MappingGraph): string {
  return graph.nodes.find((node) => node.kind === 'canonical')?.id ?? '';
}
