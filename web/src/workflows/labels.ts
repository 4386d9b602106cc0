import type { WorkflowSummary } from '../api/flows';

/** "Draft", "Published v3" or "Disabled". */
export function statusText(w: Pick<WorkflowSummary, 'status' | 'publishedVersion'>): string {
  if (w.status === 'published') return `Published v${w.publishedVersion}`;
  return w.status === 'disabled' ? 'Disabled' : 'Draft';
}
