import { useState } from 'react';

import { useI18n, type I18n } from '../../i18n/i18n.js';
import { issueMessage, scalarText, transformLabel, typeLabel } from '../describe.js';
import { mainType, type FieldCatalog } from '../model/catalog.js';
import { readChain } from '../model/chain.js';
import { findNode, inputsOf, outputsOf, type GraphNode, type MappingGraph } from '../model/graph.js';
import { knownTransformTypes, newTransform } from '../model/transform-specs.js';
import type { Issue } from '../model/validate.js';
import type { MappingEditor } from '../use-mapping-editor.js';
import { ScalarInput } from './ScalarInput.js';
import { TransformEditor } from './TransformEditor.js';

export interface PropertiesProps {
  editor: MappingEditor;
  catalog: FieldCatalog | null;
  issues: Issue[];
  readOnly: boolean;
  readOnlyReason: string;
  pendingSource: string | null;
  onPendingSource(id: string | null): void;
}

/** Renders the side panel for the selected field, step or link, or a short guide when none is selected. */
export function PropertiesPanel(props: PropertiesProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { editor } = props;
  const graph = editor.graph;
  if (!graph || !editor.selection) {
    return (
      <div className="properties" data-testid="properties-panel">
        <h2>{t('panel.guideTitle')}</h2>
        <ul className="guide">
          <li>{t('panel.guideDrag')}</li>
          <li>{t('panel.guideKeyboard')}</li>
          <li>{t('panel.guideSelect')}</li>
          <li>{t('panel.guideUndo')}</li>
        </ul>
      </div>
    );
  }

  if (editor.selection.kind === 'edge') {
    const edgeId = editor.selection.id;
    const edge = graph.edges.find((candidate) => candidate.id === edgeId);
    if (!edge) return null;
    return (
      <div className="properties" data-testid="properties-panel">
        <h2>{t('panel.edgeTitle')}</h2>
        <p>{t('panel.edgeFromTo', { source: nodeName(graph, edge.source, i18n, props.catalog), target: nodeName(graph, edge.target, i18n, props.catalog) })}</p>
        <AddTransform {...props} beforeNodeId={edge.target} />
        <div className="actions">
          <button type="button" className="danger" disabled={props.readOnly} title={props.readOnly ? props.readOnlyReason : undefined} onClick={editor.deleteSelection}>
            {t('panel.removeEdge')}
          </button>
        </div>
      </div>
    );
  }

  const node = findNode(graph, editor.selection.id);
  if (!node) return null;
  return (
    <div className="properties" data-testid="properties-panel">
      <NodeProperties {...props} graph={graph} node={node} />
      <NodeIssues issues={props.issues.filter((issue) => issue.nodeId === node.id)} catalog={props.catalog} />
    </div>
  );
}

