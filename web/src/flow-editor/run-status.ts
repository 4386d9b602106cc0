import type { FlowDefinition } from '../../../flows/types';
import { FINISHED } from '../api/flow-status';
import type { ExecutionDetail, NodeRunStatus } from '../api/flows';

/** Each node's status in a run: recorded steps, then the live state; nodes not reached yet are queued. */
export function nodeStatuses(definition: FlowDefinition, run: ExecutionDetail | undefined): Record<string, NodeRunStatus> {
  if (!run) return {};
  const out: Record<string, NodeRunStatus> = {};
  const finished = FINISHED.has(run.status);
  if (!finished) for (const n of definition.nodes) out[n.id] = 'pending';
  for (const s of run.steps) out[s.nodeId] = s.status;
  for (const [key, live] of Object.entries(run.live?.nodes ?? {})) {
    // Loop bodies report `<node>#<iteration>`: the node shows its latest iteration.
    out[key.split('#')[0]!] = live.status;
  }
  if (finished) for (const [id, status] of Object.entries(out)) if (status === 'pending' || status === 'running') delete out[id];
  return out;
}
