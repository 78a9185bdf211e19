import type { FieldMapping, FieldRule } from './definition.js';
import type { FieldCatalog } from './catalog.js';
import { canonicalNodeId, nextId, providerNodeId, type CanonicalNode, type GraphNode, type MappingGraph, type RuleInfo } from './graph.js';

const KNOWN_RULE_KEYS = new Set(['target', 'source', 'sources', 'constant', 'transforms', 'reverse']);
const KNOWN_MAPPING_KEYS = new Set(['object', 'canonicalObject', 'fields']);

/**
 * Builds the graph of a field mapping. With a catalogue, every provider and canonical field
 * it lists gets a node, mapped or not. Paths used by the mapping but missing from the
 * catalogue get nodes too, so nothing of the definition is lost.
 */
export function definitionToGraph(definition: FieldMapping, catalog?: Pick<FieldCatalog, 'providerFields' | 'canonicalFields'>): MappingGraph {
  const graph: MappingGraph = {
    object: definition.object,
    canonicalObject: definition.canonicalObject,
    nodes: [],
    edges: [],
    extra: pickUnknown(definition as unknown as Record<string, unknown>, KNOWN_MAPPING_KEYS),
  };

  for (const field of catalog?.providerFields ?? []) ensureProvider(graph, field.path);
  for (const field of catalog?.canonicalFields ?? []) ensureCanonical(graph, field.name);

  definition.fields.forEach((rule, order) => addRule(graph, rule, order));
  return graph;
}

function addRule(graph: MappingGraph, rule: FieldRule, order: number): void {
  const canonical = claimCanonical(graph, rule.target);
  canonical.rule = ruleInfo(rule, order);

  // The rule's inputs: one provider path, several, or a constant.
  let inputs: string[];
  if (rule.source !== undefined) {
    inputs = [ensureProvider(graph, rule.source)];
  } else if (rule.sources !== undefined) {
    inputs = rule.sources.map((path) => ensureProvider(graph, path));
  } else {
    const id = nextId(graph, 'constant');
    graph.nodes.push({ id, kind: 'constant', value: rule.constant ?? null });
    inputs = [id];
  }

  // Each transform reads the previous step; the last step feeds the canonical field.
  for (const transform of rule.transforms ?? []) {
    const id = nextId(graph, 'transform');
    graph.nodes.push({ id, kind: 'transform', transform });
    link(graph, inputs, id);
    inputs = [id];
  }
  link(graph, inputs, canonical.id);
}

function ruleInfo(rule: FieldRule, order: number): RuleInfo {
  const info: RuleInfo = { order };
  if (rule.reverse !== undefined) info.reverse = rule.reverse;
  if (rule.sources !== undefined && rule.sources.length === 1) info.sourcesForm = true;
  if (rule.transforms !== undefined && rule.transforms.length === 0) info.emptyTransforms = true;
  const extra = pickUnknown(rule as unknown as Record<string, unknown>, KNOWN_RULE_KEYS);
  if (Object.keys(extra).length > 0) info.extra = extra;
  return info;
}

function link(graph: MappingGraph, sources: string[], target: string): void {
  sources.forEach((source, order) => {
    graph.edges.push({ id: nextId(graph, 'edge'), source, target, order });
  });
}

function ensureProvider(graph: MappingGraph, path: string): string {
  const id = providerNodeId(path);
  if (!graph.nodes.some((node) => node.id === id)) graph.nodes.push({ id, kind: 'provider', path });
  return id;
}

function ensureCanonical(graph: MappingGraph, target: string): CanonicalNode {
  const id = canonicalNodeId(target);
  const existing = graph.nodes.find((node): node is CanonicalNode => node.id === id && node.kind === 'canonical');
  if (existing) return existing;
  const created: CanonicalNode = { id, kind: 'canonical', target, rule: null };
  graph.nodes.push(created);
  return created;
}

/**
 * Returns the canonical node a rule writes. A second rule for the same target (which the
 * platform rejects as overlapping) gets its own node, so the studio can show and fix it.
 */
function claimCanonical(graph: MappingGraph, target: string): CanonicalNode {
  const node = ensureCanonical(graph, target);
  if (node.rule === null) return node;

  let copy = 2;
  while (graph.nodes.some((other: GraphNode) => other.id === `${node.id}~${copy}`)) copy += 1;
  const duplicate: CanonicalNode = { id: `${node.id}~${copy}`, kind: 'canonical', target, rule: null };
  graph.nodes.push(duplicate);
  return duplicate;
}

function pickUnknown(value: Record<string, unknown>, known: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !known.has(key)));
}
