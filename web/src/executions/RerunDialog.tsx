import { useId, useState } from 'react';
import { rerunExecution, type RerunUsing } from '../api/flows';
import { Dialog } from '../components/Dialog';
import { useToast } from '../components/Toasts';
import { navigate } from '../router';
import { executionPath } from './format';

const CHOICES: { value: RerunUsing; label: string; hint: string }[] = [
  { value: 'same', label: "This run's version", hint: 'The same graph this run used.' },
  { value: 'latest', label: 'Latest published version', hint: 'The version the workflow runs today.' },
  { value: 'draft', label: 'Current draft', hint: 'The saved draft, as a test run.' },
];

/** "Re-run from this node": picks which graph to run, starts it, and opens the new run. */
export function RerunButton({ orgId, executionId, nodeId }: { orgId: string; executionId: string; nodeId: string }) {
  const [open, setOpen] = useState(false);
  const [using, setUsing] = useState<RerunUsing>('same');
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const name = useId();

  const start = async () => {
    setBusy(true);
    try {
      const started = await rerunExecution(orgId, executionId, nodeId, using);
      setOpen(false);
      toast.success('Re-run started', `From ${nodeId}`);
      navigate(executionPath(orgId, started.executionId));
    } catch (e) {
      toast.error(e, 'Could not start the re-run');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="btn-small" aria-label={`Re-run from this node: ${nodeId}`} onClick={() => setOpen(true)}>
        Re-run from this node
      </button>
      <Dialog open={open} title={`Re-run from ${nodeId}`} onClose={() => setOpen(false)}>
        <p className="muted">The nodes before it reuse this run’s outputs where the graph still has them; {nodeId} and everything after it run again.</p>
        <fieldset className="rerun-choices">
          <legend>Run with</legend>
          {CHOICES.map((c) => (
            <label key={c.value} className="rerun-choice">
              <input type="radio" name={name} value={c.value} checked={using === c.value} onChange={() => setUsing(c.value)} />
              <span>
                {c.label}
                <span className="field-hint"> — {c.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button type="button" className="btn-primary" disabled={busy} onClick={() => void start()}>
            {busy ? 'Starting…' : 'Start re-run'}
          </button>
        </div>
      </Dialog>
    </>
  );
}
