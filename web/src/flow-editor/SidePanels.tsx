import type { ReactNode } from 'react';
import type { ExecutionDetail, WorkflowDetail, WorkflowVersionDetail } from '../api/flows';
import { VersionsPanel, WebhookPanel } from '../workflow-panels';
import { TestRunPanel } from './TestRunPanel';

export type SideTab = 'node' | 'run' | 'versions' | 'webhook';

const TABS: { id: SideTab; label: string }[] = [
  { id: 'node', label: 'Node' },
  { id: 'run', label: 'Test run' },
  { id: 'versions', label: 'Versions' },
  { id: 'webhook', label: 'Webhook' },
];

interface Props {
  tab: SideTab;
  onTab: (tab: SideTab) => void;
  orgId: string;
  workflow: WorkflowDetail;
  canEdit: boolean;
  canRun: boolean;
  versionsKey: number;
  onOpenVersion: (v: WorkflowVersionDetail) => void;
  onRestored: (w: WorkflowDetail) => void;
  node: ReactNode;
  testRun: { initialPayload: unknown; run: ExecutionDetail | undefined; busy: boolean; blocked?: string; onRun: (payload: unknown) => Promise<void> };
}

/** The right-hand side: the selected node, test runs, versions and the webhook, as tabs. */
export function SidePanels(p: Props) {
  return (
    <aside className="side" aria-label="Workflow panels">
      <div role="tablist" aria-label="Panels" className="side-tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`side-tab-${t.id}`}
            aria-selected={p.tab === t.id}
            aria-controls={`side-panel-${t.id}`}
            onClick={() => p.onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`side-panel-${p.tab}`} aria-labelledby={`side-tab-${p.tab}`} className="side-panel">
        {p.tab === 'node' && p.node}
        {p.tab === 'run' && <TestRunPanel key={p.workflow.id} orgId={p.orgId} canRun={p.canRun} {...p.testRun} />}
        {p.tab === 'versions' && (
          <VersionsPanel orgId={p.orgId} workflowId={p.workflow.id} canEdit={p.canEdit} onOpen={p.onOpenVersion} onRestored={p.onRestored} refreshKey={p.versionsKey} />
        )}
        {p.tab === 'webhook' && <WebhookPanel workflow={p.workflow} origin={location.origin} />}
      </div>
    </aside>
  );
}
