import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { FieldMapping } from '../../studio/src/mapping/model/definition.js';
import { diffMappings } from '../../studio/src/mapping/model/diff.js';
import { connect, insertTransformBefore, moveInput, removeEdge, removeNode, setConstantInput, unmapCanonical } from '../../studio/src/mapping/model/graph-edit.js';
import { canonicalNodeId, providerNodeId, type MappingGraph } from '../../studio/src/mapping/model/graph.js';
import { layoutGraph } from '../../studio/src/mapping/model/layout.js';
import { graphToDefinition } from '../../studio/src/mapping/model/to-definition.js';
import { definitionToGraph } from '../../studio/src/mapping/model/to-graph.js';
import { record, redo, startHistory, undo } from '../../studio/src/mapping/model/undo-history.js';
import { validateGraph } from '../../studio/src/mapping/model/validate.js';
import type { FieldCatalog } from '../../studio/src/mapping/model/catalog.js';

/** A mapping that uses every transform kind, every input form and write-back settings. */
const EVERY_KIND: FieldMapping = {
  object: 'orders',
  canonicalObject: 'order',
  fields: [
    { target: 'createdAt', source: 'created', transforms: [{ type: 'date', from: 'epochSeconds', to: 'localDateTime', timeZone: 'America/Sao_Paulo' }] },
    { target: 'status', source: 'state', transforms: [{ type: 'trim' }, { type: 'case', to: 'lower' }, { type: 'valueMap', map: { paid: 'paid', '1': true, x: null }, otherwise: 'null' }] },
    { target: 'currency', source: 'currency', transforms: [{ type: 'default', value: 'BRL' }, { type: 'case', to: 'upper' }], reverse: false },
    { target: 'customerName', sources: ['billing.first', 'billing.last'], transforms: [{ type: 'concat', separator: ' ', skipEmpty: true }] },
    { target: 'tags', source: 'tagText', transforms: [{ type: 'split', separator: ',' }] },
    { target: 'number', source: 'name', transforms: [{ type: 'split', separator: '#', index: -1 }, { type: 'convert', to: 'integer' }], reverse: { target: 'name', transforms: [{ type: 'convert', to: 'string' }] } },
    { target: 'customerId', source: 'customer.id', transforms: [{ type: 'lookup', canonicalObject: 'customer' }] },
    { target: 'customerEmail', source: 'customer.id', transforms: [{ type: 'lookup', canonicalObject: 'customer', field: 'email' }], reverse: [{ target: 'email' }] },
    { target: 'source', constant: 'shopify' },
    { target: 'discount', constant: null, transforms: [{ type: 'default', value: 0 }] },
    { target: 'lineItems[].sku', source: 'line_items[].sku' },
    { target: 'note', sources: ['note'], transforms: [] },
  ],
};

const CATALOG: FieldCatalog = {
  providerFields: [
    { path: 'created', type: 'integer', source: 'schema', isArray: false },
    { path: 'state', type: 'string', source: 'schema', isArray: false },
    { path: 'total', type: 'string', source: 'seen', isArray: false },
  ],
  canonicalFields: [
    { name: 'createdAt', type: 'string', required: false, format: 'date-time' },
    { name: 'status', type: 'string', required: true },
    { name: 'total', type: 'number', required: true },
    { name: 'orderedAt', type: 'string', required: false, format: 'date' },
  ],
  transforms: [],
};

function roundTrip(definition: FieldMapping, catalog?: FieldCatalog): FieldMapping {
  return graphToDefinition(definitionToGraph(definition, catalog)).definition;
}

function edited(result: { graph: MappingGraph } | { rejected: string }): MappingGraph {
  if ('rejected' in result) throw new Error(`edit rejected: ${result.rejected}`);
  return result.graph;
}

