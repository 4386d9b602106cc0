import { useState } from 'react';
import { type CommissionPlan, type CommissionSettings, getCommissionSettings, type PayoutFrequency, updateCommissionSettings } from '../api/commissions';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import { useLoad } from '../use-load';
import { InputError, useSubmit } from '../use-submit';
import { amountProblem, hoursToSeconds, minorToMajor, parseMajor, secondsToHours } from './money';

const FREQUENCIES: { value: PayoutFrequency; label: string }[] = [
  { value: 'weekly', label: 'Weekly' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'monthly', label: 'Monthly' },
];
const FIELDS = [
  'timezone',
  'payoutFrequency',
  'payoutAnchor',
  'attributionField',
  'autoApproveMaxMinor',
  'autoApproveCurrency',
  'reminderAfterSeconds',
  'escalateAfterSeconds',
  'defaultPlanId',
] as const;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The organization's commission settings: pay periods, auto-approval, reminders and the default plan. */
export function SettingsPanel({ orgId, canEdit, plans }: { orgId: string; canEdit: boolean; plans: CommissionPlan[] }) {
  const settings = useLoad((signal) => getCommissionSettings(orgId, signal), [orgId]);
  return (
    <section className="panel" aria-labelledby="commission-settings">
      <h2 id="commission-settings">Commission settings</h2>
      {!settings.data ? (
        settings.error ? <ErrorAlert message={settings.error.message} /> : <Loading what="the settings" />
      ) : (
        <SettingsForm orgId={orgId} settings={settings.data} canEdit={canEdit} plans={plans} onSaved={settings.setData} />
      )}
    </section>
  );
}

interface FormProps {
  orgId: string;
  settings: CommissionSettings;
  canEdit: boolean;
  plans: CommissionPlan[];
  onSaved: (s: CommissionSettings) => void;
}

function SettingsForm({ orgId, settings: s, canEdit, plans, onSaved }: FormProps) {
  const toast = useToast();
  const [timezone, setTimezone] = useState(s.timezone);
  const [payoutFrequency, setPayoutFrequency] = useState(s.payoutFrequency);
  const [payoutAnchor, setPayoutAnchor] = useState(s.payoutAnchor);
  const [attributionField, setAttributionField] = useState(s.attributionField);
  const [autoCurrency, setAutoCurrency] = useState(s.autoApproveCurrency ?? '');
  const [autoMax, setAutoMax] = useState(s.autoApproveMaxMinor === null ? '' : minorToMajor(s.autoApproveMaxMinor, s.autoApproveCurrency ?? 'USD'));
  const [reminderHours, setReminderHours] = useState(secondsToHours(s.reminderAfterSeconds));
  const [escalateHours, setEscalateHours] = useState(secondsToHours(s.escalateAfterSeconds));
  const [defaultPlanId, setDefaultPlanId] = useState(s.defaultPlanId ?? '');

  const form = useSubmit(FIELDS, async () => {
    const errors: Record<string, string> = {};
    if (!isTimeZone(timezone.trim())) errors.timezone = 'Enter an IANA time zone, such as Europe/Paris.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(payoutAnchor)) errors.payoutAnchor = 'Choose a day on which a pay period starts.';
    if (!attributionField.trim()) errors.attributionField = 'Name the field that says who made the sale.';
    const currency = autoCurrency.trim().toUpperCase();
    let autoApproveMaxMinor: number | null = null;
    if (autoMax.trim()) {
      if (!/^[A-Z]{3}$/.test(currency)) errors.autoApproveCurrency = 'A threshold needs its currency, such as USD.';
      const problem = amountProblem(autoMax, currency || 'USD');
      if (problem) errors.autoApproveMaxMinor = problem;
      autoApproveMaxMinor = parseMajor(autoMax, currency || 'USD') ?? null;
    }
    const reminderAfterSeconds = hoursToSeconds(reminderHours);
    const escalateAfterSeconds = hoursToSeconds(escalateHours);
    const hoursHint = 'Enter hours, such as 24 or 1.5.';
    if (reminderAfterSeconds === undefined) errors.reminderAfterSeconds = hoursHint;
    if (escalateAfterSeconds === undefined) errors.escalateAfterSeconds = hoursHint;
    if (Object.keys(errors).length > 0) throw new InputError(errors);
    const saved = await updateCommissionSettings(orgId, {
      timezone: timezone.trim(),
      payoutFrequency,
      payoutAnchor,
      attributionField: attributionField.trim(),
      autoApproveMaxMinor,
      autoApproveCurrency: autoApproveMaxMinor === null ? null : currency,
      reminderAfterSeconds,
      escalateAfterSeconds,
      defaultPlanId: defaultPlanId || null,
    });
    onSaved(saved);
    toast.success('Commission settings saved');
  });
  const e = form.fieldErrors;

  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Commission settings">
      <ErrorAlert message={form.error} />
      <fieldset className="bare" disabled={!canEdit}>
        <div className="grid-2">
          <TextField label="Time zone" name="timezone" list="commission-timezones" value={timezone} onChange={(ev) => setTimezone(ev.target.value)} error={e.timezone} hint="Pay periods start and end at midnight here." />
          <datalist id="commission-timezones">
            {(Intl.supportedValuesOf?.('timeZone') ?? []).map((tz) => (
              <option key={tz} value={tz} />
            ))}
          </datalist>
          <SelectField label="Payout frequency" name="payoutFrequency" value={payoutFrequency} onChange={(ev) => setPayoutFrequency(ev.target.value as PayoutFrequency)} error={e.payoutFrequency}>
            {FREQUENCIES.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </SelectField>
          <TextField label="Anchor date" name="payoutAnchor" type="date" value={payoutAnchor} onChange={(ev) => setPayoutAnchor(ev.target.value)} error={e.payoutAnchor} hint="A day on which a pay period starts; the others follow from it." />
          <TextField label="Attribution field" name="attributionField" value={attributionField} onChange={(ev) => setAttributionField(ev.target.value)} error={e.attributionField} hint="The GHL field naming who made the sale." />
          <TextField
            label="Auto-approve up to"
            name="autoApproveMaxMinor"
            inputMode="decimal"
            value={autoMax}
            onChange={(ev) => setAutoMax(ev.target.value)}
            error={e.autoApproveMaxMinor}
            hint="Commissions up to this amount skip approval. Empty: every commission waits for a decision."
          />
          <TextField label="Auto-approve currency" name="autoApproveCurrency" maxLength={3} value={autoCurrency} onChange={(ev) => setAutoCurrency(ev.target.value.toUpperCase())} error={e.autoApproveCurrency} />
          <TextField label="Remind approvers after (hours)" name="reminderAfterSeconds" inputMode="decimal" value={reminderHours} onChange={(ev) => setReminderHours(ev.target.value)} error={e.reminderAfterSeconds} />
          <TextField label="Escalate after (hours)" name="escalateAfterSeconds" inputMode="decimal" value={escalateHours} onChange={(ev) => setEscalateHours(ev.target.value)} error={e.escalateAfterSeconds} />
          <SelectField label="Default plan" name="defaultPlanId" value={defaultPlanId} onChange={(ev) => setDefaultPlanId(ev.target.value)} error={e.defaultPlanId} hint="For members in no plan.">
            <option value="">None: members’ own rates</option>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        <p className="muted">Next scheduled payout run: {s.nextPayoutAt ? <time dateTime={s.nextPayoutAt}>{formatTime(s.nextPayoutAt)}</time> : 'none scheduled'}.</p>
        {canEdit && (
          <div className="actions">
            <button type="submit" className="btn-primary" disabled={form.busy}>
              Save settings
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
