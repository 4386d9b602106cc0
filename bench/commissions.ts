// What does a payment cost, from GHL's webhook to a payout line, and is the money right?
// N distinct payments for M team members (plus re-sent duplicates) are POSTed as GHL workflow
// webhooks (a `payment` object, customData.sales_rep_id naming the rep) to the real API, under C
// concurrent clients; the real worker in this process runs ghlEventWorkflow -> commissionWorkflow
// (record, attribute by customData, price at the rep's own rate, approve automatically). When
// every commission is payable, the owner runs the payout batch through the API. Printed: accepted
// deliveries/s, payments/s end to end (first POST -> all payable), the payout run's time.
// Baseline, same run, same endpoint: as many contact-only workflow webhooks (no payment: the event
// workflow runs, no commission), half before and half after the payments.
// The money is checked against a recomputation written here (BigInt, half-even at the cent), per
// payment and per member, against Postgres and the API's payouts; duplicates must have made
// nothing. A mismatch exits 1. Goals: none set; ratios are printed, never enforced.
//   node --import tsx bench/commissions.ts [payments] [concurrency]
//     payments     distinct payments (default 10000, ≈ 28 min on 2 busy cores; 1000 ≈ 4 min)  env BENCH_PAYMENTS
//     concurrency  concurrent clients (default 20)                           env BENCH_CONCURRENCY
//     BENCH_MEMBERS=50 team members, BENCH_DUPLICATES=0.2 re-sent share, BENCH_SEED=1
import { randomBytes } from 'node:crypto';
import { Agent, createServer } from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { LOCAL_IO } from '../activities/flow';
import { createApp } from '../api/app';
import type { AuthConfig } from '../api/auth/tokens';
import { createSql, type Sql } from '../db/client';
import { enableAppLogin } from '../scripts/lib/app-login';
import { startEphemeralStack } from '../scripts/lib/ephemeral-stack';
import { ROOT } from '../scripts/lib/launcher-env';
import { freePort } from '../scripts/lib/ports';
import { createWorker, WORKFLOWS_PATH } from '../workers/worker';
import {
  type Answer, type BenchOrg, contactOnlyBody, createCommissionOrg, generatePayments, type Ingest, ingest, ownerToken, type Payment, paymentBody, postJson, seeded, withDuplicates,
} from './lib/commissions-fixtures';
import { combine, listen, type Load, throughput } from './lib/load';

const PAYMENTS = positive(process.argv[2] ?? process.env.BENCH_PAYMENTS, 10_000);
const CONCURRENCY = positive(process.argv[3] ?? process.env.BENCH_CONCURRENCY, 20);
const MEMBERS = positive(process.env.BENCH_MEMBERS, 50);
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.2);
const SEED = positive(process.env.BENCH_SEED, 1);
const WARMUP_DELIVERIES = 200;
const POLL_MS = 500;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const secs = (v: number) => `${(v / 1000).toFixed(1)} s`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

// ---------------------------------------------------------------------------------------------
// The independent recomputation: nothing from commissions/ (the code under test)
// ---------------------------------------------------------------------------------------------
/** cents x bps / 10 000, rounded once, half to even. `tie`: exactly half a cent was left. */
function expectedCommission(cents: bigint, bps: number): { minor: bigint; tie: boolean } {
  const numerator = cents * BigInt(bps);
  const quotient = numerator / 10_000n;
  const twice = (numerator % 10_000n) * 2n;
  if (twice > 10_000n) return { minor: quotient + 1n, tie: false };
  if (twice === 10_000n) return { minor: quotient % 2n === 0n ? quotient : quotient + 1n, tie: true };
  return { minor: quotient, tie: false };
}

