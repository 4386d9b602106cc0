import { z } from 'zod';
import type { Tx } from '../../db/tenant';
import { isTimeZone } from '../commissions/local-date';
import { ensurePayoutSchedule, nextPayoutAt } from '../commissions/payout-schedule';
import { loadSettings, PAYOUT_FREQUENCIES, settingsColumns, settingsSchema, type StoredSettings, toStoredSettings } from '../commissions/views';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

const seconds = z.number().int('Whole seconds').min(1).max(31_536_000, 'At most a year');
const patchBody = z
  .strictObject({
    timezone: z.string().trim().min(1).max(64).refine(isTimeZone, 'Not an IANA timezone name (e.g. "Europe/Berlin")'),
    attributionField: z.string().trim().min(1, 'Required').max(100),
    autoApproveMaxMinor: z.number().int('Minor units are whole numbers').min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
    autoApproveCurrency: z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as "USD"').nullable(),
    reminderAfterSeconds: seconds,
    escalateAfterSeconds: seconds,
    payoutFrequency: z.enum(PAYOUT_FREQUENCIES),
    payoutAnchor: z.iso.date('A day as YYYY-MM-DD'),
    defaultPlanId: z.uuid().nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one field', when: (p) => p.issues.length === 0 });
type PatchBody = z.infer<typeof patchBody>;

const COLUMNS: Record<keyof PatchBody, string> = {
  timezone: 'timezone',
  attributionField: 'attribution_field',
  autoApproveMaxMinor: 'auto_approve_max_minor',
  autoApproveCurrency: 'auto_approve_currency',
  reminderAfterSeconds: 'reminder_after_seconds',
  escalateAfterSeconds: 'escalate_after_seconds',
  payoutFrequency: 'payout_frequency',
  payoutAnchor: 'payout_anchor',
  defaultPlanId: 'default_plan_id',
};
/** The fields the Temporal payout schedule is built from. */
const SCHEDULE_FIELDS = ['payoutFrequency', 'payoutAnchor', 'timezone'] as const;

/** The rules that involve several fields, checked on the settings as they will be after the change. */
async function assertConsistent(tx: Tx, orgId: string, body: PatchBody, merged: StoredSettings): Promise<void> {
  const errors: { path: string; message: string }[] = [];
  if (merged.escalateAfterSeconds < merged.reminderAfterSeconds) {
    const path = 'escalateAfterSeconds' in body || !('reminderAfterSeconds' in body) ? 'escalateAfterSeconds' : 'reminderAfterSeconds';
    errors.push({ path, message: `Escalate no sooner than the reminder (${merged.reminderAfterSeconds} s <= ${merged.escalateAfterSeconds} s is required)` });
  }
  if ((merged.autoApproveMaxMinor === null) !== (merged.autoApproveCurrency === null)) {
    const path = merged.autoApproveMaxMinor === null ? 'autoApproveMaxMinor' : 'autoApproveCurrency';
    errors.push({ path, message: 'Set autoApproveMaxMinor and autoApproveCurrency together (or both null to turn automatic approval off)' });
  }
  if (body.defaultPlanId) {
    const [plan] = await tx`select 1 from public.commission_plans where organization_id = ${orgId} and id = ${body.defaultPlanId}`;
    if (!plan) errors.push({ path: 'defaultPlanId', message: 'Not a commission plan of this organization' });
  }
  if (errors.length) throw new HttpError(422, 'These settings do not fit together', errors);
}

export const commissionSettingsRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/commission-settings',
    summary: 'Commission settings (the defaults until first saved), with when the next payout batch runs',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    response: settingsSchema,
    async handler({ params, asUser, services }) {
      const settings = await asUser((tx) => loadSettings(tx, params.orgId!));
      return { ...settings, nextPayoutAt: await nextPayoutAt(services, params.orgId!) };
    },
  }),
  defineRoute<PatchBody>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/commission-settings',
    summary:
      'Change commission settings; a change of payout frequency, anchor or timezone (or the first save) updates the ' +
      'Temporal payout schedule in the same transaction',
    tags: ['commissions'],
    access: orgAccess('commissions', 'update'),
    body: patchBody,
    response: settingsSchema,
    errors: { 422: 'A field is invalid, the fields do not fit together, or defaultPlanId is not a plan of this organization' },
    async handler({ params, body, asUser, services }) {
      const orgId = params.orgId!;
      const settings = await asUser(async (tx) => {
        // Locks the row (when there is one) so that concurrent changes apply one after the other.
        await tx`select 1 from public.commission_settings where organization_id = ${orgId} for update`;
        const current = await loadSettings(tx, orgId);
        await assertConsistent(tx, orgId, body, { ...current, ...body });
        const changes = Object.fromEntries(Object.entries(body).map(([k, v]) => [COLUMNS[k as keyof PatchBody], v]));
        const [row] = await tx`
          insert into public.commission_settings ${tx({ organization_id: orgId, ...changes })}
          on conflict (organization_id) do update set ${tx(changes)}
          returning ${settingsColumns(tx)}, (xmax = 0) as inserted`;
        const saved = toStoredSettings(row as never);
        // Inside the transaction: if Temporal refuses, the settings are not saved either, and
        // the row lock keeps two changes from leaving the schedule on the older one.
        if (row!.inserted || SCHEDULE_FIELDS.some((f) => f in body)) {
          await ensurePayoutSchedule(services, orgId, { payoutFrequency: saved.payoutFrequency, payoutAnchor: saved.payoutAnchor, timezone: saved.timezone });
        }
        return saved;
      });
      return { ...settings, nextPayoutAt: await nextPayoutAt(services, orgId) };
    },
  }),
];