describe('definition to graph and back', () => {
  it('keeps every transform kind', () => {
    expect(roundTrip(EVERY_KIND)).toEqual(EVERY_KIND);
  });

  it('keeps everything with a catalogue', () => {
    expect(roundTrip(EVERY_KIND, CATALOG)).toEqual(EVERY_KIND);
  });

  it('covers every transform kind', () => {
    const kinds = new Set(EVERY_KIND.fields.flatMap((rule) => (rule.transforms ?? []).map((transform) => transform.type)));
    expect([...kinds].sort()).toEqual(['case', 'concat', 'convert', 'date', 'default', 'lookup', 'split', 'trim', 'valueMap']);
  });

  it('keeps the HubSpot default mappings', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../connectors/hubspot/manifest.json', import.meta.url), 'utf8'));
    for (const mapping of manifest.mappings as FieldMapping[]) expect(roundTrip(mapping)).toEqual(mapping);
  });

  it('keeps rule order', () => {
    const reversed = { ...EVERY_KIND, fields: [...EVERY_KIND.fields].reverse() };
    expect(roundTrip(reversed).fields.map((rule) => rule.target)).toEqual(reversed.fields.map((rule) => rule.target));
  });

  it('keeps unknown keys', () => {
    const withExtra = { ...EVERY_KIND, note: 'x', fields: [{ target: 'a', source: 'b', comment: 'kept' }] } as unknown as FieldMapping;
    expect(roundTrip(withExtra)).toEqual(withExtra);
  });

  it('keeps a duplicated target', () => {
    const duplicated: FieldMapping = { object: 'o', canonicalObject: 'contact', fields: [{ target: 'email', source: 'a' }, { target: 'email', source: 'b' }] };
    const graph = definitionToGraph(duplicated);
    expect(graphToDefinition(graph).definition).toEqual(duplicated);
    expect(validateGraph(graph, null).map((issue) => issue.code)).toContain('duplicateTarget');
  });

  it('shares one provider node between rules', () => {
    const graph = definitionToGraph(EVERY_KIND);
    expect(graph.nodes.filter((node) => node.id === providerNodeId('customer.id'))).toHaveLength(1);
  });

  it('adds catalogue fields unmapped', () => {
    const graph = definitionToGraph(EVERY_KIND, CATALOG);
    expect(graph.nodes.some((node) => node.id === providerNodeId('total'))).toBe(true);
    expect(graph.nodes.some((node) => node.id === canonicalNodeId('orderedAt'))).toBe(true);
    expect(graphToDefinition(graph).definition.fields.some((rule) => rule.target === 'orderedAt')).toBe(false);
  });
});

