import { listWorkflows } from '../api/flows';
import { SelectField, TextField } from '../components/Field';
import { useLoad } from '../use-load';
import { type Filters, STATUSES } from './filters';

const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function ExecutionFilters({ orgId, filters, onChange }: { orgId: string; filters: Filters; onChange: (next: Filters) => void }) {
  // The select only helps to pick: if the list fails to load, the filter still works from the URL.
  const workflows = useLoad((signal) => listWorkflows(orgId, { limit: 200 }, signal), [orgId]);
  const set = (field: keyof Filters) => (e: { target: { value: string } }) => onChange({ ...filters, [field]: e.target.value });
  const known = workflows.data?.items ?? [];
  const any = Object.values(filters).some(Boolean);

  return (
    <form className="form form-inline execution-filters" aria-label="Filter executions" onSubmit={(e) => e.preventDefault()}>
      <SelectField label="Workflow" name="workflow" value={filters.workflowId} onChange={set('workflowId')}>
        <option value="">All workflows</option>
        {known.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        {filters.workflowId && !known.some((w) => w.id === filters.workflowId) && <option value={filters.workflowId}>{workflows.loading ? 'Loading…' : 'Other workflow'}</option>}
      </SelectField>
      <SelectField label="Status" name="status" value={filters.status} onChange={set('status')}>
        <option value="">Any status</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <TextField label="From" name="since" type="date" value={filters.since} max={filters.until || undefined} onChange={set('since')} />
      <TextField label="To" name="until" type="date" value={filters.until} min={filters.since || undefined} onChange={set('until')} />
      {any && (
        <div className="actions">
          <button type="button" onClick={() => onChange({ workflowId: '', status: '', since: '', until: '' })}>
            Clear filters
          </button>
        </div>
      )}
    </form>
  );
}
