import { useCallback, useMemo, useState } from 'react';

import type { FieldCatalog } from './model/catalog.js';
import type { FieldMapping, Scalar, Transform } from './model/definition.js';
import { stableJson } from './model/diff.js';
import { findNode, type MappingGraph } from './model/graph.js';
import {
  connect as connectNodes,
  insertTransformBefore,
  moveInput,
  removeEdge,
  removeNode,
  setConstantInput,
  unmapCanonical,
  updateConstant,
  updateTransform,
  type EditRejection,
  type EditResult,
} from './model/graph-edit.js';
import { orderProviders, type Point } from './model/layout.js';
import { graphToDefinition } from './model/to-definition.js';
import { definitionToGraph } from './model/to-graph.js';
import { record, redo, startHistory, undo, type UndoHistory } from './model/undo-history.js';

export type Selection = { kind: 'node'; id: string } | { kind: 'edge'; id: string } | null;

export interface LoadedMapping {
  definition: FieldMapping;
  version: number;
}

/**
 * The state of the mapping canvas: the draft graph with its undo history, the selection, the
 * positions a person gave to steps, and the saved version the draft is based on.
 */
export function useMappingEditor(catalog: FieldCatalog | null) {
  const [saved, setSaved] = useState<LoadedMapping | null>(null);
  const [history, setHistory] = useState<UndoHistory<MappingGraph> | null>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [manual, setManual] = useState<Record<string, Point>>({});
  const [providerOrder, setProviderOrder] = useState<string[]>([]);
  const [rejection, setRejection] = useState<EditRejection | null>(null);

  /** Replaces the draft with a saved version and forgets the undo history. */
  const load = useCallback(
    (mapping: LoadedMapping) => {
      const graph = definitionToGraph(mapping.definition, catalog ?? undefined);
      setSaved(mapping);
      setHistory(startHistory(graph));
      setSelection(null);
      setManual({});
      setProviderOrder(orderProviders(graph));
    },
    [catalog],
  );

  const graph = history?.present ?? null;
  const conversion = useMemo(() => (graph ? graphToDefinition(graph) : null), [graph]);
  const dirty = useMemo(() => {
    if (!conversion || !saved) return false;
    return stableJson(conversion.definition) !== stableJson(saved.definition);
  }, [conversion, saved]);

  /** Applies an edit to the draft as one undo step; a rejected edit changes nothing. */
  const apply = useCallback((edit: (current: MappingGraph) => EditResult & { nodeId?: string }, select?: 'result') => {
    setHistory((current) => {
      if (!current) return current;
      const result = edit(current.present);
      if ('rejected' in result) {
        setRejection(result.rejected);
        return current;
      }
      setRejection(null);
      if (select === 'result' && result.nodeId) setSelection({ kind: 'node', id: result.nodeId });
      return record(current, result.graph);
    });
  }, []);

  const actions = useMemo(
    () => ({
      connect: (source: string, target: string) => apply((current) => connectNodes(current, source, target)),
      insertTransformBefore: (nodeId: string, transform: Transform) => apply((current) => insertTransformBefore(current, nodeId, transform), 'result'),
      setConstant: (canonicalId: string, value: Scalar) => apply((current) => setConstantInput(current, canonicalId, value), 'result'),
      updateTransform: (nodeId: string, transform: Transform) => apply((current) => updateTransform(current, nodeId, transform)),
      updateConstant: (nodeId: string, value: Scalar) => apply((current) => updateConstant(current, nodeId, value)),
      moveInput: (edgeId: string, direction: -1 | 1) => apply((current) => moveInput(current, edgeId, direction)),
      unmap: (canonicalId: string) => apply((current) => unmapCanonical(current, canonicalId)),
      /** Deletes the selected step or link; on a canonical field it removes the field's rule. */
      deleteSelection: () => {
        if (!selection || !graph) return;
        if (selection.kind === 'edge') {
          apply((current) => removeEdge(current, selection.id));
          setSelection(null);
          return;
        }
        const node = findNode(graph, selection.id);
        if (node?.kind === 'canonical') apply((current) => unmapCanonical(current, selection.id));
        else if (node?.kind === 'transform' || node?.kind === 'constant') {
          apply((current) => removeNode(current, selection.id));
          setSelection(null);
        } else setRejection('fixedNode');
      },
      undo: () => setHistory((current) => (current ? undo(current) : current)),
      redo: () => setHistory((current) => (current ? redo(current) : current)),
      autoLayout: () => {
        if (!graph) return;
        setManual({});
        setProviderOrder(orderProviders(graph));
      },
      moveStep: (nodeId: string, position: Point) => setManual((current) => ({ ...current, [nodeId]: position })),
    }),
    [apply, graph, selection],
  );

  return {
    saved,
    graph,
    conversion,
    dirty,
    canUndo: (history?.past.length ?? 0) > 0,
    canRedo: (history?.future.length ?? 0) > 0,
    selection,
    setSelection,
    manual,
    providerOrder,
    rejection,
    clearRejection: () => setRejection(null),
    load,
    markSaved: (mapping: LoadedMapping) => setSaved(mapping),
    ...actions,
  };
}

export type MappingEditor = ReturnType<typeof useMappingEditor>;