describe('graph edits', () => {
  const base = definitionToGraph(EVERY_KIND, CATALOG);

  it('connects a provider field to a canonical field', () => {
    const graph = edited(connect(base, providerNodeId('total'), canonicalNodeId('total')));
    const rule = graphToDefinition(graph).definition.fields.at(-1);
    expect(rule).toEqual({ target: 'total', source: 'total' });
  });

  it('inserts a transform on a link', () => {
    const linked = edited(connect(base, providerNodeId('created'), canonicalNodeId('orderedAt')));
    const result = insertTransformBefore(linked, canonicalNodeId('orderedAt'), { type: 'date', from: 'epochSeconds', to: 'date', timeZone: 'America/Sao_Paulo' });
    const rule = graphToDefinition(edited(result)).definition.fields.find((candidate) => candidate.target === 'orderedAt');
    expect(rule).toEqual({ target: 'orderedAt', source: 'created', transforms: [{ type: 'date', from: 'epochSeconds', to: 'date', timeZone: 'America/Sao_Paulo' }] });
  });

  it('replaces a mapped chain', () => {
    const graph = edited(connect(base, providerNodeId('total'), canonicalNodeId('status')));
    const rule = graphToDefinition(graph).definition.fields.find((candidate) => candidate.target === 'status');
    expect(rule).toEqual({ target: 'status', source: 'total' });
    expect(graph.nodes.filter((node) => node.kind === 'transform')).toHaveLength(base.nodes.filter((node) => node.kind === 'transform').length - 3);
  });

  it('keeps the rule position on replace', () => {
    const graph = edited(connect(base, providerNodeId('total'), canonicalNodeId('status')));
    expect(graphToDefinition(graph).definition.fields[1]?.target).toBe('status');
  });

  it('joins provider fields on a transform', () => {
    const concat = base.nodes.find((node) => node.kind === 'transform' && node.transform.type === 'concat');
    const graph = edited(connect(base, providerNodeId('total'), concat?.id ?? ''));
    const rule = graphToDefinition(graph).definition.fields.find((candidate) => candidate.target === 'customerName');
    expect(rule?.sources).toEqual(['billing.first', 'billing.last', 'total']);
  });

  it('reorders joined inputs', () => {
    const concat = base.nodes.find((node) => node.kind === 'transform' && node.transform.type === 'concat');
    const first = base.edges.find((edge) => edge.target === concat?.id && edge.source === providerNodeId('billing.first'));
    const graph = edited(moveInput(base, first?.id ?? '', 1));
    const rule = graphToDefinition(graph).definition.fields.find((candidate) => candidate.target === 'customerName');
    expect(rule?.sources).toEqual(['billing.last', 'billing.first']);
  });

  it('deletes a middle transform', () => {
    const trim = base.nodes.find((node) => node.kind === 'transform' && node.transform.type === 'trim');
    const graph = edited(removeNode(base, trim?.id ?? ''));
    const rule = graphToDefinition(graph).definition.fields.find((candidate) => candidate.target === 'status');
    expect(rule?.transforms?.map((transform) => transform.type)).toEqual(['case', 'valueMap']);
  });

  it('refuses to delete a field', () => {
    expect(removeNode(base, providerNodeId('state'))).toEqual({ rejected: 'fixedNode' });
  });

  it('refuses a link into a provider', () => {
    expect(connect(base, canonicalNodeId('status'), providerNodeId('state'))).toEqual({ rejected: 'wrongDirection' });
  });

  it('refuses a loop', () => {
    const trim = base.nodes.find((node) => node.kind === 'transform' && node.transform.type === 'trim');
    const valueMap = base.nodes.find((node) => node.kind === 'transform' && node.transform.type === 'valueMap');
    expect(connect(base, valueMap?.id ?? '', trim?.id ?? '')).toEqual({ rejected: 'wouldLoop' });
  });

  it('unmaps a canonical field', () => {
    const graph = edited(unmapCanonical(base, canonicalNodeId('status')));
    expect(graphToDefinition(graph).definition.fields.some((rule) => rule.target === 'status')).toBe(false);
    expect(validateGraph(graph, CATALOG).some((issue) => issue.nodeId === canonicalNodeId('status') && issue.code === 'requiredUnmapped')).toBe(true);
  });

  it('leaves a rule out when a link is removed', () => {
    const link = base.edges.find((edge) => edge.target === canonicalNodeId('createdAt'));
    const graph = edited(removeEdge(base, link?.id ?? ''));
    expect(graphToDefinition(graph).definition.fields.some((rule) => rule.target === 'createdAt')).toBe(false);
    expect(validateGraph(graph, CATALOG).some((issue) => issue.code === 'noOutput')).toBe(true);
  });

  it('sets a constant', () => {
    const graph = edited(setConstantInput(base, canonicalNodeId('total'), 10));
    expect(graphToDefinition(graph).definition.fields.find((rule) => rule.target === 'total')).toEqual({ target: 'total', constant: 10 });
  });

  it('leaves the old graph unchanged', () => {
    const before = JSON.stringify(base);
    edited(connect(base, providerNodeId('total'), canonicalNodeId('status')));
    expect(JSON.stringify(base)).toBe(before);
  });
});

