import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';

import type { StepFlowNode } from './node-data.js';
import { IssueList } from './IssueList.js';
import { sameNodeView } from './stable-flow.js';

/** Renders a transform (input and output handles) or a fixed value (output only) between the columns. */
export const StepNodeView = memo(function StepNodeView({ data, selected, isConnectable }: NodeProps<StepFlowNode>) {
  const hasError = data.issues.some((issue) => issue.severity === 'error');
  const classes = ['step-node', data.kind, selected ? 'selected' : '', data.pending ? 'pending' : '', hasError ? 'has-error' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes}>
      {data.kind === 'transform' && <Handle type="target" position={Position.Left} isConnectable={isConnectable} className="field-handle" />}
      <div className="node-label">{data.label}</div>
      {data.summary && <div className="node-summary">{data.summary}</div>}
      <IssueList issues={data.issues} />
      <Handle type="source" position={Position.Right} isConnectable={isConnectable} className="field-handle" />
    </div>
  );
}, sameNodeView);
