import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { getWorkflow, type WorkflowDetail } from '../api/flows';
import { ErrorAlert, Loading } from '../components/Notices';
import { useMe } from '../me';
import { may } from '../permissions';
import { Link, Redirect, useLocation } from '../router';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';
import { Editor } from './Editor';
import './editor.css';

/** `/orgs/:orgId/workflows/:workflowId`: the builder, full screen. */
export function EditorPage({ orgId, workflowId }: { orgId: string; workflowId: string }) {
  const { signedIn, me, error: meError } = useMe();
  const { pathname } = useLocation();
  const loaded = useLoad((signal) => getWorkflow(orgId, workflowId, signal), [orgId, workflowId]);
  useTitle(loaded.data?.name ?? 'Workflow');

  if (!signedIn) return <Redirect to={`/login?next=${encodeURIComponent(pathname)}`} />;
  const membership = me?.memberships.find((m) => m.organizationId === orgId);
  const problem = meError?.message ?? loaded.error?.message ?? (me && !membership ? 'You are not an active member of this organization.' : undefined);
  if (problem) {
    return (
      <main className="page">
        <ErrorAlert message={problem} />
        <p>
          <Link to={`/orgs/${orgId}/workflows`}>Back to workflows</Link>
        </p>
      </main>
    );
  }
  if (!membership || !loaded.data) return <main className="page"><Loading what="the workflow" /></main>;
  if (!may(membership, 'workflows', 'read')) return <main className="page"><ErrorAlert message="Your role does not give access to workflows." /></main>;
  return (
    <ReactFlowProvider>
      <Editor key={workflowId} orgId={orgId} membership={membership} workflow={loaded.data} onWorkflow={(w: WorkflowDetail) => loaded.setData(w)} />
    </ReactFlowProvider>
  );
}
