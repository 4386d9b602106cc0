import { useState } from 'react';
import { ConfirmButton } from '../components/ConfirmButton';
import type { SaveState } from '../flow-editor/use-autosave';

interface Props {
  canEdit: boolean;
  saveState: SaveState;
  publishedVersion: number | null;
  errorCount: number;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFit: () => void;
  onPublish: () => Promise<void>;
  onUnpublish: () => Promise<void>;
}

const SAVE_LABEL: Record<SaveState, string> = { saved: 'All changes saved', dirty: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' };

/** Above the bot graph: whether a graph is live, the draft's save state, canvas tools, publish. */
export function BotGraphToolbar(p: Props) {
  const [busy, setBusy] = useState(false);
  const publishBlocked = p.errorCount > 0 ? `Fix ${p.errorCount} problem${p.errorCount === 1 ? '' : 's'} before publishing` : undefined;

  const publish = async () => {
    setBusy(true);
    try {
      await p.onPublish();
    } finally {
      setBusy(false);
    }
  };

  return (
    <header className="bot-graph-head">
      <p className="bot-graph-status" role="status" data-testid="graph-published">
        {p.publishedVersion === null ? 'No graph published: the bot converses freely with its goals and tools' : `Version ${p.publishedVersion} is published: conversations follow the graph`}
      </p>
      <span className={`save-state save-${p.saveState}`} data-testid="graph-save-state" aria-live="polite">
        {p.canEdit ? SAVE_LABEL[p.saveState] : 'Read-only'}
      </span>
      <span className="spacer" />
      <div className="toolbar" role="toolbar" aria-label="Canvas">
        <button type="button" onClick={p.onUndo} disabled={!p.canUndo}>
          Undo
        </button>
        <button type="button" onClick={p.onRedo} disabled={!p.canRedo}>
          Redo
        </button>
        <button type="button" onClick={p.onLayout} disabled={!p.canEdit}>
          Tidy up
        </button>
        <button type="button" onClick={p.onFit}>
          Fit
        </button>
      </div>
      {p.canEdit && p.publishedVersion !== null && (
        <ConfirmButton
          title="Unpublish the graph"
          message={<p>Conversations stop following the graph: the bot converses freely with its goals and tools. The draft is kept.</p>}
          confirmLabel="Unpublish"
          onConfirm={p.onUnpublish}
        >
          Unpublish
        </ConfirmButton>
      )}
      {p.canEdit && (
        <button type="button" className="btn-primary" disabled={!!publishBlocked || busy} title={publishBlocked} onClick={() => void publish()}>
          {busy ? 'Publishing…' : 'Publish'}
        </button>
      )}
    </header>
  );
}
