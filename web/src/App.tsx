import { lazy, type ReactNode, Suspense } from 'react';
import { ToastProvider } from './components/Toasts';
import { Loading } from './components/Notices';
import { MeProvider } from './me';
import { OrgLayout } from './org/OrgLayout';
import { HomePage } from './pages/HomePage';
import { InvitationPage } from './pages/InvitationPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignupPage } from './pages/SignupPage';
import { StatusPage } from './pages/StatusPage';
import { matchPath, Redirect, useLocation } from './router';

// The builder (React Flow, the forms, dagre) is most of the code: it loads when first opened.
const EditorPage = lazy(() => import('./flow-editor/EditorPage').then((m) => ({ default: m.EditorPage })));

// Every path but /api/* reaches index.html (the API's fallback), so these are all client-side.
const ROUTES: { pattern: string; render: (params: Record<string, string>) => ReactNode }[] = [
  { pattern: '/', render: () => <HomePage /> },
  { pattern: '/status', render: () => <StatusPage /> },
  { pattern: '/login', render: () => <LoginPage /> },
  { pattern: '/signup', render: () => <SignupPage /> },
  { pattern: '/invitations/:token', render: (p) => <InvitationPage token={p.token!} /> },
  { pattern: '/orgs/:orgId', render: (p) => <Redirect to={`/orgs/${encodeURIComponent(p.orgId!)}/settings`} /> },
  {
    pattern: '/orgs/:orgId/workflows/:workflowId',
    render: (p) => (
      <Suspense fallback={<main className="page"><Loading what="the builder" /></main>}>
        <EditorPage orgId={p.orgId!} workflowId={p.workflowId!} />
      </Suspense>
    ),
  },
  { pattern: '/orgs/:orgId/:section', render: (p) => <OrgLayout orgId={p.orgId!} section={p.section!} /> },
  { pattern: '/orgs/:orgId/executions/:executionId', render: (p) => <OrgLayout orgId={p.orgId!} section="executions" itemId={p.executionId!} /> },
  { pattern: '/orgs/:orgId/contacts/:contactId', render: (p) => <OrgLayout orgId={p.orgId!} section="contacts" itemId={p.contactId!} /> },
  { pattern: '/orgs/:orgId/sales/:saleId', render: (p) => <OrgLayout orgId={p.orgId!} section="sales" itemId={p.saleId!} /> },
  { pattern: '/orgs/:orgId/payouts/:payoutId', render: (p) => <OrgLayout orgId={p.orgId!} section="payouts" itemId={p.payoutId!} /> },
  // A payout opened from My earnings (a sales rep reads their own without the Payouts section).
  { pattern: '/orgs/:orgId/earnings/:payoutId', render: (p) => <OrgLayout orgId={p.orgId!} section="earnings" itemId={p.payoutId!} /> },
  // A plan's editor; `new` for a new plan.
  { pattern: '/orgs/:orgId/commission-plans/:planId', render: (p) => <OrgLayout orgId={p.orgId!} section="commission-plans" itemId={p.planId!} /> },
  { pattern: '/orgs/:orgId/bots/:botId', render: (p) => <OrgLayout orgId={p.orgId!} section="bots" itemId={p.botId!} /> },
  { pattern: '/orgs/:orgId/receipts/:receiptId', render: (p) => <OrgLayout orgId={p.orgId!} section="receipts" itemId={p.receiptId!} /> },
];

export function App() {
  return (
    <MeProvider>
      <ToastProvider>
        <Routes />
      </ToastProvider>
    </MeProvider>
  );
}

function Routes() {
  const { pathname } = useLocation();
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, pathname);
    if (params) return route.render(params);
  }
  return <NotFoundPage />;
}
