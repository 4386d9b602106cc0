import './components.css';

const LABELS: Record<string, string> = {
  queued: 'Queued',
  pending: 'Pending',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  reused: 'Reused',
  draft: 'Draft',
  published: 'Published',
  disabled: 'Disabled',
};

/** An execution's, step's or workflow's status as a coloured pill; colour is never the only cue. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`status-badge status-${status}`} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
