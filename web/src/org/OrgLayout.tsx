import { lazy, type ReactNode, Suspense } from 'react';
import { logOut } from '../api/auth';
import { ApprovalsPage } from '../approvals/ApprovalsPage';
import type { Membership } from '../api/types';
import { BotPage } from '../bots/BotPage';
import { BotsPage } from '../bots/BotsPage';
import { HandoffQueuePage } from '../bots/HandoffQueuePage';
import { CommissionsInboxPage } from '../commissions/CommissionsInboxPage';
import { EarningsPage } from '../commissions/EarningsPage';
import { earningsPath, payoutsPath } from '../commissions/paths';
import { PayoutDetailPage } from '../commissions/PayoutDetailPage';
import { PayoutsPage } from '../commissions/PayoutsPage';
import { PlansPage } from '../commissions/PlansPage';
import { SaleDetailPage } from '../commissions/SaleDetailPage';
import { SalesPage } from '../commissions/SalesPage';
import { ContactDetailPage } from '../contacts/ContactDetailPage';
import { ContactsPage } from '../contacts/ContactsPage';
import { ErrorAlert, Loading } from '../components/Notices';
import { ExecutionDetailPage } from '../executions/ExecutionDetailPage';
import { ExecutionsPage } from '../executions/ExecutionsPage';
import { IntegrationsPage } from '../integrations/IntegrationsPage';
import { ReceiptPage } from '../receipts/ReceiptPage';
import { ReceiptsQueuePage } from '../receipts/ReceiptsQueuePage';
import { useMe } from '../me';
import { may, roleLabel } from '../permissions';
import { Link, navigate, Redirect, useLocation } from '../router';
import { useTitle } from '../use-title';
import { AuditLogPage } from './AuditLogPage';
import { MembersPage } from './MembersPage';
import { NewOrganizationButton } from './NewOrganizationButton';
import { OrgSwitcher } from './OrgSwitcher';
import { SECTIONS, type SectionPath } from './sections';
import { SettingsPage } from './SettingsPage';
import { TeamMembersPage } from './TeamMembersPage';
import { WorkflowsPage } from '../workflows/WorkflowsPage';

// The plan editor checks plans with the rules engine's zod schemas: that weight loads when it opens.
const PlanEditorPage = lazy(() => import('../commissions/PlanEditorPage').then((m) => ({ default: m.PlanEditorPage })));

export interface OrgPageProps {
  orgId: string;
  membership: Membership;
}

const PAGES: Record<SectionPath, (props: OrgPageProps) => ReactNode> = {
  workflows: (p) => <WorkflowsPage {...p} />,
  settings: (p) => <SettingsPage {...p} />,
  members: (p) => <MembersPage {...p} />,
  'team-members': (p) => <TeamMembersPage {...p} />,
  'audit-log': (p) => <AuditLogPage {...p} />,
  executions: (p) => <ExecutionsPage {...p} />,
  approvals: (p) => <ApprovalsPage {...p} />,
  contacts: (p) => <ContactsPage {...p} />,
  integrations: (p) => <IntegrationsPage {...p} />,
  commissions: (p) => <CommissionsInboxPage {...p} />,
  sales: (p) => <SalesPage {...p} />,
  payouts: (p) => <PayoutsPage {...p} />,
  earnings: (p) => <EarningsPage {...p} />,
  'commission-plans': (p) => <PlansPage {...p} />,
  receipts: (p) => <ReceiptsQueuePage {...p} />,
  bots: (p) => <BotsPage {...p} />,
  handoffs: (p) => <HandoffQueuePage {...p} />,
};