function NodeProperties(props: PropertiesProps & { graph: MappingGraph; node: GraphNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { graph, node, editor, catalog, readOnly, readOnlyReason } = props;
  const guard = readOnly ? readOnlyReason : undefined;

  if (node.kind === 'provider') {
    const field = catalog?.providerFields.find((candidate) => candidate.path === node.path);
    const feeds = graph.nodes.filter((other) => other.kind === 'canonical' && (() => {
      const chain = readChain(graph, other);
      return chain.kind === 'paths' && chain.paths.includes(node.path);
    })());
    return (
      <>
        <h2>{node.path}</h2>
        <dl className="facts">
          <div>
            <dt>{t('panel.type')}</dt>
            <dd>{typeLabel(i18n, mainType(field?.type))}</dd>
          </div>
          <div>
            <dt>{t('panel.origin')}</dt>
            <dd>{field ? i18n.tOr(`origin.${field.source}`, field.source) : t('canvas.tagNotInCatalog')}</dd>
          </div>
        </dl>
        {field?.description && <p className="muted small">{field.description}</p>}
        <p>{feeds.length === 0 ? t('panel.feedsNothing') : t('panel.feeds', { fields: feeds.map((other) => (other.kind === 'canonical' ? other.target : '')).join(', ') })}</p>
        <button type="button" disabled={readOnly} title={guard} onClick={() => props.onPendingSource(props.pendingSource === node.id ? null : node.id)}>
          {props.pendingSource === node.id ? t('panel.cancelConnect') : t('panel.startConnect')}
        </button>
      </>
    );
  }

  if (node.kind === 'canonical') {
    const field = catalog?.canonicalFields.find((candidate) => candidate.name === node.target);
    const chain = readChain(graph, node);
    return (
      <>
        <h2>{node.target}</h2>
        <dl className="facts">
          <div>
            <dt>{t('panel.type')}</dt>
            <dd>{typeLabel(i18n, mainType(field?.type))}</dd>
          </div>
          <div>
            <dt>{t('panel.required')}</dt>
            <dd>{field?.required ? t('common.yes') : t('common.no')}</dd>
          </div>
        </dl>
        {field?.description && <p className="muted small">{field.description}</p>}
        <p>{chain.kind === 'empty' ? t('panel.unmapped') : t('panel.mappedFrom', { source: chainSource(i18n, chain) })}</p>
        {props.pendingSource && (
          <button type="button" className="primary" disabled={readOnly} title={guard} onClick={() => {
            editor.connect(props.pendingSource as string, node.id);
            props.onPendingSource(null);
          }}>
            {t('panel.finishConnect')}
          </button>
        )}
        {chain.kind !== 'empty' && <AddTransform {...props} beforeNodeId={node.id} />}
        <div className="actions">
          <button type="button" disabled={readOnly} title={guard} onClick={() => editor.setConstant(node.id, '')}>
            {t('panel.useConstant')}
          </button>
          {chain.kind !== 'empty' && (
            <button type="button" className="danger" disabled={readOnly} title={guard} onClick={() => editor.unmap(node.id)}>
              {t('panel.unmap')}
            </button>
          )}
        </div>
      </>
    );
  }

  if (node.kind === 'constant') {
    return (
      <>
        <h2>{t('canvas.constant')}</h2>
        <ScalarInput label={t('panel.constantValue')} value={node.value} disabled={readOnly} onChange={(value) => editor.updateConstant(node.id, value)} />
        <div className="actions">
          <button type="button" className="danger" disabled={readOnly} title={guard} onClick={editor.deleteSelection}>
            {t('panel.removeStep')}
          </button>
        </div>
      </>
    );
  }

  const inputs = inputsOf(graph, node.id);
  const providerInputs = inputs.filter((edge) => findNode(graph, edge.source)?.kind === 'provider');
  return (
    <>
      <TransformEditor transform={node.transform} catalog={catalog} disabled={readOnly} onChange={(transform) => editor.updateTransform(node.id, transform)} />
      {providerInputs.length > 1 && (
        <div className="inputs-order">
          <span className="field-label">{t('panel.inputsOrder')}</span>
          <ol>
            {providerInputs.map((edge, index) => (
              <li key={edge.id}>
                <span>{nodeName(graph, edge.source, i18n, props.catalog)}</span>
                <button type="button" disabled={readOnly || index === 0} onClick={() => editor.moveInput(edge.id, -1)} aria-label={t('panel.moveUp', { field: nodeName(graph, edge.source, i18n, props.catalog) })}>
                  ↑
                </button>
                <button type="button" disabled={readOnly || index === providerInputs.length - 1} onClick={() => editor.moveInput(edge.id, 1)} aria-label={t('panel.moveDown', { field: nodeName(graph, edge.source, i18n, props.catalog) })}>
                  ↓
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
      {outputsOf(graph, node.id).length === 0 && <p className="muted small">{t('panel.stepLoose')}</p>}
      <div className="actions">
        <button type="button" className="danger" disabled={readOnly} title={guard} onClick={editor.deleteSelection} data-testid="delete-step">
          {t('panel.removeStep')}
        </button>
      </div>
    </>
  );
}

/** Renders a picker that inserts a transform in front of a node. */
function AddTransform({ editor, catalog, readOnly, readOnlyReason, beforeNodeId }: PropertiesProps & { beforeNodeId: string }) {
  const i18n = useI18n();
  const [type, setType] = useState('date');
  return (
    <div className="add-transform">
      <label>
        {i18n.t('panel.transformKind')}
        <select value={type} disabled={readOnly} onChange={(event) => setType(event.target.value)} data-testid="add-transform-type">
          {knownTransformTypes(catalog).map((name) => (
            <option key={name} value={name}>
              {transformLabel(i18n, name, catalog)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={readOnly} title={readOnly ? readOnlyReason : undefined} onClick={() => editor.insertTransformBefore(beforeNodeId, newTransform(type))} data-testid="add-transform">
        {i18n.t('panel.addTransform')}
      </button>
    </div>
  );
}

function NodeIssues({ issues, catalog }: { issues: Issue[]; catalog: FieldCatalog | null }) {
  const i18n = useI18n();
  if (issues.length === 0) return null;
  return (
    <div className="panel-issues">
      <h3>{i18n.t('panel.issues')}</h3>
      <ul>
        {issues.map((issue) => (
          <li key={`${issue.code}-${JSON.stringify(issue.params)}`} className={issue.severity}>
            {issueMessage(i18n, issue, catalog)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function chainSource(i18n: I18n, chain: ReturnType<typeof readChain>): string {
  if (chain.kind === 'paths') return chain.paths.join(' + ');
  if (chain.kind === 'constant') return scalarText(i18n, chain.value);
  return '?';
}

function nodeName(graph: MappingGraph, id: string, i18n: I18n, catalog: FieldCatalog | null): string {
  const node = findNode(graph, id);
  if (!node) return id;
  if (node.kind === 'provider') return node.path;
  if (node.kind === 'canonical') return node.target;
  return node.kind === 'transform' ? transformLabel(i18n, node.transform.type, catalog) : scalarText(i18n, node.value);
}