// ---------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------
async function main(): Promise<number> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const closers: { what: string; close: () => Promise<unknown> }[] = [];
  const onExit = (what: string, close: () => Promise<unknown>) => closers.push({ what, close });
  try {
    console.log('starting Postgres and the Temporal dev server, bundling workflows...');
    const stack = await startEphemeralStack('bench-commissions');
    onExit('stack', () => stack.stop());
    const sql = stack.sql;
    const appUrl = await enableAppLogin(sql, stack.databaseUrl, randomBytes(18).toString('base64url'));
    const workerSql = createSql(appUrl, { applicationName: 'flowline-worker' });
    onExit('worker pool', () => workerSql.end());
    const apiSql = createSql(appUrl, { applicationName: 'flowline-api' });
    onExit('api pool', () => apiSql.end());

    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    onExit('worker connection', () => nativeConnection.close());
    const taskQueue = 'bench-commissions';
    // Attribution by customData never calls GHL: a call would fail at once on a port nobody serves.
    const ghl = { keyRing: undefined, baseUrl: `http://127.0.0.1:${await freePort()}`, oauth: undefined };
    const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, sql: workerSql, ...LOCAL_IO, ghl, workflowBundle: { code } });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    onExit('client connection', () => connection.close());
    const client = new Client({ connection });

    const apiConnection = await Connection.connect({ address: stack.temporalAddress });
    onExit('api connection', () => apiConnection.close());
    const auth: AuthConfig = {
      jwtSecret: randomBytes(32).toString('base64url'),
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlSeconds: 86_400,
      loginRateLimit: { windowSeconds: 900, perIp: 10, perEmail: 5 },
    };
    const app = createApp({
      sql: apiSql,
      temporal: new Client({ connection: apiConnection }),
      log: pino({ level: 'silent' }),
      taskQueue,
      temporalUiUrl: 'http://localhost:8233',
      readyzTimeoutMs: 10_000,
      readyzCacheMs: 0,
      webDistDir: path.join(ROOT, 'web', 'dist'),
      auth,
      ghl: { baseUrl: ghl.baseUrl },
    });
    const api = await listen(createServer(app));
    onExit('api server', api.close);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    onExit('http agent', async () => agent.destroy());

    let ok = false;
    await worker.runUntil(async () => {
      ok = await run(sql, client, api.port, agent, auth);
    });
    return ok ? 0 : 1;
  } finally {
    for (const { what, close } of closers.reverse()) {
      await close().catch((err: unknown) => console.error(`closing the ${what} failed:`, err));
    }
  }
}