/** `/orgs/:orgId/:section/:itemId`: one item of a section's list, behind the section's own permission. */
const ITEM_PAGES: Partial<Record<SectionPath, (props: OrgPageProps & { itemId: string }) => ReactNode>> = {
  executions: (p) => <ExecutionDetailPage orgId={p.orgId} membership={p.membership} executionId={p.itemId} />,
  contacts: (p) => <ContactDetailPage key={p.itemId} orgId={p.orgId} membership={p.membership} contactId={p.itemId} />,
  sales: (p) => <SaleDetailPage key={p.itemId} orgId={p.orgId} membership={p.membership} saleId={p.itemId} />,
  payouts: (p) => <PayoutDetailPage key={p.itemId} orgId={p.orgId} membership={p.membership} payoutId={p.itemId} back={{ to: payoutsPath(p.orgId), label: 'Payouts' }} />,
  // A rep opens their own payouts from My earnings: they may read them without the Payouts section.
  earnings: (p) => <PayoutDetailPage key={p.itemId} orgId={p.orgId} membership={p.membership} payoutId={p.itemId} back={{ to: earningsPath(p.orgId), label: 'My earnings' }} />,
  // "new" opens an empty editor.
  'commission-plans': (p) => (
    <Suspense fallback={<Loading what="the plan editor" />}>
      <PlanEditorPage key={p.itemId} orgId={p.orgId} membership={p.membership} planId={p.itemId} />
    </Suspense>
  ),
  bots: (p) => <BotPage key={p.itemId} orgId={p.orgId} membership={p.membership} botId={p.itemId} />,
  receipts: (p) => <ReceiptPage key={p.itemId} orgId={p.orgId} membership={p.membership} receiptId={p.itemId} />,
};

/** `/orgs/:orgId/:section`: the organization switcher, its pages, and who is signed in. */
export function OrgLayout({ orgId, section, itemId }: { orgId: string; section: string; itemId?: string }) {
  const { signedIn, me, error } = useMe();
  const { pathname, query } = useLocation();
  const found = SECTIONS.find((s) => s.path === section);
  const page = itemId === undefined || (found && ITEM_PAGES[found.path]) ? found : undefined;
  useTitle(page?.label ?? 'Not found');

  if (!signedIn) return <Redirect to={`/login?next=${encodeURIComponent(pathname + (query.size ? `?${query}` : ''))}`} />;
  if (!me) {
    return <main className="page">{error ? <ErrorAlert message={error.message} /> : <Loading what="your organizations" />}</main>;
  }
  const membership = me.memberships.find((m) => m.organizationId === orgId);
  if (!membership) {
    return (
      <main className="page">
        <ErrorAlert message="You are not an active member of this organization." />
        <p>
          <Link to="/">Go to your organizations</Link>
        </p>
      </main>
    );
  }

  const logOutNow = () => {
    navigate('/login');
    void logOut();
  };

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Flowline</span>
        <OrgSwitcher memberships={me.memberships} current={membership} section={section} />
        <NewOrganizationButton />
        <span className="spacer" />
        <span className="whoami">
          <span data-testid="user-email">{me.user.email}</span>{' '}
          <span className="role-badge" data-testid="current-role">
            {roleLabel(membership.role)}
          </span>
        </span>
        <button type="button" onClick={logOutNow}>
          Log out
        </button>
      </header>
      <nav className="tabs" aria-label="Organization pages">
        {SECTIONS.filter((s) => may(membership, s.needs[0], s.needs[1])).map((s) => (
          <Link key={s.path} to={`/orgs/${orgId}/${s.path}`} aria-current={s.path === section ? 'page' : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
      <main className="page">
        {!page ? (
          <ErrorAlert message="There is no such page." />
        ) : !may(membership, page.needs[0], page.needs[1]) ? (
          <ErrorAlert message={`Your role (${roleLabel(membership.role)}) does not give access to ${page.label}.`} />
        ) : (
          // Keyed by organization: switching starts every form and list afresh.
          <div key={orgId}>{itemId === undefined ? PAGES[page.path]({ orgId, membership }) : ITEM_PAGES[page.path]?.({ orgId, membership, itemId })}</div>
        )}
      </main>
    </div>
  );
}
