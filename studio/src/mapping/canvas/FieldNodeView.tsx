import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';

import type { FieldFlowNode } from './node-data.js';
import { IssueList } from './IssueList.js';
import { sameNodeView } from './stable-flow.js';

/** Renders a provider field (output handle on the right) or a canonical field (input on the left). */
export const FieldNodeView = memo(function FieldNodeView({ data, selected, isConnectable }: NodeProps<FieldFlowNode>) {
  const provider = data.side === 'provider';
  const hasError = data.issues.some((issue) => issue.severity === 'error');
  const classes = ['field-node', data.side, selected ? 'selected' : '', data.pending ? 'pending' : '', hasError ? 'has-error' : ''].filter(Boolean).join(' ');

  return (
    <div className={classes} title={data.description}>
      {!provider && <Handle type="target" position={Position.Left} isConnectable={isConnectable} className="field-handle" />}
      <div className="node-row">
        <span className="node-label">
          {data.label}
          {data.required && <span className="required-mark" aria-hidden="true">*</span>}
        </span>
        <span className="node-type">{data.typeText}</span>
      </div>
      {data.tags.length > 0 && <div className="node-tags">{data.tags.join(' · ')}</div>}
      <IssueList issues={data.issues} />
      {provider && <Handle type="source" position={Position.Right} isConnectable={isConnectable} className="field-handle" />}
    </div>
  );
}, sameNodeView);
