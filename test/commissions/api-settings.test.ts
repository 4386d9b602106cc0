import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { payoutScheduleId } from '../../api/commissions/payout-schedule';
import { SETTINGS_DEFAULTS } from '../../api/commissions/views';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient } from '../helpers/worker';
import { plan } from './ledger';

// Commission settings over HTTP on the real stack: defaults, validation, who may change them,
// and the Temporal payout schedule that a change of frequency, anchor or timezone rebuilds.
describe('commission settings API', () => {
  let sql: Sql;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  const taskQueue = `commission-settings-${randomUUID()}`;
  const orgs: string[] = [];

  beforeAll(async () => {
    sql = testSql();
    app = await startApp({ taskQueue });
    temporal = await connectClient();
  });
  afterAll(async () => {
    for (const orgId of orgs) await temporal?.client.schedule.getHandle(payoutScheduleId(orgId)).delete().catch(() => undefined);
    await temporal?.close();
    await app?.close();
    await sql?.end();
  });

  const tenant = async (label: string) => {
    const t = await createTenant(sql, label);
    orgs.push(t.orgId);
    return t;
  };
  const as = async (t: Tenant, role: keyof Tenant['users'], method: string, body?: unknown, orgId = t.orgId) =>
    call(app.url, method, `/api/v1/orgs/${orgId}/commission-settings`, { token: await tokenFor(app.auth, t.users[role].userId), body });
  const schedule = (orgId: string) => temporal.client.schedule.getHandle(payoutScheduleId(orgId)).describe();

  it('answers the defaults, and no next payout, until the settings are first saved', async () => {
    const t = await tenant('cs-defaults');
    const res = await as(t, 'viewer', 'GET');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...SETTINGS_DEFAULTS, nextPayoutAt: null });
  });

  it("uses the database's own column defaults as its defaults", async () => {
    const t = await tenant('cs-drift');
    await sql`insert into public.commission_settings (organization_id) values (${t.orgId})`;
    const res = await as(t, 'viewer', 'GET');
    expect(res.body).toEqual({ ...SETTINGS_DEFAULTS, nextPayoutAt: null });
  });

  it('creates the Temporal payout schedule on the first save and rebuilds it when frequency, anchor or timezone change', async () => {
    const t = await tenant('cs-schedule');
    // The first save creates the schedule even when it names no schedule field.
    const first = await as(t, 'administrator', 'PATCH', { attributionField: 'rep_email' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ...SETTINGS_DEFAULTS, attributionField: 'rep_email' });
    let described = await schedule(t.orgId);
    expect(described.spec.timezone).toBe('UTC');
    expect(described.spec.calendars).toMatchObject([{ dayOfMonth: [{ start: 1, end: 1 }], hour: [{ start: 0 }], minute: [{ start: 5 }] }]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'payoutScheduleWorkflow', args: [{ orgId: t.orgId }], taskQueue });
    expect(first.body.nextPayoutAt).toBe(described.info.nextActionTimes[0]!.toISOString());

    // Weekly, on the anchor's weekday (2026-03-04 is a Wednesday), just after midnight in New York.
    const weekly = await as(t, 'owner', 'PATCH', { payoutFrequency: 'weekly', payoutAnchor: '2026-03-04', timezone: 'America/New_York' });
    expect(weekly.status).toBe(200);
    expect(weekly.body).toMatchObject({ payoutFrequency: 'weekly', payoutAnchor: '2026-03-04', timezone: 'America/New_York', attributionField: 'rep_email' });
    described = await schedule(t.orgId);
    expect(described.spec.timezone).toBe('America/New_York');
    expect(described.spec.calendars).toMatchObject([{ dayOfWeek: [{ start: 'WEDNESDAY', end: 'WEDNESDAY' }], hour: [{ start: 0 }], minute: [{ start: 5 }] }]);
    const next = new Date(weekly.body.nextPayoutAt);
    expect(next.toISOString()).toBe(described.info.nextActionTimes[0]!.toISOString());
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toBe('Wednesday 00:05');

    // GET reads the same next run from Temporal.
    expect((await as(t, 'sales', 'GET')).body).toEqual(weekly.body);
  });

  it('refuses a viewer and a sales rep (403, problem+json) and changes nothing', async () => {
    const t = await tenant('cs-forbidden');
    for (const role of ['viewer', 'sales', 'bot_trainer'] as const) {
      const res = await as(t, role, 'PATCH', { timezone: 'Europe/Berlin' });
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await sql`select 1 from public.commission_settings where organization_id = ${t.orgId}`).toHaveLength(0);
    await expect(schedule(t.orgId)).rejects.toThrow();
    expect((await as(t, 'bot_trainer', 'GET')).status).toBe(403);
  });

  it('validates fields and their combinations, naming each field', async () => {
    const t = await tenant('cs-invalid');
    const other = await tenant('cs-invalid-other');
    const foreignPlan = await plan(sql, other.orgId);
    const cases: [unknown, string[]][] = [
      [{ timezone: 'Mars/Olympus_Mons' }, ['timezone']],
      [{ payoutFrequency: 'daily', payoutAnchor: '2026-02-30' }, ['payoutFrequency', 'payoutAnchor']],
      [{ reminderAfterSeconds: 600, escalateAfterSeconds: 300 }, ['escalateAfterSeconds']],
      [{ reminderAfterSeconds: 500_000 }, ['reminderAfterSeconds']], // above the default escalation (432 000 s)
      [{ autoApproveMaxMinor: 5_000 }, ['autoApproveCurrency']],
      [{ autoApproveCurrency: 'usd', autoApproveMaxMinor: 1.5 }, ['autoApproveMaxMinor', 'autoApproveCurrency']],
      [{ defaultPlanId: foreignPlan.planId }, ['defaultPlanId']],
      [{ surprise: true }, ['surprise']],
      [{}, ['']],
    ];
    for (const [body, paths] of cases) {
      const res = await as(t, 'administrator', 'PATCH', body);
      expect({ body, status: res.status }).toEqual({ body, status: 422 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect({ body, paths: res.body.errors.map((e: { path: string }) => e.path).sort() }).toEqual({ body, paths: [...paths].sort() });
    }
    expect(await sql`select 1 from public.commission_settings where organization_id = ${t.orgId}`).toHaveLength(0);
  });

  it('saves automatic approval, delays and a default plan of the organization, and clears them with null', async () => {
    const t = await tenant('cs-values');
    const own = await plan(sql, t.orgId);
    const res = await as(t, 'administrator', 'PATCH', {
      autoApproveMaxMinor: 50_000,
      autoApproveCurrency: 'EUR',
      reminderAfterSeconds: 3_600,
      escalateAfterSeconds: 7_200,
      defaultPlanId: own.planId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ autoApproveMaxMinor: 50_000, autoApproveCurrency: 'EUR', reminderAfterSeconds: 3_600, escalateAfterSeconds: 7_200, defaultPlanId: own.planId });
    const [row] = await sql`select auto_approve_max_minor::text as max, default_plan_id from public.commission_settings where organization_id = ${t.orgId}`;
    expect(row).toEqual({ max: '50000', default_plan_id: own.planId });
    const plans = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/commission-plans`, { token: await tokenFor(app.auth, t.users.viewer.userId) });
    expect(plans.body.items).toEqual([expect.objectContaining({ id: own.planId, isDefault: true })]);

    const cleared = await as(t, 'administrator', 'PATCH', { autoApproveMaxMinor: null, autoApproveCurrency: null, defaultPlanId: null });
    expect(cleared.body).toMatchObject({ autoApproveMaxMinor: null, autoApproveCurrency: null, defaultPlanId: null, reminderAfterSeconds: 3_600 });
  });

  it("answers 404 to members of another organization, and leaves that organization's settings alone", async () => {
    const victim = await tenant('cs-victim');
    const attacker = await tenant('cs-attacker');
    await as(victim, 'owner', 'PATCH', { timezone: 'Europe/Paris' });
    for (const role of ['owner', 'administrator', 'viewer'] as const) {
      expect((await as(attacker, role, 'PATCH', { timezone: 'Asia/Tokyo' }, victim.orgId)).status).toBe(404);
      expect((await as(attacker, role, 'GET', undefined, victim.orgId)).status).toBe(404);
    }
    expect((await as(victim, 'viewer', 'GET')).body.timezone).toBe('Europe/Paris');
    expect((await schedule(victim.orgId)).spec.timezone).toBe('Europe/Paris');
  });
});
