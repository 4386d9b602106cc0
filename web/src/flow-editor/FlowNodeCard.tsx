import { Handle, type NodeProps, Position, useUpdateNodeInternals } from '@xyflow/react';
import { useEffect } from 'react';
import { DEFAULT_HANDLE, ERROR_HANDLE } from '../../../flows/types';
import { useCanvasOverlay } from './editor-context';
import { entryOf, useNodeKit } from './node-kit';
import type { FlowNode } from './use-flow-graph';

const STATUS_LABEL: Record<string, string> = {
  pending: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  waiting: 'Waiting',
  reused: 'Reused',
  cancelled: 'Cancelled',
};

/** One node on the canvas: its type, id, outputs as handles, problems and last run status. */
export function FlowNodeCard({ id, type, data, selected }: NodeProps<FlowNode>) {
  const kit = useNodeKit();
  const nodeType = entryOf(kit, type);
  const handles = kit.handlesOf(type, data) ?? [DEFAULT_HANDLE];
  const { problems, statuses } = useCanvasOverlay();
  const errors = (problems.get(id) ?? []).filter((p) => p.severity === 'error');
  const status = statuses[id];
  const updateInternals = useUpdateNodeInternals();
  const handleKey = handles.join('|');
  // React Flow measures handles once; a config that adds or removes outputs must re-measure.
  useEffect(() => updateInternals(id), [id, handleKey, updateInternals]);

  return (
    <div
      className={`flow-node group-${nodeType?.group ?? 'unknown'}${selected ? ' is-selected' : ''}${errors.length ? ' has-errors' : ''}`}
      data-testid={`node-${id}`}
      data-status={status ?? 'none'}
      title={errors.map((p) => p.message).join('\n') || undefined}
    >
      {nodeType?.inputs !== 'none' && <Handle type="target" position={Position.Left} className="flow-handle-in" />}
      <div className="flow-node-head">
        <span className="flow-node-type">{nodeType?.label ?? type}</span>
        {status && (
          <span className={`flow-node-status status-${status}`} aria-label={`Status: ${STATUS_LABEL[status] ?? status}`}>
            {STATUS_LABEL[status] ?? status}
          </span>
        )}
      </div>
      <div className="flow-node-id">{id}</div>
      {errors.length > 0 && (
        <div className="flow-node-problems" role="status">
          {errors.length === 1 ? '1 problem' : `${errors.length} problems`}
        </div>
      )}
      <div className="flow-node-outs">
        {handles.map((h, i) => (
          <div key={h} className={`flow-node-out${h === ERROR_HANDLE ? ' is-error' : ''}`} style={{ top: `${((i + 1) / (handles.length + 1)) * 100}%` }}>
            {(handles.length > 1 || h !== DEFAULT_HANDLE) && <span className="flow-node-out-label">{h}</span>}
            <Handle type="source" position={Position.Right} id={h} className="flow-handle-out" aria-label={`${id} output ${h}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
