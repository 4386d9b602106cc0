import { useEffect, useState } from 'react';
import { type Approval, listApprovals } from '../api/flows';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import type { OrgPageProps } from '../org/OrgLayout';
import { useLoad } from '../use-load';
import { ApprovalCard } from './ApprovalCard';
import type { Decision } from './ApprovalForm';
import './approvals.css';

const REFRESH_MS = 5000;
const keyOf = (a: Pick<Approval, 'executionId' | 'nodeId'>) => `${a.executionId}/${a.nodeId}`;

/** `/orgs/:orgId/approvals`: every approval step waiting for the signed-in member's decision. */
export function ApprovalsPage({ orgId }: OrgPageProps) {
  const toast = useToast();
  const list = useLoad((signal) => listApprovals(orgId, signal), [orgId]);
  // The run takes a moment to act on a decision; until then the API still lists it as waiting.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  useRefreshWhileVisible(list.reload, REFRESH_MS);

  const onDecided = (approval: Approval, decision: Decision) => {
    setDecided((d) => new Set(d).add(keyOf(approval)));
    toast.success(decision === 'approve' ? 'Approved' : 'Rejected', `${approval.workflowName} · ${approval.nodeId}`);
  };
  const items = (list.data?.items ?? []).filter((a) => !decided.has(keyOf(a)));

  return (
    <>
      <h1>Approvals</h1>
      <p className="muted">Runs waiting for a decision you may take. This page refreshes by itself.</p>
      {/* A failed refresh says so and keeps the cards it had. */}
      <ErrorAlert message={list.error?.message} />
      {!list.data ? (
        list.loading && <Loading what="approvals" />
      ) : items.length === 0 ? (
        <section className="panel">
          <EmptyState title="Nothing is waiting for you">Approval steps that need your decision will appear here.</EmptyState>
        </section>
      ) : (
        <ul className="approval-cards" aria-label="Waiting approvals">
          {items.map((a) => (
            <li key={keyOf(a)}>
              <ApprovalCard orgId={orgId} approval={a} onDecided={(d) => onDecided(a, d)} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Calls `refresh` every `ms` while the tab is visible, and at once when it becomes visible again. */
function useRefreshWhileVisible(refresh: () => void, ms: number) {
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      clearInterval(timer);
      timer = setInterval(refresh, ms);
    };
    const onVisibility = () => {
      if (document.hidden) clearInterval(timer);
      else {
        refresh();
        start();
      }
    };
    if (!document.hidden) start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
    // `refresh` is a new closure each render but always does the same: the interval need not restart.
  }, [ms]);
}
