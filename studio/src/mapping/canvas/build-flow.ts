import type { Edge } from '@xyflow/react';

import type { I18n } from '../../i18n/i18n.js';
import { issueMessage, scalarText, transformLabel, transformSummary, typeLabel } from '../describe.js';
import { mainType, type CanonicalField, type FieldCatalog, type ProviderField } from '../model/catalog.js';
import type { GraphNode, MappingGraph } from '../model/graph.js';
import { isHiddenStep, layoutGraph, type Point, type Size } from '../model/layout.js';
import type { Issue } from '../model/validate.js';
import type { Selection } from '../use-mapping-editor.js';
import type { NodeIssueView, StudioFlowNode } from './node-data.js';

export interface BuildFlowOptions {
  graph: MappingGraph;
  catalog: FieldCatalog | null;
  issues: Issue[];
  i18n: I18n;
  selection: Selection;
  pendingSource: string | null;
  search: string;
  sizes: ReadonlyMap<string, Size>;
  manual: Readonly<Record<string, Point>>;
  providerOrder: readonly string[];
  readOnly: boolean;
}

/** Turns the draft graph into React Flow nodes and edges, laid out and labelled. */
export function buildFlow(options: BuildFlowOptions): { nodes: StudioFlowNode[]; edges: Edge[] } {
  const { graph, catalog, i18n, selection } = options;
  const hidden = hiddenBySearch(graph, options.search);
  const positions = layoutGraph(graph, { sizes: options.sizes, hidden, manual: options.manual, providerOrder: options.providerOrder });

  // Lookups by key, because a wide mapping has hundreds of fields and a scan per node is quadratic.
  const providerFields = firstByKey(catalog?.providerFields ?? [], (field: ProviderField) => field.path);
  const canonicalFields = firstByKey(catalog?.canonicalFields ?? [], (field: CanonicalField) => field.name);
  const graphNodes = firstByKey(graph.nodes, (node: GraphNode) => node.id);
  const issuesByNode = new Map<string, Issue[]>();
  for (const issue of options.issues) {
    const list = issuesByNode.get(issue.nodeId);
    if (list) list.push(issue);
    else issuesByNode.set(issue.nodeId, [issue]);
  }
  const issueViews = (id: string): NodeIssueView[] => (issuesByNode.get(id) ?? []).map((issue) => ({ text: issueMessage(i18n, issue, catalog), severity: issue.severity }));

  const nodes: StudioFlowNode[] = [];
  for (const node of graph.nodes) {
    const isHidden = node.kind === 'provider' || node.kind === 'canonical' ? hidden.has(node.id) : isHiddenStep(graph, node.id, hidden);
    const common = {
      id: node.id,
      position: positions[node.id] ?? { x: 0, y: 0 },
      hidden: isHidden,
      selected: selection?.kind === 'node' && selection.id === node.id,
      measured: options.sizes.get(node.id),
      connectable: !options.readOnly,
      deletable: false,
      ariaLabel: undefined as string | undefined,
    };

    if (node.kind === 'provider') {
      const field = providerFields.get(node.path);
      const tags = [field?.isArray ? i18n.t('canvas.tagList') : '', field?.source === 'seen' ? i18n.t('canvas.tagSeen') : '', field ? '' : i18n.t('canvas.tagNotInCatalog')].filter(Boolean);
      nodes.push({
        ...common,
        type: 'field',
        draggable: false,
        ariaLabel: i18n.t('canvas.providerAria', { field: node.path }),
        data: { side: 'provider', label: node.path, typeText: typeLabel(i18n, mainType(field?.type)), tags, required: false, issues: issueViews(node.id), pending: options.pendingSource === node.id, description: field?.description },
      });
    } else if (node.kind === 'canonical') {
      const field = canonicalFields.get(node.target);
      // NOTE: a custom field such as `customFields.origin` is a valid target but gets the "not in
      // catalogue" tag, because the catalogue lists only the `customFields` map itself.
      const tags = [field?.required ? i18n.t('canvas.tagRequired') : '', field ? '' : i18n.t('canvas.tagNotInCatalog')].filter(Boolean);
      nodes.push({
        ...common,
        type: 'field',
        draggable: false,
        ariaLabel: i18n.t('canvas.canonicalAria', { field: node.target }),
        data: { side: 'canonical', label: node.target, typeText: typeLabel(i18n, mainType(field?.type)), tags, required: field?.required ?? false, issues: issueViews(node.id), pending: false, description: field?.description },
      });
    } else if (node.kind === 'transform') {
      const label = transformLabel(i18n, node.transform.type, catalog);
      nodes.push({
        ...common,
        type: 'step',
        draggable: !options.readOnly,
        ariaLabel: i18n.t('canvas.transformAria', { transform: label }),
        data: { kind: 'transform', label, summary: transformSummary(i18n, node.transform, catalog), issues: issueViews(node.id), pending: options.pendingSource === node.id },
      });
    } else {
      nodes.push({
        ...common,
        type: 'step',
        draggable: !options.readOnly,
        ariaLabel: i18n.t('canvas.constantAria'),
        data: { kind: 'constant', label: i18n.t('canvas.constant'), summary: scalarText(i18n, node.value), issues: issueViews(node.id), pending: options.pendingSource === node.id },
      });
    }
  }

  const edges: Edge[] = graph.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    selected: selection?.kind === 'edge' && selection.id === edge.id,
    deletable: false,
    focusable: true,
    ariaLabel: i18n.t('canvas.edgeAria', { source: labelOf(graphNodes.get(edge.source), edge.source, i18n, catalog), target: labelOf(graphNodes.get(edge.target), edge.target, i18n, catalog) }),
    className: 'mapping-edge',
    interactionWidth: 16,
  }));
  return { nodes, edges };
}

function labelOf(node: GraphNode | undefined, id: string, i18n: I18n, catalog: FieldCatalog | null): string {
  if (!node) return id;
  if (node.kind === 'provider') return node.path;
  if (node.kind === 'canonical') return node.target;
  if (node.kind === 'transform') return transformLabel(i18n, node.transform.type, catalog);
  return i18n.t('canvas.constant');
}

/** Indexes items by key; the first item with a key wins, as `Array.find` would return it. */
function firstByKey<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  const index = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (!index.has(key)) index.set(key, item);
  }
  return index;
}

/** Field nodes whose path does not contain the search text (any case). */
function hiddenBySearch(graph: MappingGraph, search: string): Set<string> {
  const needle = search.trim().toLocaleLowerCase();
  const hidden = new Set<string>();
  if (!needle) return hidden;
  for (const node of graph.nodes) {
    if (node.kind === 'provider' && !node.path.toLocaleLowerCase().includes(needle)) hidden.add(node.id);
    if (node.kind === 'canonical' && !node.target.toLocaleLowerCase().includes(needle)) hidden.add(node.id);
  }
  return hidden;
}
