import type { DeletedWorkflow, WorkflowSummary } from '../../../web/src/api/flows';

export function workflow(changes: Partial<WorkflowSummary> = {}): WorkflowSummary {
  return {
    id: 'w1',
    name: 'Lead follow-up',
    description: '',
    status: 'published',
    triggerType: 'trigger.webhook',
    publishedVersion: 2,
    problems: 0,
    lastRun: null,
    stats7d: { total: 0, succeeded: 0, failed: 0 },
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    ...changes,
  };
}

/** Deleted a day ago, restorable for 29 more days unless said otherwise. */
export function deletedWorkflow(changes: Partial<DeletedWorkflow> = {}): DeletedWorkflow {
  const deletedAt = new Date(Date.now() - 86_400_000).toISOString();
  return { ...workflow(), deletedAt, restorableUntil: new Date(Date.now() + 29 * 86_400_000).toISOString(), ...changes };
}
