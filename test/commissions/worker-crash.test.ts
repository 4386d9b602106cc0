// A worker SIGKILLed between "calculated" and "approved": after a restart nothing is lost and
// nothing is doubled (one sale, one calculation, decided once, paid once).
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { commissionStateQuery } from '../../workflows/commissions/messages';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createTenant } from '../helpers/tenants';
import { spawnWorker } from '../helpers/worker-process';
import { connectClient } from '../helpers/worker';
import { until as waitUntil } from '../helpers/until';

/** More patient than the default: workers and servers restart meanwhile. */
const until = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs?: number) => waitUntil(what, fn, { timeoutMs: timeoutMs ?? 90_000, intervalMs: 100, ignoreErrors: true });

describe('a commission worker killed mid-approval', () => {
  let sql: Sql;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  const taskQueue = `commission-crash-${randomUUID()}`;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    sql = testSql();
    app = await startApp({ taskQueue });
    temporal = await connectClient();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await temporal?.close();
    await app?.close();
    await sql?.end();
  });

  it('loses nothing and doubles nothing', async () => {
    const t = await createTenant(sql, 'commission-crash');
    await sql`update public.team_members set commission_rate_bps = 750, commission_type = 'percentage' where id = ${t.teamMemberId}`;
    const admin = await tokenFor(app.auth, t.users.administrator.userId);
    const api = (method: string, p: string, body?: unknown) => call(app.url, method, `/api/v1/orgs/${t.orgId}${p}`, { token: admin, body });

    workers.push(spawnWorker(taskQueue));
    const sale = await api('POST', '/sales-transactions', { externalId: 'crash-1', amountMinor: 80_001, currency: 'USD', teamMemberId: t.teamMemberId });
    expect(sale.status).toBe(201);
    // Kill the worker the moment the calculation row exists: the activity's answer may not have
    // reached Temporal yet, so the restarted worker may run it again.
    const calc = await until('the calculation', async () => {
      const [row] = await sql<{ id: string }[]>`select id from public.commission_calculations where transaction_id = ${sale.body.id}`;
      return row;
    });
    workers[0]!.kill('SIGKILL');
    // A second delivery of the same sale while no worker runs.
    expect((await api('POST', '/sales-transactions', { externalId: 'crash-1', amountMinor: 80_001, currency: 'USD', teamMemberId: t.teamMemberId })).status).toBe(200);

    workers.push(spawnWorker(taskQueue));
    const handle = temporal.client.workflow.getHandle(sale.body.workflowId);
    await until('the restarted workflow to await approval', async () => {
      const state = await handle.query(commissionStateQuery);
      return state.phase === 'awaiting_approval' ? state : undefined;
    });
    const approved = await api('POST', `/commissions/${calc.id}/approve`, {});
    expect(approved.body).toMatchObject({ id: calc.id, status: 'payable', amountMinor: 6_000 });
    expect((await handle.result()).calculations).toEqual([{ id: calc.id, status: 'payable' }]);

    const run = await api('POST', '/payouts/run', {});
    expect(run.body.payouts).toEqual([expect.objectContaining({ totalMinor: 6_000, itemCount: 1 })]);
    const [counts] = await sql<{ sales: number; calcs: number; items: number }[]>`
      select (select count(*)::int from public.sales_transactions where organization_id = ${t.orgId}) as sales,
             (select count(*)::int from public.commission_calculations where organization_id = ${t.orgId}) as calcs,
             (select count(*)::int from public.commission_payout_items where organization_id = ${t.orgId}) as items`;
    expect(counts).toEqual({ sales: 1, calcs: 1, items: 1 });
  });
});
