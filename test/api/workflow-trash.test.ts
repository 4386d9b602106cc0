// The workflow trash over HTTP on the real stack: deleting hides and stops a workflow,
// restoring brings it back within the organization's retention window (trashRetentionDays).
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { withClaims } from '../../db/tenant';
import { call, tokenFor } from '../helpers/api';
import type { RunningApp } from '../helpers/app';
import { flow, flowApi, type FlowApi } from '../helpers/flow-api';
import { useAppStack } from '../helpers/stack';
import { addMember, createTenant, createUser, type Tenant } from '../helpers/tenants';
import { connectClient } from '../helpers/worker';

const DAY_MS = 86_400_000;

describe('workflow trash', () => {
  const stack = useAppStack();
  let sql: Sql;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let flows: FlowApi;

  beforeAll(async () => {
    sql = stack.sql;
    app = stack.app;
    t = await createTenant(sql, 'trash');
    other = await createTenant(sql, 'trash-other');
    flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
  });

  const as = async (tenant: Tenant, role: keyof Tenant['users'], method: string, path: string, body?: unknown, orgId = tenant.orgId) =>
    call(app.url, method, `/api/v1/orgs/${orgId}${path}`, { token: await tokenFor(app.auth, tenant.users[role].userId), body });
  const admin = (method: string, path: string, body?: unknown) => as(t, 'administrator', method, path, body);
  const hook = (path: string, body: unknown) => call(app.url, 'POST', path, { body });
  const executionsOf = async (workflowId: string) =>
    Number((await sql<{ n: number }[]>`select count(*)::int as n from public.executions where workflow_id = ${workflowId}`)[0]!.n);
  const manual = () => flow([['start', 'trigger.manual'], ['x', 'data.set', { fields: { ok: true } }]], [['start', 'x']]);

  it('hides a deleted workflow from the list, its detail and every change, keeps its history, and lists it in the trash', async () => {
    const name = `Doomed ${randomUUID()}`;
    const wf = await flows.create(manual(), name);
    await flows.publish(wf.id);
    const executionId = await flows.run(wf.id);
    await flows.waitFor(executionId);

    expect((await admin('DELETE', `/workflows/${wf.id}`)).status).toBe(204);

    const live = await admin('GET', `/workflows?q=${encodeURIComponent(name)}`);
    expect(live.body.items).toEqual([]);
    for (const [method, path, body] of [
      ['GET', `/workflows/${wf.id}`],
      ['PATCH', `/workflows/${wf.id}`, { name: 'Back?' }],
      ['DELETE', `/workflows/${wf.id}`],
      ['POST', `/workflows/${wf.id}/publish`, {}],
      ['POST', `/workflows/${wf.id}/unpublish`],
      ['POST', `/workflows/${wf.id}/run`, {}],
      ['POST', `/workflows/${wf.id}/duplicate`],
      ['POST', `/workflows/${wf.id}/validate`, {}],
      ['GET', `/workflows/${wf.id}/versions`],
      ['GET', `/workflows/${wf.id}/versions/1`],
    ] as [string, string, unknown?][]) {
      const res = await admin(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    // Its executions and versions stay, but none of its runs starts again.
    expect((await admin('GET', `/executions/${executionId}`)).status).toBe(200);
    const rerun = await admin('POST', `/executions/${executionId}/rerun`, { fromNodeId: 'x' });
    expect(rerun.status).toBe(409);
    expect(rerun.body.detail).toBe('this workflow is deleted');
    expect(await executionsOf(wf.id)).toBe(1);
    expect((await sql`select 1 from public.workflow_versions where workflow_id = ${wf.id}`).length).toBe(1);

    const trash = await as(t, 'viewer', 'GET', `/workflows?deleted=true&q=${encodeURIComponent(name)}`);
    expect(trash.status).toBe(200);
    expect(trash.body.items).toEqual([expect.objectContaining({ id: wf.id, name, status: 'published', deletedAt: expect.any(String), restorableUntil: expect.any(String) })]);
    const [item] = trash.body.items;
    expect(Date.parse(item.restorableUntil) - Date.parse(item.deletedAt)).toBe(30 * DAY_MS);

    const [row] = await sql`select deleted_by from public.workflows where id = ${wf.id}`;
    expect(row!.deleted_by).toBe(t.users.administrator.userId);
  });

  it('records deletion and restore in the audit log, with who did it', async () => {
    const wf = await flows.create(manual());
    await admin('DELETE', `/workflows/${wf.id}`);
    await admin('POST', `/workflows/${wf.id}/restore`);
    const log = await as(t, 'owner', 'GET', '/audit-log?table=workflows&limit=100');
    const entries = log.body.items.filter((e: any) => e.rowId === wf.id && e.operation === 'UPDATE' && e.changedColumns.includes('deleted_at'));
    expect(entries).toHaveLength(2);
    const [restore, removal] = entries;
    expect(removal).toMatchObject({ operation: 'UPDATE', actorUserId: t.users.administrator.userId, diff: { deleted_at: { old: null, new: expect.any(String) } } });
    expect(restore).toMatchObject({ operation: 'UPDATE', actorUserId: t.users.administrator.userId, diff: { deleted_at: { old: expect.any(String), new: null } } });
  });

  it('answers 404 to the webhook of a deleted workflow and starts nothing; restored, it starts again', async () => {
    const wf = await flows.create(flow([['in', 'trigger.webhook'], ['keep', 'data.set', { fields: { n: '{{ trigger.body.n }}' } }]], [['in', 'keep']]));
    await flows.publish(wf.id);
    expect((await hook(wf.webhookPath, { n: 1 })).status).toBe(202);
    const before = await executionsOf(wf.id);

    await admin('DELETE', `/workflows/${wf.id}`);
    const refused = await hook(wf.webhookPath, { n: 2 });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await executionsOf(wf.id)).toBe(before);

    const restored = await admin('POST', `/workflows/${wf.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: wf.id, status: 'published', webhook: { path: wf.webhookPath } });
    expect(restored.body.deletedAt).toBeUndefined();
    expect((await hook(wf.webhookPath, { n: 3 })).status).toBe(202);
  });

  it('starts no deleted workflow from a platform event, and refuses to record a run of one', async () => {
    const event = `trash.${randomUUID()}`;
    const wf = await flows.create(flow([['on', 'trigger.event', { event }], ['x', 'data.set', { fields: {} }]], [['on', 'x']]));
    await flows.publish(wf.id);
    await admin('DELETE', `/workflows/${wf.id}`);
    const emitted = await admin('POST', '/events', { event, payload: {} });
    expect(emitted.status).toBe(202);
    expect(emitted.body.executions).toEqual([]);
    expect(await executionsOf(wf.id)).toBe(0);
    // Whoever writes the run (a worker here), the database refuses a run of a deleted workflow.
    const refused = await withClaims(sql, { role: 'worker', org_id: t.orgId }, (tx) => tx`
      insert into public.executions (organization_id, workflow_id, trigger_type) values (${t.orgId}, ${wf.id}, 'event')`).then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    expect(refused).toBe('FL409');
  });

  it('removes the Temporal schedule on delete and re-creates it on restore', async () => {
    const { client, close } = await connectClient();
    try {
      const wf = await flows.create(flow([['tick', 'trigger.schedule', { cron: '0 9 * * 1-5', timezone: 'Europe/Paris' }], ['x', 'data.set', { fields: {} }]], [['tick', 'x']]));
      await flows.publish(wf.id);
      const handle = client.schedule.getHandle(`flow-schedule:${wf.id}`);
      await handle.describe();

      expect((await admin('DELETE', `/workflows/${wf.id}`)).status).toBe(204);
      await expect(handle.describe()).rejects.toThrow();
      expect((await sql`select schedule_id from public.workflows where id = ${wf.id}`)[0]!.schedule_id).toBeNull();

      expect((await admin('POST', `/workflows/${wf.id}/restore`)).status).toBe(200);
      const described = await handle.describe();
      expect(described.spec.timezone).toBe('Europe/Paris');
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledFlowWorkflow' });
      expect((await sql`select schedule_id from public.workflows where id = ${wf.id}`)[0]!.schedule_id).toBe(`flow-schedule:${wf.id}`);
      await admin('POST', `/workflows/${wf.id}/unpublish`);
    } finally {
      await close();
    }
  });

  it('records no run for a schedule tick that raced the deletion', async () => {
    const { client, close } = await connectClient();
    try {
      const wf = await flows.create(flow([['tick', 'trigger.schedule', { cron: '0 9 * * 1-5' }], ['x', 'data.set', { fields: {} }]], [['tick', 'x']]));
      await flows.publish(wf.id);
      // Deleted behind the API's back: the schedule still exists and fires once more.
      await sql`update public.workflows set deleted_at = now() where id = ${wf.id}`;
      const handle = client.schedule.getHandle(`flow-schedule:${wf.id}`);
      try {
        await handle.trigger();
        let tick: string | undefined;
        for (let i = 0; i < 300 && !tick; i += 1) {
          tick = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
          if (!tick) await new Promise((r) => setTimeout(r, 100));
        }
        expect(await client.workflow.getHandle(tick!).result()).toEqual({ executionId: null });
        expect(await executionsOf(wf.id)).toBe(0);
      } finally {
        await handle.delete();
      }
    } finally {
      await close();
    }
  });

  it('restores only within the trash retention period: 409 past it, and 409 for a workflow that is not deleted', async () => {
    const tenant = await createTenant(sql, 'trash-window');
    await sql`update public.organizations set settings = settings || '{"trashRetentionDays": 3}'::jsonb where id = ${tenant.orgId}`;
    const own = flowApi(app.url, tenant.orgId, () => tokenFor(app.auth, tenant.users.owner.userId));
    const recent = await own.create(manual(), 'Recent');
    const old = await own.create(manual(), 'Old');
    const live = await own.create(manual(), 'Live');
    await as(tenant, 'owner', 'DELETE', `/workflows/${recent.id}`);
    await as(tenant, 'owner', 'DELETE', `/workflows/${old.id}`);
    await sql`update public.workflows set deleted_at = now() - interval '2 days' where id = ${recent.id}`;
    await sql`update public.workflows set deleted_at = now() - interval '4 days' where id = ${old.id}`;

    const trash = await as(tenant, 'owner', 'GET', '/workflows?deleted=true');
    const until = Object.fromEntries(trash.body.items.map((i: any) => [i.name, Date.parse(i.restorableUntil) - Date.parse(i.deletedAt)]));
    expect(until).toEqual({ Recent: 3 * DAY_MS, Old: 3 * DAY_MS });

    const late = await as(tenant, 'owner', 'POST', `/workflows/${old.id}/restore`);
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect(late.body.detail).toMatch(/trash retention period/);
    expect((await sql`select deleted_at from public.workflows where id = ${old.id}`)[0]!.deleted_at).not.toBeNull();

    const notDeleted = await as(tenant, 'owner', 'POST', `/workflows/${live.id}/restore`);
    expect(notDeleted.status).toBe(409);
    expect(notDeleted.body.detail).toBe('This workflow is not deleted');

    const back = await as(tenant, 'owner', 'POST', `/workflows/${recent.id}/restore`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: recent.id, name: 'Recent', status: 'draft' });
    expect((await as(tenant, 'owner', 'GET', `/workflows/${recent.id}`)).status).toBe(200);
    expect((await as(tenant, 'owner', 'POST', `/workflows/${randomUUID()}/restore`)).status).toBe(404);
  });

  it('answers 404 to another organization (its path or ours) and changes nothing', async () => {
    const wf = await flows.create(manual());
    await admin('DELETE', `/workflows/${wf.id}`);
    expect((await as(other, 'owner', 'POST', `/workflows/${wf.id}/restore`)).status).toBe(404);
    expect((await as(other, 'owner', 'POST', `/workflows/${wf.id}/restore`, undefined, t.orgId)).status).toBe(404);
    const live = await flows.create(manual());
    expect((await as(other, 'owner', 'DELETE', `/workflows/${live.id}`)).status).toBe(404);
    const rows = await sql`select id, deleted_at from public.workflows where id in ${sql([wf.id, live.id])}`;
    expect(Object.fromEntries(rows.map((r) => [r.id, r.deleted_at !== null]))).toEqual({ [wf.id]: true, [live.id]: false });
  });

  it('lets only members allowed to delete workflows delete and restore them', async () => {
    const wf = await flows.create(manual());
    for (const role of ['viewer', 'sales', 'bot_trainer'] as const) {
      expect({ role, status: (await as(t, role, 'DELETE', `/workflows/${wf.id}`)).status }).toEqual({ role, status: 403 });
    }
    await admin('DELETE', `/workflows/${wf.id}`);
    for (const role of ['viewer', 'sales', 'bot_trainer'] as const) {
      expect({ role, status: (await as(t, role, 'POST', `/workflows/${wf.id}/restore`)).status }).toEqual({ role, status: 403 });
    }
    expect((await as(t, 'owner', 'POST', `/workflows/${wf.id}/restore`)).status).toBe(200);
  });

  it('lets a member allowed only to delete workflows move them to the trash and back, and change nothing else', async () => {
    const userId = await createUser(sql, 'trash-deleter');
    await addMember(sql, t.orgId, userId, 'viewer', { grant: ['workflows:delete'] });
    const token = await tokenFor(app.auth, userId);
    const wf = await flows.create(manual(), 'Kept name');
    const deleter = (method: string, path: string) => call(app.url, method, `/api/v1/orgs/${t.orgId}${path}`, { token });
    expect((await deleter('PATCH', `/workflows/${wf.id}`)).status).toBe(403);
    expect((await deleter('DELETE', `/workflows/${wf.id}`)).status).toBe(204);
    const back = await deleter('POST', `/workflows/${wf.id}/restore`);
    expect(back.status).toBe(200);
    // Without workflows:update the webhook capability stays hidden.
    expect(back.body.webhook).toBeNull();
    const renamed = await withClaims(sql, { role: 'authenticated', sub: userId }, (tx) => tx`update public.workflows set name = 'Taken over' where id = ${wf.id}`).then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    expect(renamed).toBe('42501');
    expect((await sql`select name from public.workflows where id = ${wf.id}`)[0]!.name).toBe('Kept name');
  });

  it('keeps a deleted workflow as it was until it is restored', async () => {
    const wf = await flows.create(manual(), 'Frozen');
    await admin('DELETE', `/workflows/${wf.id}`);
    const changed = await withClaims(sql, { role: 'authenticated', sub: t.users.owner.userId }, (tx) => tx`update public.workflows set name = 'Thawed' where id = ${wf.id}`).then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    expect(changed).toBe('FL409');
  });

  it('frees the plan place of a deleted workflow, and refuses a restore over the limit (402)', async () => {
    const tenant = await createTenant(sql, 'trash-limit');
    await sql`update public.organizations set max_workflows = 1 where id = ${tenant.orgId}`;
    const own = flowApi(app.url, tenant.orgId, () => tokenFor(app.auth, tenant.users.owner.userId));
    const first = await own.create(manual(), 'First');
    await as(tenant, 'owner', 'DELETE', `/workflows/${first.id}`);
    await own.create(manual(), 'Second');
    const refused = await as(tenant, 'owner', 'POST', `/workflows/${first.id}/restore`);
    expect(refused.status).toBe(402);
    expect(refused.body.errors).toEqual([{ path: 'max_workflows', message: expect.any(String) }]);
    const [org] = await sql`select current_workflows from public.organizations where id = ${tenant.orgId}`;
    expect(org!.current_workflows).toBe(1);
  });
});
