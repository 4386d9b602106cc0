import { useEffect, useRef, useState } from 'react';
import { getWorkflow, publishWorkflow, unpublishWorkflow, type WorkflowDetail, type WorkflowVersionDetail } from '../api/flows';
import { Link } from '../router';
import { statusText } from '../workflows/labels';
import { SHORTCUTS } from './use-shortcuts';
import type { SaveState } from './use-autosave';

interface Props {
  orgId: string;
  workflow: WorkflowDetail;
  saveState: SaveState;
  errorCount: number;
  canEdit: boolean;
  viewing: WorkflowVersionDetail | undefined;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFit: () => void;
  onRename: (name: string) => Promise<void>;
  onBeforePublish: () => Promise<void>;
  onPublished: (w: WorkflowDetail, version: number) => void;
  onLeaveVersion: () => void;
  onError: (e: unknown) => void;
}

const SAVE_LABEL: Record<SaveState, string> = { saved: 'All changes saved', dirty: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' };

export function EditorHeader(p: Props) {
  const [name, setName] = useState(p.workflow.name);
  useEffect(() => setName(p.workflow.name), [p.workflow.name]);
  const publishDialog = useRef<HTMLDialogElement>(null);
  const keysDialog = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const readOnly = !p.canEdit || !!p.viewing;

  const publish = async () => {
    setBusy(true);
    try {
      await p.onBeforePublish();
      const published = await publishWorkflow(p.orgId, p.workflow.id, note.trim() || undefined);
      p.onPublished(await getWorkflow(p.orgId, p.workflow.id), published.version);
      setNote('');
      publishDialog.current?.close();
    } catch (e) {
      publishDialog.current?.close();
      p.onError(e);
    } finally {
      setBusy(false);
    }
  };

  const disable = async () => {
    try {
      p.onPublished(await unpublishWorkflow(p.orgId, p.workflow.id), p.workflow.publishedVersion ?? 0);
    } catch (e) {
      p.onError(e);
    }
  };

  const publishBlocked = p.errorCount > 0 ? `Fix ${p.errorCount} problem${p.errorCount === 1 ? '' : 's'} before publishing` : undefined;

  return (
    <header className="editor-header">
      <Link to={`/orgs/${p.orgId}/workflows`} className="back-link">
        ← Workflows
      </Link>
      <input
        className="workflow-name"
        aria-label="Workflow name"
        value={name}
        readOnly={readOnly}
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => name.trim() && name !== p.workflow.name && void p.onRename(name.trim())}
        onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      />
      <span className={`wf-status wf-status-${p.workflow.status}`} data-testid="workflow-status">
        {statusText(p.workflow)}
      </span>
      {p.viewing ? (
        <span className="viewing-banner" role="status">
          Viewing version {p.viewing.version} (read-only){' '}
          <button type="button" onClick={p.onLeaveVersion}>
            Back to the draft
          </button>
        </span>
      ) : (
        <span className={`save-state save-${p.saveState}`} data-testid="save-state" aria-live="polite">
          {p.canEdit ? SAVE_LABEL[p.saveState] : 'Read-only'}
        </span>
      )}
      <span className="spacer" />
      <div className="toolbar" role="toolbar" aria-label="Canvas">
        <button type="button" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl Z)">
          Undo
        </button>
        <button type="button" onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl Shift Z)">
          Redo
        </button>
        <button type="button" onClick={p.onLayout} disabled={readOnly} title="Tidy up (Shift L)">
          Tidy up
        </button>
        <button type="button" onClick={p.onFit} title="Zoom to fit (Shift F)">
          Fit
        </button>
        <button type="button" onClick={() => keysDialog.current?.showModal()} aria-label="Keyboard shortcuts" title="Keyboard shortcuts">
          ⌨
        </button>
      </div>
      {p.canEdit && p.workflow.status === 'published' && !p.viewing && (
        <button type="button" onClick={() => void disable()}>
          Disable
        </button>
      )}
      {p.canEdit && (
        <button type="button" className="btn-primary" disabled={!!publishBlocked || !!p.viewing || busy} title={publishBlocked} onClick={() => publishDialog.current?.showModal()}>
          Publish
        </button>
      )}
      <dialog ref={publishDialog} aria-labelledby="publish-title" className="dialog">
        <h2 id="publish-title">Publish a new version</h2>
        <p className="muted">New runs use it at once; runs in progress finish on the version they started with.</p>
        <label className="field">
          <span>Version note (optional)</span>
          <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} placeholder="What changed" />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={() => publishDialog.current?.close()}>
            Cancel
          </button>
          <button type="button" className="btn-primary" onClick={() => void publish()} disabled={busy}>
            {busy ? 'Publishing…' : 'Publish version'}
          </button>
        </div>
      </dialog>
      <dialog ref={keysDialog} aria-labelledby="keys-title" className="dialog">
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <table className="keys">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-actions">
          <button type="button" onClick={() => keysDialog.current?.close()}>
            Close
          </button>
        </div>
      </dialog>
    </header>
  );
}
