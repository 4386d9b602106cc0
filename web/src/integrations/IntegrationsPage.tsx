import { useEffect, useRef } from 'react';
import { type Integration, listIntegrations } from '../api/integrations';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { navigate, useLocation } from '../router';
import { useLoad } from '../use-load';
import { IntegrationCard } from './IntegrationCard';
import { integrationLabel } from './labels';
import { OAuthConnect } from './OAuthConnect';
import { SandboxConnect } from './SandboxConnect';
import { TokenForm } from './TokenForm';
import './integrations.css';

/** `/orgs/:orgId/integrations`: the GoHighLevel locations this organization is connected to. */
export function IntegrationsPage({ orgId, membership }: OrgPageProps) {
  const toast = useToast();
  const list = useLoad((signal) => listIntegrations(orgId, signal), [orgId]);
  const items = list.data?.items ?? [];
  const canCreate = may(membership, 'integrations', 'create');
  useOAuthReturn(list.data?.items);

  const withItems = (next: Integration[]) => list.data && list.setData({ ...list.data, items: next });
  const replace = (next: Integration) => withItems(items.map((i) => (i.id === next.id ? next : i)));
  const remove = (id: string) => withItems(items.filter((i) => i.id !== id));
  const connected = (added: Integration) => {
    withItems([...items.filter((i) => i.id !== added.id), added]);
    toast.success(`Connected ${integrationLabel(added)}`, 'Run Test connection to check it, then sync contacts or import the team.');
  };

  return (
    <>
      <h1>Integrations</h1>
      <p className="muted">GoHighLevel locations this organization works with.</p>
      <ErrorAlert message={list.error?.message} />
      {!list.data ? (
        list.loading && <Loading what="integrations" />
      ) : items.length === 0 ? (
        <section className="panel">
          <EmptyState title="No GoHighLevel location is connected">
            <WhyConnect />
          </EmptyState>
        </section>
      ) : (
        <ul className="integration-cards" aria-label="Connected locations">
          {items.map((i) => (
            <li key={i.id}>
              <IntegrationCard orgId={orgId} membership={membership} integration={i} onChanged={replace} onRemoved={remove} />
            </li>
          ))}
        </ul>
      )}
      {canCreate && (
        <section className="panel connect-panel" aria-labelledby="connect-heading">
          <h2 id="connect-heading">Connect a location</h2>
          {list.data?.sandbox && !items.some((i) => i.locationId === list.data?.sandbox?.locationId) && (
            <SandboxConnect orgId={orgId} locationId={list.data.sandbox.locationId} onConnected={connected} />
          )}
          <div className="connect-options">
            <TokenForm orgId={orgId} onConnected={connected} />
            {list.data && <OAuthConnect orgId={orgId} availability={list.data.oauth} />}
          </div>
          <HowToGetToken />
        </section>
      )}
    </>
  );
}

function WhyConnect() {
  return (
    <div className="why-connect">
      <p>Connecting a GoHighLevel location (sub-account) gives Flowline:</p>
      <ul>
        <li>its contacts, kept in sync from GHL’s webhooks and a regular check;</li>
        <li>GHL events (new contacts, opportunities, appointments, messages, payments) that start flows;</li>
        <li>GHL steps in flows: tag a contact, move an opportunity, book an appointment, send a message;</li>
        <li>its users, imported as your team.</li>
      </ul>
    </div>
  );
}

function HowToGetToken() {
  return (
    <details className="how-to-token">
      <summary>How to get a Private Integration Token</summary>
      <ol>
        <li>In GoHighLevel, open the location (sub-account), then Settings → Private Integrations.</li>
        <li>Create a new integration and give it these scopes: contacts, opportunities, calendars, conversations, users, payments.</li>
        <li>Copy the token it shows (GHL shows it once) and paste it above, with the location’s id.</li>
      </ol>
    </details>
  );
}

/**
 * After OAuth consent the server's callback comes back with `?connected=<id>` or `?error=<message>`:
 * say so once, then drop the parameters so a reload does not say it again.
 */
function useOAuthReturn(items: Integration[] | undefined) {
  const toast = useToast();
  const { pathname, query } = useLocation();
  const connectedId = query.get('connected');
  const error = query.get('error');
  // Effects run twice in development (StrictMode): a toast must not.
  const handled = useRef('');

  useEffect(() => {
    if (!connectedId && !error) return;
    // Wait for the list, to name the location that was connected.
    if (connectedId && !items) return;
    const key = `${connectedId}|${error}`;
    if (handled.current === key) return;
    handled.current = key;
    if (error) toast.error(new Error(error), 'Could not connect with OAuth');
    if (connectedId) {
      const found = items?.find((i) => i.id === connectedId);
      toast.success(found ? `Connected ${integrationLabel(found)}` : 'Location connected', 'Run Test connection to check it, then sync contacts or import the team.');
    }
    const rest = new URLSearchParams(query);
    rest.delete('connected');
    rest.delete('error');
    navigate(pathname + (rest.size ? `?${rest}` : ''), { replace: true });
  }, [connectedId, error, items, pathname, query, toast]);
}
