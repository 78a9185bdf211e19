import { describe, expect, it } from 'vitest';

import { keepUnchanged, sameNodeView, sameValue, type Flow, type NodeViewProps } from '../../studio/src/mapping/canvas/stable-flow.js';

// Shaped like the canvas's field nodes; React Flow's own types need the DOM library.
interface TestNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  measured?: { width: number; height: number };
  data: { side: string; label: string; typeText: string; tags: string[]; required: boolean; issues: string[]; pending: boolean };
}

function fieldNode(id: string, y: number, label = id): TestNode {
  return {
    id,
    type: 'field',
    position: { x: 0, y },
    measured: undefined,
    data: { side: 'provider', label, typeText: 'texto', tags: ['lista'], required: false, issues: [], pending: false },
  };
}

interface TestEdge {
  id: string;
  source: string;
  target: string;
}

function flowOf(nodes: TestNode[]): Flow<TestNode, TestEdge> {
  return { nodes, edges: [{ id: 'edge:1', source: nodes[0]?.id ?? '', target: 'canonical:email' }] };
}

describe('keepUnchanged', () => {
  it('keeps objects and arrays when nothing changed', () => {
    const previous = flowOf([fieldNode('provider:a', 0), fieldNode('provider:b', 50)]);
    const next = keepUnchanged(previous, flowOf([fieldNode('provider:a', 0), fieldNode('provider:b', 50)]));

    expect(next.nodes).toBe(previous.nodes);
    expect(next.edges).toBe(previous.edges);
  });

  it('replaces only changed nodes', () => {
    const previous = flowOf([fieldNode('provider:a', 0), fieldNode('provider:b', 50)]);
    const next = keepUnchanged(previous, flowOf([fieldNode('provider:a', 0), fieldNode('provider:b', 60)]));

    expect(next.nodes).not.toBe(previous.nodes);
    expect(next.nodes[0]).toBe(previous.nodes[0]);
    expect(next.nodes[1]).not.toBe(previous.nodes[1]);
    expect(next.nodes[1]?.position).toEqual({ x: 0, y: 60 });
    expect(next.edges).toBe(previous.edges);
  });

  it('keeps equal data of a moved node', () => {
    const previous = flowOf([fieldNode('provider:a', 0)]);
    const next = keepUnchanged(previous, flowOf([{ ...fieldNode('provider:a', 10), measured: { width: 250, height: 40 } }]));

    expect(next.nodes[0]).not.toBe(previous.nodes[0]);
    expect(next.nodes[0]?.data).toBe(previous.nodes[0]?.data);
    expect(next.nodes[0]?.measured).toEqual({ width: 250, height: 40 });
  });

  it('takes new data when it changed', () => {
    const previous = flowOf([fieldNode('provider:a', 0)]);
    const next = keepUnchanged(previous, flowOf([fieldNode('provider:a', 0, 'renamed')]));

    expect(next.nodes[0]?.data).not.toBe(previous.nodes[0]?.data);
    expect(next.nodes[0]?.data.label).toBe('renamed');
  });

  it('follows added, removed and reordered nodes', () => {
    const a = fieldNode('provider:a', 0);
    const b = fieldNode('provider:b', 50);
    const previous = flowOf([a, b]);

    const reordered = keepUnchanged(previous, flowOf([fieldNode('provider:b', 50), fieldNode('provider:a', 0)]));
    expect(reordered.nodes).not.toBe(previous.nodes);
    expect(reordered.nodes[0]).toBe(b);
    expect(reordered.nodes[1]).toBe(a);

    const removed = keepUnchanged(previous, flowOf([fieldNode('provider:a', 0)]));
    expect(removed.nodes).toEqual([a]);
    expect(removed.nodes[0]).toBe(a);

    const added = keepUnchanged(previous, flowOf([fieldNode('provider:a', 0), fieldNode('provider:b', 50), fieldNode('provider:c', 100)]));
    expect(added.nodes.length).toBe(3);
    expect(added.nodes[2]?.id).toBe('provider:c');
  });

  it('returns the new flow without a previous one', () => {
    const next = flowOf([fieldNode('provider:a', 0)]);
    expect(keepUnchanged(null, next)).toBe(next);
  });
});

describe('sameValue', () => {
  it('compares plain data by content', () => {
    expect(sameValue({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: null }, { a: undefined })).toBe(false);
    expect(sameValue([], {})).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
  });
});

describe('sameNodeView', () => {
  it('ignores position props', () => {
    const data = fieldNode('provider:a', 0).data;
    type Props = NodeViewProps & { positionAbsoluteY: number };
    const props: Props = { id: 'provider:a', data, selected: false, isConnectable: true, positionAbsoluteY: 0 };

    const moved: Props = { ...props, positionAbsoluteY: 90 };
    expect(sameNodeView(props, moved)).toBe(true);
    expect(sameNodeView(props, { ...props, selected: true })).toBe(false);
    expect(sameNodeView(props, { ...props, isConnectable: false })).toBe(false);
    expect(sameNodeView(props, { ...props, data: { ...data } })).toBe(false);
  });
});
