import {
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeMouseHandler,
  type NodeChange,
  type NodeMouseHandler,
  type ReactFlowInstance,
} from '@xyflow/react';
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';

import { useI18n } from '../../i18n/i18n.js';
import type { FieldCatalog } from '../model/catalog.js';
import { checkConnection } from '../model/graph-edit.js';
import { findNode } from '../model/graph.js';
import { COLUMN, type Size } from '../model/layout.js';
import type { Issue } from '../model/validate.js';
import type { MappingEditor } from '../use-mapping-editor.js';
import { buildFlow } from './build-flow.js';
import { FieldNodeView } from './FieldNodeView.js';
import type { StudioFlowNode } from './node-data.js';
import { keepUnchanged, type Flow } from './stable-flow.js';
import { StepNodeView } from './StepNodeView.js';

const NODE_TYPES = { field: FieldNodeView, step: StepNodeView };

export interface CanvasProps {
  editor: MappingEditor;
  catalog: FieldCatalog | null;
  issues: Issue[];
  search: string;
  readOnly: boolean;
  pendingSource: string | null;
  onPendingSource(id: string | null): void;
  onAnnounce(text: string): void;
}

/**
 * Renders the mapping canvas. Provider fields and canonical fields are fixed columns, and the
 * steps between them can be dragged. A connection is made by dragging from a handle to a handle, or with
 * the keyboard: Enter on a focused value starts it, Enter on a focused field or step ends it.
 */