async function run(sql: Sql, client: Client, port: number, agent: Agent, auth: AuthConfig): Promise<boolean> {
  const random = seeded(SEED);
  const allClosed = async () => (await client.workflow.count('ExecutionStatus = "Running"')).count === 0;
  const postTo = (org: BenchOrg) => (body: string) => postJson(agent, port, org.hookPath, body);

  // Warm-up in an organization of its own, so its money never mixes with the measured one.
  const warm = await createCommissionOrg(sql, 'bench-warmup', 5);
  const warmPayments = generatePayments(WARMUP_DELIVERIES, warm.members, random, 'warm');
  console.log(`warming up (${WARMUP_DELIVERIES} payments and ${WARMUP_DELIVERIES} contact-only deliveries, another organization)...`);
  const warmProcessed = async () => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.ghl_webhook_events where organization_id = ${warm.orgId} and processed_at is not null`;
    return row!.n;
  };
  const warmDeliveries = [...warmPayments.map((p, i) => paymentBody(warm, p, i)), ...warmPayments.map((p, i) => contactOnlyBody(warm, p.ghlContactId, i))];
  await ingest({ label: 'warm-up', deliveries: warmDeliveries, concurrency: CONCURRENCY, post: postTo(warm), progress: warmProcessed, target: warmDeliveries.length, settled: allClosed });

  const org = await createCommissionOrg(sql, 'bench-commissions', MEMBERS);
  const payments = generatePayments(PAYMENTS, org.members, random, 'pay');
  const subject = withDuplicates(payments.map((p, i) => paymentBody(org, p, i)), DUPLICATES, random);
  const contactPool = Math.max(1, Math.floor(PAYMENTS / 5));
  const baseline = withDuplicates(Array.from({ length: PAYMENTS }, (_, i) => contactOnlyBody(org, `contact-base-${i % contactPool}`, i)), DUPLICATES, random);
  const half = Math.ceil(baseline.deliveries.length / 2);
  // The wait counts distinct bodies so far: a re-send in the second half of a first-half body adds nothing.
  const baselineHalves = [baseline.deliveries.slice(0, half), baseline.deliveries.slice(half)];

  const processedContactOnly = async () => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.ghl_webhook_events
      where organization_id = ${org.orgId} and processed_at is not null and webhook_id like 'workflow:ghl-wf-body:%'`;
    return row!.n;
  };
  const payable = async () => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.commission_calculations where organization_id = ${org.orgId} and status = 'payable'`;
    return row!.n;
  };

  console.log(`${PAYMENTS} payments for ${MEMBERS} team members, ${subject.duplicates} re-sent (${subject.deliveries.length} deliveries), ${CONCURRENCY} concurrent clients`);
  const base: Ingest[] = [];
  let seenBase = new Set<string>();
  const baselineHalf = async (deliveries: string[]) => {
    seenBase = new Set([...seenBase, ...deliveries]);
    const target = seenBase.size;
    console.log(`(baseline) ${deliveries.length} contact-only deliveries...`);
    base.push(await ingest({ label: 'baseline', deliveries, concurrency: CONCURRENCY, post: postTo(org), progress: processedContactOnly, target, settled: allClosed }));
  };
  await baselineHalf(baselineHalves[0]!);
  console.log(`(subject) ${subject.deliveries.length} payment deliveries...`);
  const pay = await ingest({ label: 'payments', deliveries: subject.deliveries, concurrency: CONCURRENCY, post: postTo(org), progress: payable, target: PAYMENTS, settled: async () => true });
  const closedAfter = performance.now();
  while (!(await allClosed())) await sleep(POLL_MS);
  const closeMs = performance.now() - closedAfter;

  console.log('(payout) POST /payouts/run as the owner...');
  const token = await ownerToken(auth, org);
  const p0 = performance.now();
  const payout = await postJson(agent, port, `/api/v1/orgs/${org.orgId}/payouts/run`, '{}', token);
  const payoutMs = performance.now() - p0;
  await baselineHalf(baselineHalves[1]!);

  // Report --------------------------------------------------------------------------------
  const b = combine(base.map((x) => x.load));
  const baseE2e = base.reduce((s, x) => s + x.endToEndMs, 0);
  const baseUnique = seenBase.size;
  const row = (label: string, l: Load, e2eMs: number, unique: number) =>
    `    ${label.padEnd(34)}${String(l.latencies.length + l.errors).padStart(8)}${throughput(l).toFixed(1).padStart(10)}${ms(percentile(l.latencies, 50)).padStart(9)}${ms(percentile(l.latencies, 99)).padStart(9)}${String(l.errors).padStart(7)}${secs(e2eMs).padStart(9)}${(unique / (e2eMs / 1000)).toFixed(1).padStart(10)}`;
  console.log('');
  console.log(`GHL workflow webhooks -> commissions: ${PAYMENTS} payments (+${subject.duplicates} re-sent), ${MEMBERS} team members, ${CONCURRENCY} clients`);
  console.log(`    ${''.padEnd(34)}${'sent'.padStart(8)}${'accept/s'.padStart(10)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'errors'.padStart(7)}${'e2e'.padStart(9)}${'unique/s'.padStart(10)}`);
  console.log(row('baseline  contact-only (2 halves)', b, baseE2e, baseUnique));
  console.log(row('subject   payment -> payable', pay.load, pay.endToEndMs, PAYMENTS));
  console.log(`    ratio     accepted deliveries/s subject / baseline = ${(throughput(pay.load) / throughput(b)).toFixed(2)}`);
  console.log(`    ratio     end-to-end unique/s subject / baseline = ${(PAYMENTS / pay.endToEndMs / (baseUnique / baseE2e)).toFixed(2)} (no goal set)`);
  console.log(`    throughput ${(PAYMENTS / (pay.endToEndMs / 1000)).toFixed(1)} payments/s end to end; first POST -> all ${PAYMENTS} payable in ${secs(pay.endToEndMs)} (then ${secs(closeMs)} until no workflow ran)`);
  console.log(`    payout run POST /payouts/run: ${ms(payoutMs)}, answered ${payout.status}`);
  console.log(`    429 retries: baseline ${base.reduce((s, x) => s + x.retries, 0)}, payments ${pay.retries}`);
  for (const [label, l] of [['baseline', b], ['payments', pay.load]] as const) {
    if (l.firstError) console.log(`    first ${label} error: ${l.firstError}`);
  }
  console.log('');
  const baseDuplicates = base.reduce((s, x) => s + x.duplicatesAnswered, 0);
  return verify(sql, org, payments, { sent: subject.duplicates, answered: pay.duplicatesAnswered }, { sent: baseline.deliveries.length - baseUnique, answered: baseDuplicates }, payout);
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------
type Duplicates = { sent: number; answered: number };

async function verify(sql: Sql, org: BenchOrg, payments: Payment[], duplicates: Duplicates, baseDuplicates: Duplicates, payout: Answer): Promise<boolean> {
  let ok = true;
  const check = (what: string, expected: unknown, actual: unknown) => {
    const match = String(expected) === String(actual);
    ok &&= match;
    console.log(`    ${match ? 'MATCH   ' : 'MISMATCH'} ${what}: expected ${String(expected)}, got ${String(actual)}`);
  };

  const perMember = new Map<string, { minor: bigint; count: number }>(org.members.map((m) => [m.id, { minor: 0n, count: 0 }]));
  const byTransaction = new Map<string, { payment: Payment; minor: bigint }>();
  let ties = 0;
  let halfUpWouldDiffer = 0;
  for (const p of payments) {
    const e = expectedCommission(p.cents, p.member.rateBps);
    if (e.tie) ties += 1;
    if (e.tie && (p.cents * BigInt(p.member.rateBps)) / 10_000n === e.minor) halfUpWouldDiffer += 1;
    byTransaction.set(p.transactionId, { payment: p, minor: e.minor });
    const m = perMember.get(p.member.id)!;
    m.minor += e.minor;
    m.count += 1;
  }
  const total = [...perMember.values()].reduce((s, m) => s + m.minor, 0n);
  console.log(`verification (recomputed here: BigInt, half-even; ${ties} payments end on exactly half a cent, ${halfUpWouldDiffer} of them round down where half-up would not)`);

  const [counts] = await sql<{ events: number; sales: number; calcs: number; payable: number }[]>`
    select (select count(*)::int from public.ghl_webhook_events where organization_id = ${org.orgId} and webhook_id like 'workflow:ghl-wf-txn:%') as events,
           (select count(*)::int from public.sales_transactions where organization_id = ${org.orgId}) as sales,
           (select count(*)::int from public.commission_calculations where organization_id = ${org.orgId}) as calcs,
           (select count(*)::int from public.commission_calculations where organization_id = ${org.orgId} and status = 'payable' and kind = 'commission') as payable`;
  check('payment deliveries the API called duplicates', duplicates.sent, duplicates.answered);
  check('contact-only deliveries the API called duplicates', baseDuplicates.sent, baseDuplicates.answered);
  check('payment deliveries recorded', payments.length, counts!.events);
  check('sales recorded', payments.length, counts!.sales);
  check('commission calculations', payments.length, counts!.calcs);
  check('payable commissions', payments.length, counts!.payable);

  const rows = await sql<{ external_id: string; amount_minor: string; team_member_id: string | null; commission: string | null; n: number }[]>`
    select s.external_id, s.amount_minor::text, s.team_member_id,
      (select sum(c.amount_minor)::text from public.commission_calculations c where c.organization_id = s.organization_id and c.transaction_id = s.id) as commission,
      (select count(*)::int from public.commission_calculations c where c.organization_id = s.organization_id and c.transaction_id = s.id) as n
    from public.sales_transactions s where s.organization_id = ${org.orgId}`;
  const wrong = rows.filter((r) => {
    const e = byTransaction.get(r.external_id);
    return !e || BigInt(r.amount_minor) !== e.payment.cents || r.team_member_id !== e.payment.member.id || r.n !== 1 || BigInt(r.commission ?? -1) !== e.minor;
  });
  check('sales with the wrong amount, rep or commission', 0, wrong.length);
  for (const r of wrong.slice(0, 5)) {
    const e = byTransaction.get(r.external_id);
    console.log(`      ${r.external_id}: sale ${r.amount_minor} (sent ${e?.payment.cents}), rep ${r.team_member_id} (sent ${e?.payment.member.id}), ${r.n} calculation(s) summing ${r.commission} (expected ${e?.minor})`);
  }

  const sums = await sql<{ team_member_id: string; minor: string; n: number }[]>`
    select team_member_id, sum(amount_minor)::text as minor, count(*)::int as n from public.commission_calculations
    where organization_id = ${org.orgId} group by team_member_id`;
  const dbSums = new Map(sums.map((s) => [s.team_member_id, s]));
  const payouts = ((payout.body as { payouts?: Array<{ teamMemberId: string; totalMinor: number; itemCount: number; currency: string }> }).payouts ?? []);
  const apiSums = new Map(payouts.map((p) => [p.teamMemberId, p]));
  const paid = [...perMember.entries()].filter(([, m]) => m.count > 0);
  check('payout run answered', 200, payout.status);
  check('payouts drafted (members with sales)', paid.length, payouts.length);
  let dbOff = 0;
  let apiOff = 0;
  for (const [id, m] of paid) {
    const d = dbSums.get(id);
    const a = apiSums.get(id);
    if (!d || BigInt(d.minor) !== m.minor || d.n !== m.count) dbOff += 1;
    if (!a || BigInt(a.totalMinor) !== m.minor || a.itemCount !== m.count || a.currency !== 'USD') {
      apiOff += 1;
      if (apiOff <= 5) console.log(`      payout of ${id}: expected ${m.minor} in ${m.count} lines, the API says ${a?.totalMinor} in ${a?.itemCount}`);
    }
  }
  check('members whose commission_calculations sum differs', 0, dbOff);
  check('members whose payout total or line count differs (API)', 0, apiOff);
  check('total commission in payouts (cents)', total, payouts.reduce((s, p) => s + BigInt(p.totalMinor), 0n));
  console.log(ok ? 'all MATCH' : 'MISMATCH: see above');
  return ok;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
