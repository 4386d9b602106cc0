import { approveCalculations, BULK_APPROVE_MAX, type BulkApproveResult, type Calculation } from '../api/commissions';

export interface BulkOutcome {
  approved: Calculation[];
  failed: { id: string; reason: string }[];
}

/** Approves the ids in batches of what the API accepts; each id succeeds or fails on its own. */
export async function approveInBatches(orgId: string, ids: readonly string[], comment?: string): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { approved: [], failed: [] };
  for (let i = 0; i < ids.length; i += BULK_APPROVE_MAX) {
    const { results } = await approveCalculations(orgId, ids.slice(i, i + BULK_APPROVE_MAX), comment);
    for (const r of results) {
      if (r.ok && r.calculation) outcome.approved.push(r.calculation);
      else outcome.failed.push({ id: r.id, reason: reasonOf(r) });
    }
  }
  return outcome;
}

function reasonOf(r: BulkApproveResult): string {
  if (!r.problem) return 'Not approved.';
  return r.problem.detail ? `${r.problem.title}: ${r.problem.detail}` : r.problem.title;
}
