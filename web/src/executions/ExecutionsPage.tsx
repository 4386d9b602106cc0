import { type ExecutionStatus, listExecutions } from '../api/flows';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import type { OrgPageProps } from '../org/OrgLayout';
import { navigate, useLocation } from '../router';
import { usePaged } from '../use-paged';
import { ExecutionFilters } from './ExecutionFilters';
import { ExecutionsTable } from './ExecutionsTable';
import { apiRange, type Filters, filtersQuery, readFilters } from './filters';
import './executions.css';
import { LoadMore } from '../components/LoadMore';

const PAGE_SIZE = 50;

/** `/orgs/:orgId/executions`: every run, newest first; the filters live in the URL so a view can be shared. */
export function ExecutionsPage({ orgId }: OrgPageProps) {
  const { pathname, query } = useLocation();
  const filters = readFilters(query);
  const key = filtersQuery(filters);
  const list = usePaged(
    (cursor, signal) =>
      listExecutions(
        orgId,
        { workflowId: filters.workflowId || undefined, status: (filters.status || undefined) as ExecutionStatus | undefined, ...apiRange(filters), cursor, limit: PAGE_SIZE },
        signal,
      ),
    [orgId, key],
  );
  const filtered = key !== '';
  const change = (next: Filters) => navigate(pathname + filtersQuery(next), { replace: true });

  return (
    <>
      <h1>Executions</h1>
      <p className="muted">Every run of this organization’s workflows, newest first.</p>
      <section className="panel" aria-label="Executions">
        <ExecutionFilters orgId={orgId} filters={filters} onChange={change} />
        <ErrorAlert message={list.error?.message} />
        {list.items.length === 0 ? (
          list.loading ? (
            <Loading what="executions" />
          ) : (
            <EmptyState title={filtered ? 'No executions match these filters' : 'No executions yet'}>
              {filtered ? 'Try another workflow, status or date range.' : 'Runs appear here once a published workflow is triggered or a draft is test-run.'}
            </EmptyState>
          )
        ) : (
          <ExecutionsTable orgId={orgId} items={list.items} />
        )}
        <LoadMore list={list} />
      </section>
    </>
  );
}