export function MappingCanvas({ editor, catalog, issues, search, readOnly, pendingSource, onPendingSource, onAnnounce }: CanvasProps) {
  const i18n = useI18n();
  const [sizes, setSizes] = useState<Map<string, Size>>(new Map());
  const placed = useRef(false);
  const flow = useRef<ReactFlowInstance<StudioFlowNode> | null>(null);
  const container = useRef<HTMLDivElement | null>(null);
  const previousFlow = useRef<Flow<StudioFlowNode, Edge> | null>(null);
  const { graph, setSelection } = editor;

  // React Flow copies each changed handler into its store, which re-runs the selectors of every
  // node, and passes the click handlers to every node. The handlers therefore stay the same
  // across edits and read the current editor through this ref.
  const latest = useRef({ editor, graph, readOnly, onPendingSource });
  useLayoutEffect(() => {
    latest.current = { editor, graph, readOnly, onPendingSource };
  });

  // Unchanged nodes keep their objects from the previous render, so React Flow re-renders only
  // the nodes an edit touched. The ref only caches; the result depends on the inputs alone.
  const { nodes, edges } = useMemo(() => {
    if (!graph) return { nodes: [], edges: [] };
    const built = buildFlow({ graph, catalog, issues, i18n, selection: editor.selection, pendingSource, search, sizes, manual: editor.manual, providerOrder: editor.providerOrder, readOnly });
    const flow = keepUnchanged(previousFlow.current, built);
    previousFlow.current = flow;
    return flow;
  }, [graph, catalog, issues, i18n, editor.selection, pendingSource, search, sizes, editor.manual, editor.providerOrder, readOnly]);

  const onNodesChange = useCallback((changes: NodeChange<StudioFlowNode>[]) => {
    const measured: [string, Size][] = [];
    for (const change of changes) {
      if (change.type === 'dimensions' && change.dimensions) measured.push([change.id, change.dimensions]);
      if (change.type === 'position' && change.position && !latest.current.readOnly) latest.current.editor.moveStep(change.id, change.position);
    }
    if (measured.length === 0) return;
    setSizes((current) => {
      const next = new Map(current);
      let changed = false;
      for (const [id, size] of measured) {
        const old = current.get(id);
        if (!old || old.width !== size.width || old.height !== size.height) {
          next.set(id, size);
          changed = true;
        }
      }
      return changed ? next : current;
    });
    // The first time every node has a size, zoom so the three columns fit the width.
    if (!placed.current && flow.current && container.current) {
      placed.current = true;
      const width = container.current.clientWidth;
      const content = COLUMN.providerWidth * 2 + COLUMN.columnGap * 2 + COLUMN.slotWidth * 3;
      const zoom = Math.min(1, Math.max(0.7, (width - 32) / content));
      void flow.current.setViewport({ x: 16, y: 16, zoom });
    }
  }, []);

  const isValidConnection = useCallback((connection: Connection | { source: string; target: string }) => {
    const current = latest.current.graph;
    return current ? checkConnection(current, connection.source, connection.target) === null : false;
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    latest.current.editor.connect(connection.source, connection.target);
    latest.current.onPendingSource(null);
  }, []);

  const onNodeClick: NodeMouseHandler<StudioFlowNode> = useCallback((_event, node) => setSelection({ kind: 'node', id: node.id }), [setSelection]);
  const onEdgeClick: EdgeMouseHandler = useCallback((_event, edge) => setSelection({ kind: 'edge', id: edge.id }), [setSelection]);
  const onPaneClick = useCallback(() => setSelection(null), [setSelection]);
  const onInit = useCallback((instance: ReactFlowInstance<StudioFlowNode>) => {
    flow.current = instance;
  }, []);

  // Memoized for the same reason as the handlers above.
  const ariaLabelConfig = useMemo(
    () => ({
      'node.a11yDescription.default': i18n.t('canvas.a11yNode'),
      'node.a11yDescription.keyboardDisabled': i18n.t('canvas.a11yNode'),
      'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) => i18n.t('canvas.a11yMoved', { direction, x, y }),
      'edge.a11yDescription.default': i18n.t('canvas.a11yEdge'),
    }),
    [i18n],
  );

  /** Enter on a focused node starts or finishes a keyboard connection, or selects the node. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const nodeId = target.closest<HTMLElement>('.react-flow__node')?.dataset.id;
    const edgeId = target.closest<HTMLElement>('.react-flow__edge')?.dataset.id;
    if (event.key === 'Escape' && pendingSource) {
      onPendingSource(null);
      onAnnounce(i18n.t('canvas.connectCancelled'));
      return;
    }
    if (event.key !== 'Enter' && event.key !== ' ') return;
    if (edgeId && !nodeId) {
      editor.setSelection({ kind: 'edge', id: edgeId });
      event.preventDefault();
      return;
    }
    if (!nodeId || !graph) return;
    event.preventDefault();
    const node = findNode(graph, nodeId);
    if (!node) return;

    if (event.key === 'Enter' && !readOnly && pendingSource && pendingSource !== nodeId) {
      const rejection = checkConnection(graph, pendingSource, nodeId);
      if (rejection) {
        onAnnounce(i18n.tOr(`rejection.${rejection}`, rejection));
        return;
      }
      editor.connect(pendingSource, nodeId);
      onPendingSource(null);
      onAnnounce(i18n.t('canvas.connectDone'));
      return;
    }
    if (event.key === 'Enter' && !readOnly && (node.kind === 'provider' || node.kind === 'constant' || (node.kind === 'transform' && !pendingSource && event.shiftKey))) {
      onPendingSource(nodeId);
      onAnnounce(i18n.t('canvas.connectStarted'));
      return;
    }
    editor.setSelection({ kind: 'node', id: nodeId });
  };

  return (
    <div className="canvas" ref={container} onKeyDown={onKeyDown} data-testid="mapping-canvas" aria-label={i18n.t('canvas.label')} role="application">
      <ReactFlow<StudioFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onInit={onInit}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        onPaneClick={onPaneClick}
        nodesConnectable={!readOnly}
        nodesDraggable={!readOnly}
        elementsSelectable
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        panOnScroll
        zoomOnScroll={false}
        zoomOnDoubleClick={false}
        minZoom={0.4}
        maxZoom={1.5}
        connectionRadius={28}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={ariaLabelConfig}
      />
    </div>
  );
}

/** Zoom buttons kept outside the canvas, so they never cover a field's label. */
export function useCanvasZoom() {
  const flow = useReactFlow();
  return {
    zoomIn: () => void flow.zoomIn(),
    zoomOut: () => void flow.zoomOut(),
    fit: () => void flow.fitView({ padding: 0.05, minZoom: 0.5, maxZoom: 1 }),
  };
}
