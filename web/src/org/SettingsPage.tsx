import { useState } from 'react';
import { getOrganization, type OrganizationChanges, updateOrganization } from '../api/orgs';
import type { Organization, Plan } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Notices';
import { UsageBar } from '../components/UsageBar';
import { useMe } from '../me';
import { may } from '../permissions';
import { useLoad } from '../use-load';
import { InputError, useSubmit } from '../use-submit';
import type { OrgPageProps } from './OrgLayout';
import { RetentionSection } from './RetentionForm';

const PLANS: { value: Plan; label: string }[] = [
  { value: 'free', label: 'Free' },
  { value: 'starter', label: 'Starter' },
  { value: 'professional', label: 'Professional' },
  { value: 'enterprise', label: 'Enterprise' },
];

export function SettingsPage({ orgId, membership }: OrgPageProps) {
  const org = useLoad((signal) => getOrganization(orgId, signal), [orgId]);
  if (!org.data) return org.error ? <ErrorAlert message={org.error.message} /> : <Loading what="the organization" />;
  return (
    <>
      <h1>Settings</h1>
      <OrganizationForm org={org.data} canEdit={may(membership, 'organization', 'update')} canBill={may(membership, 'billing', 'update')} onSaved={org.setData} />
      <Usage org={org.data} />
      <RetentionSection orgId={orgId} canEdit={may(membership, 'organization', 'update')} />
    </>
  );
}

function timezoneOf(org: Organization): string {
  return typeof org.settings.timezone === 'string' ? org.settings.timezone : '';
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function OrganizationForm({ org, canEdit, canBill, onSaved }: { org: Organization; canEdit: boolean; canBill: boolean; onSaved: (org: Organization) => void }) {
  const { reload } = useMe();
  const [name, setName] = useState(org.name);
  const [timezone, setTimezone] = useState(timezoneOf(org));
  const [plan, setPlan] = useState<Plan>(org.subscriptionPlan);
  const [saved, setSaved] = useState(false);
  // Changing anything goes through PATCH /orgs/:id, which needs organization:update; the plan also billing:update.
  const canChangePlan = canEdit && canBill;

  const changes: OrganizationChanges = {};
  if (name.trim() !== org.name) changes.name = name;
  if (timezone.trim() !== timezoneOf(org)) changes.settings = { timezone: timezone.trim() };
  if (plan !== org.subscriptionPlan) changes.subscriptionPlan = plan;
  const dirty = Object.keys(changes).length > 0;

  const form = useSubmit(['name', 'settings.timezone', 'subscriptionPlan'], async () => {
    setSaved(false);
    if (changes.settings && timezone.trim() && !isTimeZone(timezone.trim())) {
      throw new InputError({ 'settings.timezone': 'Use an IANA time zone such as Europe/Berlin or America/New_York.' });
    }
    const updated = await updateOrganization(org.id, changes);
    onSaved(updated);
    setName(updated.name);
    setSaved(true);
    // The organization switcher shows the name.
    if (changes.name) await reload();
  });

  return (
    <form className="form panel" onSubmit={form.onSubmit} noValidate>
      <h2>Organization</h2>
      <ErrorAlert message={form.error} />
      <TextField
        label="Name"
        name="name"
        value={name}
        readOnly={!canEdit}
        onChange={(e) => setName(e.target.value)}
        error={form.fieldErrors.name}
        hint={canEdit ? undefined : 'Only owners and administrators can rename the organization.'}
      />
      <TextField label="Slug" name="slug" value={org.slug} readOnly hint="Set when the organization was created." />
      <TextField
        label="Time zone"
        name="settings.timezone"
        placeholder="Europe/Berlin"
        value={timezone}
        readOnly={!canEdit}
        onChange={(e) => setTimezone(e.target.value)}
        error={form.fieldErrors['settings.timezone']}
      />
      <SelectField
        label="Plan"
        name="subscriptionPlan"
        value={plan}
        disabled={!canChangePlan}
        onChange={(e) => setPlan(e.target.value as Plan)}
        error={form.fieldErrors.subscriptionPlan}
        hint={canChangePlan ? 'Changing the plan sets the limits below to that plan’s.' : 'Only the owner can change the plan.'}
      >
        {PLANS.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </SelectField>
      <dl className="facts">
        <dt>Subscription status</dt>
        <dd data-testid="subscription-status">{org.subscriptionStatus}</dd>
      </dl>
      {canEdit && (
        <div className="actions">
          {saved && !dirty && (
            <span role="status" className="muted">
              Saved
            </span>
          )}
          <button type="submit" className="btn-primary" disabled={form.busy || !dirty}>
            Save
          </button>
        </div>
      )}
    </form>
  );
}

function Usage({ org }: { org: Organization }) {
  const { usage, limits } = org;
  return (
    <section className="panel" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Limits and usage</h2>
      <UsageBar testId="usage-users" label="Users" used={usage.users} limit={limits.maxUsers} />
      <UsageBar testId="usage-workflows" label="Workflows" used={usage.workflows} limit={limits.maxWorkflows} />
      <UsageBar testId="usage-bots" label="Bots" used={usage.bots} limit={limits.maxBots} />
      <UsageBar testId="usage-executions" label="Executions this month" used={usage.executionsThisMonth} limit={limits.maxExecutionsPerMonth} />
    </section>
  );
}