describe('validation', () => {
  it('flags a type mismatch', () => {
    const graph = edited(connect(definitionToGraph(EVERY_KIND, CATALOG), providerNodeId('total'), canonicalNodeId('total')));
    const issue = validateGraph(graph, CATALOG).find((candidate) => candidate.nodeId === canonicalNodeId('total'));
    expect(issue).toMatchObject({ code: 'typeMismatch', params: { produced: 'string', expected: 'number' } });
  });

  it('accepts a conversion', () => {
    const linked = edited(connect(definitionToGraph(EVERY_KIND, CATALOG), providerNodeId('total'), canonicalNodeId('total')));
    const graph = edited(insertTransformBefore(linked, canonicalNodeId('total'), { type: 'convert', to: 'number' }));
    expect(validateGraph(graph, CATALOG).filter((issue) => issue.nodeId === canonicalNodeId('total'))).toEqual([]);
  });

  it('flags a missing parameter', () => {
    const linked = edited(connect(definitionToGraph(EVERY_KIND, CATALOG), providerNodeId('state'), canonicalNodeId('orderedAt')));
    const result = insertTransformBefore(linked, canonicalNodeId('orderedAt'), { type: 'split' } as never);
    const issues = validateGraph(edited(result), CATALOG).filter((issue) => issue.nodeId === result.nodeId);
    expect(issues).toEqual([{ nodeId: result.nodeId, severity: 'error', code: 'missingParameter', params: { transform: 'split', parameter: 'separator' } }]);
  });

  it('flags a bad time zone', () => {
    const definition: FieldMapping = { object: 'o', canonicalObject: 'order', fields: [{ target: 'createdAt', source: 'created', transforms: [{ type: 'date', from: 'epochSeconds', to: 'iso8601', timeZone: 'Mars/Olympus' }] }] };
    expect(validateGraph(definitionToGraph(definition, CATALOG), CATALOG).map((issue) => issue.code)).toContain('invalidTimeZone');
  });

  it('flags a date format mismatch', () => {
    const definition: FieldMapping = { object: 'o', canonicalObject: 'order', fields: [{ target: 'orderedAt', source: 'created', transforms: [{ type: 'date', from: 'epochSeconds', to: 'iso8601' }] }] };
    const issue = validateGraph(definitionToGraph(definition, CATALOG), CATALOG).find((candidate) => candidate.nodeId === canonicalNodeId('orderedAt'));
    expect(issue).toMatchObject({ code: 'formatMismatch', severity: 'warning' });
  });
});

describe('layout', () => {
  it('places no two nodes on top of each other', () => {
    const graph = definitionToGraph(EVERY_KIND, CATALOG);
    const positions = layoutGraph(graph, { sizes: new Map(), hidden: new Set(), manual: {}, providerOrder: [] });
    const boxes = graph.nodes.map((node) => ({ id: node.id, ...(positions[node.id] as { x: number; y: number }), width: node.kind === 'transform' || node.kind === 'constant' ? 175 : 250, height: 40 }));
    const overlaps = boxes.flatMap((a, index) => boxes.slice(index + 1).filter((b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).map((b) => `${a.id} / ${b.id}`));
    expect(overlaps).toEqual([]);
  });
});

describe('version diff', () => {
  it('lists added, removed and changed rules', () => {
    const before: FieldMapping = { object: 'o', canonicalObject: 'contact', fields: [{ target: 'a', source: 'x' }, { target: 'b', source: 'y' }] };
    const after: FieldMapping = { object: 'o', canonicalObject: 'contact', fields: [{ target: 'a', source: 'x', transforms: [{ type: 'trim' }] }, { target: 'c', constant: 1 }] };
    expect(diffMappings(before, after).map((change) => [change.kind, change.target, change.parts])).toEqual([
      ['changed', 'a', ['transforms']],
      ['added', 'c', []],
      ['removed', 'b', []],
    ]);
  });

  it('ignores key order', () => {
    const before: FieldMapping = { object: 'o', canonicalObject: 'contact', fields: [{ target: 'a', source: 'x', transforms: [{ type: 'date', from: 'iso8601', to: 'date' }] }] };
    const after = JSON.parse(JSON.stringify(before).replace('"from":"iso8601","to":"date"', '"to":"date","from":"iso8601"')) as FieldMapping;
    expect(diffMappings(before, after)).toEqual([]);
  });
});

describe('undo history', () => {
  it('undoes and redoes', () => {
    let history = startHistory(1);
    history = record(history, 2);
    history = record(history, 3);
    history = undo(history);
    expect(history.present).toBe(2);
    history = redo(history);
    expect(history.present).toBe(3);
  });

  it('drops redo after an edit', () => {
    const history = record(undo(record(startHistory(1), 2)), 5);
    expect(history.future).toEqual([]);
    expect(history.present).toBe(5);
  });
});
