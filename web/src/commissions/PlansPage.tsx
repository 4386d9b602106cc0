import { deletePlan, listPlans } from '../api/commissions';
import { ConfirmButton } from '../components/ConfirmButton';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { NEW_PLAN, planPath } from './paths';
import { SettingsPanel } from './SettingsPanel';
import './commissions.css';

/** `/orgs/:orgId/commission-plans`: the plans, who is on them, and the commission settings. */
export function PlansPage({ orgId, membership }: OrgPageProps) {
  const toast = useToast();
  const plans = useLoad((signal) => listPlans(orgId, signal), [orgId]);
  const canCreate = may(membership, 'commissions', 'create');
  const canDelete = may(membership, 'commissions', 'delete');
  const items = plans.data?.items ?? [];

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Commission plans</h1>
          <p className="muted">How sales turn into commissions. Each change is a new version from a given date, so past commissions keep their rules.</p>
        </div>
        {canCreate && (
          <Link className="button-link btn-primary" to={planPath(orgId, NEW_PLAN)}>
            New plan
          </Link>
        )}
      </div>
      <section className="panel" aria-label="Commission plans">
        <ErrorAlert message={plans.error?.message} />
        {!plans.data ? (
          plans.loading && <Loading what="plans" />
        ) : items.length === 0 ? (
          <EmptyState title="No plans yet">Without a plan, members earn their own rate from the Team page.</EmptyState>
        ) : (
          <table className="table plans-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col">Current version</th>
                <th scope="col" className="num">
                  Versions
                </th>
                {canDelete && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-testid={`plan-${p.id}`}>
                  <td>
                    <Link to={planPath(orgId, p.id)}>{p.name}</Link>
                    {p.description && <div className="muted small">{p.description}</div>}
                  </td>
                  <td>
                    {p.isActive ? <span className="tag tag-current">Active</span> : <span className="tag">Inactive</span>} {p.isDefault && <span className="tag tag-default">Default</span>}
                  </td>
                  <td className="num">{p.memberIds.length}</td>
                  <td>
                    {p.currentVersion ? (
                      <>
                        v{p.currentVersion.version} · {p.currentVersion.currency} <span className="muted small">from {formatTime(p.currentVersion.effectiveFrom)}</span>
                      </>
                    ) : (
                      <span className="muted">none in force</span>
                    )}
                  </td>
                  <td className="num">{p.versionCount}</td>
                  {canDelete && (
                    <td>
                      <ConfirmButton
                        label={`Delete ${p.name}`}
                        title="Delete plan"
                        message={<p>“{p.name}” and its versions are deleted. A plan whose versions priced a commission cannot be deleted: make it inactive instead.</p>}
                        confirmLabel="Delete"
                        className="btn-danger-outline"
                        onConfirm={async () => {
                          await deletePlan(orgId, p.id);
                          toast.success('Plan deleted', p.name);
                          plans.reload();
                        }}
                      >
                        Delete
                      </ConfirmButton>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <SettingsPanel orgId={orgId} canEdit={may(membership, 'commissions', 'update')} plans={items} />
    </>
  );
}
