import { useId, useState } from 'react';
import { getVersion, listVersions, restoreVersion, type WorkflowDetail, type WorkflowVersion, type WorkflowVersionDetail } from '../api/flows';
import { ConfirmButton } from '../components/ConfirmButton';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import { useLoad } from '../use-load';
import './panels.css';

export interface VersionsPanelProps {
  orgId: string;
  workflowId: string;
  /** May restore a version into the draft (workflows:update). */
  canEdit: boolean;
  /** A version to show read-only. */
  onOpen: (version: WorkflowVersionDetail) => void;
  /** The draft now holds the restored version's definition. */
  onRestored: (workflow: WorkflowDetail) => void;
  /** Change it to list again (after a publish). */
  refreshKey: number;
}

/** The workflow's published versions, newest first: open one read-only, or restore it as the draft. */
export function VersionsPanel({ orgId, workflowId, canEdit, onOpen, onRestored, refreshKey }: VersionsPanelProps) {
  const versions = useLoad((signal) => listVersions(orgId, workflowId, signal), [orgId, workflowId, refreshKey]);
  const items = [...(versions.data?.items ?? [])].sort((a, b) => b.version - a.version);
  const titleId = useId();

  return (
    <section className="panel workflow-panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Versions</h2>
      <ErrorAlert message={versions.error?.message} />
      {!versions.data ? (
        versions.loading && <Loading what="versions" />
      ) : items.length === 0 ? (
        <EmptyState title="No versions yet">Publishing the workflow makes its first version.</EmptyState>
      ) : (
        <ul className="versions-list" aria-label="Published versions">
          {items.map((v) => (
            <VersionItem key={v.id} orgId={orgId} workflowId={workflowId} version={v} canEdit={canEdit} onOpen={onOpen} onRestored={onRestored} />
          ))}
        </ul>
      )}
    </section>
  );
}

function VersionItem(props: { orgId: string; workflowId: string; version: WorkflowVersion; canEdit: boolean } & Pick<VersionsPanelProps, 'onOpen' | 'onRestored'>) {
  const { orgId, workflowId, version: v } = props;
  const toast = useToast();
  const [opening, setOpening] = useState(false);

  const open = async () => {
    setOpening(true);
    try {
      props.onOpen(await getVersion(orgId, workflowId, v.version));
    } catch (e) {
      toast.error(e, `Could not open version ${v.version}`);
    } finally {
      setOpening(false);
    }
  };
  const restore = async () => {
    // The dialog shows a failure itself; a success closes it and says so here.
    const workflow = await restoreVersion(orgId, workflowId, v.version);
    toast.success(`Version ${v.version} restored as the draft`);
    props.onRestored(workflow);
  };

  return (
    <li className="version-item" data-testid={`version-${v.version}`}>
      <div className="version-main">
        <strong>v{v.version}</strong> <code className="muted" title={v.hash}>{v.hash.slice(0, 8)}</code>
        <div className="muted version-when">
          <time dateTime={v.createdAt}>{formatTime(v.createdAt)}</time>
        </div>
        {v.note && <p className="version-note">{v.note}</p>}
      </div>
      <div className="row-actions">
        <button type="button" aria-label={`Open version ${v.version}`} disabled={opening} onClick={() => void open()}>
          Open
        </button>
        {props.canEdit && (
          <ConfirmButton
            label={`Restore as draft: version ${v.version}`}
            title={`Restore version ${v.version} as the draft?`}
            message="The draft’s current definition is replaced by this version’s. Published versions are not changed."
            confirmLabel={`Restore version ${v.version}`}
            onConfirm={restore}
          >
            Restore as draft
          </ConfirmButton>
        )}
      </div>
    </li>
  );
}
