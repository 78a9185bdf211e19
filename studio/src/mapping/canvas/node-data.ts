import type { Node } from '@xyflow/react';

export interface NodeIssueView {
  text: string;
  severity: 'error' | 'warning';
}

export type FieldNodeData = {
  side: 'provider' | 'canonical';
  label: string;
  typeText: string;
  /** Short tags: "obrigatório", "lista", "visto nos registros"… */
  tags: string[];
  required: boolean;
  issues: NodeIssueView[];
  /** True while this node is the start of a connection made with the keyboard. */
  pending: boolean;
  description?: string;
};

export type StepNodeData = {
  kind: 'transform' | 'constant';
  label: string;
  summary: string;
  issues: NodeIssueView[];
  pending: boolean;
};

export type FieldFlowNode = Node<FieldNodeData, 'field'>;
export type StepFlowNode = Node<StepNodeData, 'step'>;
export type StudioFlowNode = FieldFlowNode | StepFlowNode;
