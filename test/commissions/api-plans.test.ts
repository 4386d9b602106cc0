import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { appSql, testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';
import { ledger, workerWriter } from './ledger';

// Commission plans over HTTP on the real stack: plans with effective-dated versions validated
// by the rules engine, team membership, deletion guarded by the ledger, and the live preview.
describe('commission plans API', () => {
  let sql: Sql;
  let workerSql: Sql;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let members: string[];

  beforeAll(async () => {
    sql = testSql();
    workerSql = appSql();
    app = await startApp({ taskQueue: `commission-plans-${randomUUID()}` });
    t = await createTenant(sql, 'cp');
    other = await createTenant(sql, 'cp-other');
    members = [];
    for (const name of ['Ann', 'Ben', 'Cem']) {
      const [row] = await sql<{ id: string }[]>`insert into public.team_members (organization_id, full_name) values (${t.orgId}, ${name}) returning id`;
      members.push(row!.id);
    }
  });
  afterAll(async () => {
    await app?.close();
    await workerSql?.end();
    await sql?.end();
  });

  const as = async (tenant: Tenant, role: keyof Tenant['users'], method: string, path: string, body?: unknown, orgId = tenant.orgId) =>
    call(app.url, method, `/api/v1/orgs/${orgId}${path}`, { token: await tokenFor(app.auth, tenant.users[role].userId), body });
  const admin = (method: string, path: string, body?: unknown) => as(t, 'administrator', method, path, body);
  const paths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path).sort();

  const tiered = { kind: 'tiered', id: 'volume', mode: 'retroactive', tiers: [{ fromMinor: 0, rateBps: 500 }, { fromMinor: 1_000_000, rateBps: 1000 }] };
  const version = (effectiveFrom = '2026-01-01T00:00:00Z', rules: unknown[] = [tiered]) => ({ effectiveFrom, currency: 'USD', rules });
  const createPlan = async (body: Record<string, unknown> = {}) => {
    const res = await admin('POST', '/commission-plans', { name: `Plan ${randomUUID().slice(0, 6)}`, version: version(), ...body });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('creates a plan with its first version and members, and shows it to readers', async () => {
    const res = await admin('POST', '/commission-plans', {
      name: '  Closers 2026 ',
      description: 'Retroactive volume tiers',
      memberIds: [members[0], members[1]],
      version: { ...version(), caps: { perDealMinor: 500_000 }, note: 'first cut' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Closers 2026',
      description: 'Retroactive volume tiers',
      isActive: true,
      isDefault: false,
      memberIds: [members[0], members[1]].sort(),
      currentVersion: {
        id: expect.any(String),
        version: 1,
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        currency: 'USD',
        rules: [tiered],
        overrides: [],
        caps: { perDealMinor: 500_000 },
        note: 'first cut',
        used: false,
        createdAt: expect.any(String),
      },
      versionCount: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // A sales rep and a viewer read plans; only managers write them.
    for (const role of ['sales', 'viewer'] as const) {
      const list = await as(t, role, 'GET', '/commission-plans');
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual(res.body);
      expect((await as(t, role, 'POST', '/commission-plans', { name: 'Mine', version: version() })).status).toBe(403);
    }
    expect((await as(t, 'bot_trainer', 'GET', '/commission-plans')).status).toBe(403);
  });

  it('refuses invalid rules with problem+json naming each field under version.rules, overrides and caps', async () => {
    const res = await admin('POST', '/commission-plans', {
      name: 'Broken',
      version: {
        effectiveFrom: 'next monday',
        currency: 'usd',
        rules: [
          { kind: 'tiered', id: 't', mode: 'retroactive', tiers: [{ fromMinor: 100, rateBps: 1000 }, { fromMinor: 50, rateBps: 500 }] },
          { kind: 'percentage', id: 'p', rateBps: 12_000 },
        ],
        overrides: [{ id: 'o', rules: [] }],
        caps: { perDealMinor: -1 },
      },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(paths(res)).toEqual(
      [
        'version.effectiveFrom',
        'version.currency',
        'version.rules.0.tiers.0.fromMinor',
        'version.rules.0.tiers.1.fromMinor',
        'version.rules.0.tiers.1.rateBps',
        'version.rules.1.rateBps',
        'version.overrides.0',
        'version.caps.perDealMinor',
      ].sort(),
    );
    expect(res.body.errors.find((e: { path: string }) => e.path === 'version.rules.0.tiers.1.rateBps').message).toMatch(/may not be lower/);
    expect(await sql`select 1 from public.commission_plans where organization_id = ${t.orgId} and name = 'Broken'`).toHaveLength(0);

    const plan = await createPlan();
    const bad = await admin('POST', `/commission-plans/${plan.id}/versions`, { ...version('2027-01-01T00:00:00Z', [{ kind: 'flat', id: 'f', amountMinor: 1.5 }]), extra: 1 });
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(['extra', 'rules.0.amountMinor']);
  });

  it('numbers versions by effectiveFrom, lists them newest first, and refuses a second version at the same instant (409)', async () => {
    const plan = await createPlan();
    const later = await admin('POST', `/commission-plans/${plan.id}/versions`, { ...version('2030-01-01T00:00:00Z'), note: 'next year' });
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({ version: 2, effectiveFrom: '2030-01-01T00:00:00.000Z', note: 'next year', used: false });
    const earlier = await admin('POST', `/commission-plans/${plan.id}/versions`, version('2025-06-01T00:00:00Z', [{ kind: 'percentage', id: 'base', rateBps: 750 }]));
    expect(earlier.status).toBe(201);
    expect(earlier.body).toMatchObject({ version: 1, rules: [{ kind: 'percentage', id: 'base', rateBps: 750 }], overrides: [], caps: {} });

    const shown = await as(t, 'viewer', 'GET', `/commission-plans/${plan.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.versions.map((v: { version: number; effectiveFrom: string }) => [v.version, v.effectiveFrom])).toEqual([
      [3, '2030-01-01T00:00:00.000Z'],
      [2, '2026-01-01T00:00:00.000Z'],
      [1, '2025-06-01T00:00:00.000Z'],
    ]);
    expect(shown.body).toMatchObject({ versionCount: 3, currentVersion: { version: 2, effectiveFrom: '2026-01-01T00:00:00.000Z' } });

    // The same instant written with another offset is the same instant.
    const clash = await admin('POST', `/commission-plans/${plan.id}/versions`, version('2026-01-01T01:00:00+01:00'));
    expect(clash.status).toBe(409);
    expect(clash.headers.get('content-type')).toContain('application/problem+json');
    expect(paths(clash)).toEqual(['effectiveFrom']);
  });

  it('moves a team member from another plan, replaces members on PATCH, and refuses team members of another organization', async () => {
    const a = await createPlan({ memberIds: [members[0], members[1]] });
    const b = await createPlan({ memberIds: [members[1]] });
    const get = async (id: string) => (await admin('GET', `/commission-plans/${id}`)).body;
    expect((await get(a.id)).memberIds).toEqual([members[0]]);
    expect((await get(b.id)).memberIds).toEqual([members[1]]);

    const patched = await admin('PATCH', `/commission-plans/${a.id}`, { memberIds: [members[1], members[2]], isActive: false, name: 'Renamed' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Renamed', isActive: false, memberIds: [members[1], members[2]].sort() });
    expect((await get(b.id)).memberIds).toEqual([]);
    const [left] = await sql`select count(*)::int as n from public.commission_plan_members where team_member_id = ${members[0]!}`;
    expect(left!.n).toBe(0);

    const foreign = await admin('PATCH', `/commission-plans/${a.id}`, { memberIds: [other.teamMemberId] });
    expect(foreign.status).toBe(422);
    expect(paths(foreign)).toEqual(['memberIds.0']);
    expect((await get(a.id)).memberIds).toEqual([members[1], members[2]].sort());
    expect((await admin('PATCH', `/commission-plans/${a.id}`, {})).status).toBe(422);
  });

  it('deletes an unused plan, and refuses (409) to delete a plan whose version a calculation used', async () => {
    const unused = await createPlan();
    expect((await admin('DELETE', `/commission-plans/${unused.id}`)).status).toBe(204);
    expect((await admin('GET', `/commission-plans/${unused.id}`)).status).toBe(404);

    const used = await createPlan();
    await admin('POST', `/commission-plans/${used.id}/versions`, version('2031-01-01T00:00:00Z'));
    const l = ledger(workerWriter(workerSql));
    const transactionId = await l.sale(t.orgId, { teamMemberId: members[0]!, amountMinor: 100_000 });
    await l.calculation(t.orgId, { transactionId, teamMemberId: members[0]!, amountMinor: 5_000, planVersionId: used.currentVersion.id });

    const refused = await admin('DELETE', `/commission-plans/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/cannot be deleted: commissions were calculated with version 1\. Deactivate it instead/);
    const still = await admin('GET', `/commission-plans/${used.id}`);
    expect(still.status).toBe(200);
    expect(still.body.versions.map((v: { used: boolean }) => v.used)).toEqual([false, true]);
  });

  it('previews a tiered retroactive plan with the hand-computed amounts', async () => {
    const preview = (body: Record<string, unknown>, role: keyof Tenant['users'] = 'sales') =>
      as(t, role, 'POST', '/commission-plans/preview', { version: { currency: 'USD', rules: [tiered] }, ...body });

    // 8 000.00 USD already sold this period; tiers: 5% from 0, 10% (on the whole period) from 10 000.00.
    const res = await preview({ samplesMinor: [100_000, 300_000, 12_350, 12_330, 0], volumeBeforeMinor: 800_000 });
    expect(res.status).toBe(200);
    const rows = res.body.rows as { saleAmountMinor: number; commissionMinor: number; effectiveBps: number; trace: { tier?: number; base?: number; rate?: string; amountMinor?: number }[] }[];
    expect(rows.map((r) => [r.saleAmountMinor, r.commissionMinor, r.effectiveBps])).toEqual([
      // 900 000 x 5% - 800 000 x 5% = 5 000.
      [100_000, 5_000, 500],
      // Crosses into tier 2: 1 100 000 x 10% - 800 000 x 5% = 110 000 - 40 000 = 70 000 (the sale carries the true-up); 70 000 / 300 000 = 23.33%.
      [300_000, 70_000, 2333],
      // 12 350 x 5% = 617.5 -> 618 (half-even, to the even neighbour); 618 / 12 350 = 5.004% -> 500 bps.
      [12_350, 618, 500],
      // 12 330 x 5% = 616.5 -> 616 (half-even).
      [12_330, 616, 500],
      [0, 0, 0],
    ]);
    expect(rows[1]!.trace).toEqual([
      expect.objectContaining({ rule: 'plan' }),
      expect.objectContaining({ rule: 'volume', tier: 2, base: 1_100_000, rate: '10%' }),
      expect.objectContaining({ rule: 'volume', tier: 1, base: 800_000, rate: '5%' }),
      expect.objectContaining({ rule: 'volume', base: 300_000, amountMinor: 70_000 }),
    ]);

    // From an empty period, 15 000.00 earns 10% on all of it (marginal tiers would pay 1 000.00 less).
    const fresh = await preview({ samplesMinor: [1_500_000] });
    expect(fresh.body.rows[0]).toMatchObject({ commissionMinor: 150_000, effectiveBps: 1000 });

    // A per-deal cap of 600.00 and a period cap with 9 500.00 earned out of 10 000.00.
    const capped = await preview({ version: { currency: 'USD', rules: [tiered], caps: { perDealMinor: 60_000, perPeriodMinor: 1_000_000 } }, samplesMinor: [300_000], volumeBeforeMinor: 800_000, commissionToDateMinor: 950_000 });
    expect(capped.body.rows[0]).toMatchObject({ commissionMinor: 50_000 });
    expect(capped.body.rows[0].trace.map((s: { rule: string }) => s.rule)).toEqual(['plan', 'volume', 'volume', 'volume', 'cap-per-deal', 'cap-per-period']);

    // No rule: held for review, no amount.
    const held = await preview({ version: { currency: 'USD', rules: [] }, samplesMinor: [1_000] });
    expect(held.body.rows[0]).toMatchObject({ saleAmountMinor: 1_000, heldForReview: { code: 'no_rule' } });
    expect(held.body.rows[0]).not.toHaveProperty('commissionMinor');

    const invalid = await preview({ samplesMinor: [], version: { currency: 'USD', rules: [{ kind: 'percentage', id: 'p', rateBps: -1 }] } });
    expect(invalid.status).toBe(422);
    expect(paths(invalid)).toEqual(['samplesMinor', 'version.rules.0.rateBps']);
    expect((await preview({ samplesMinor: [1] }, 'bot_trainer')).status).toBe(403);
  });

  it("answers 404 for another organization's plans, whichever organization is in the path, and changes nothing", async () => {
    const plan = await createPlan({ memberIds: [members[2]] });
    const before = await admin('GET', `/commission-plans/${plan.id}`);
    for (const orgId of [t.orgId, other.orgId]) {
      const attempts: [string, string, unknown][] = [
        ['GET', `/commission-plans/${plan.id}`, undefined],
        ['PATCH', `/commission-plans/${plan.id}`, { name: 'Stolen' }],
        ['POST', `/commission-plans/${plan.id}/versions`, version('2032-01-01T00:00:00Z')],
        ['DELETE', `/commission-plans/${plan.id}`, undefined],
      ];
      for (const [method, path, body] of attempts) {
        const res = await as(other, 'owner', method, path, body, orgId);
        expect({ method, orgId, status: res.status }).toEqual({ method, orgId, status: 404 });
      }
    }
    expect((await as(other, 'owner', 'GET', '/commission-plans')).body.items).toEqual([]);
    expect(await admin('GET', `/commission-plans/${plan.id}`)).toMatchObject({ status: 200, body: before.body });
  });
});
