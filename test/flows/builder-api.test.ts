import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { flow, flowApi, type FlowApi } from '../helpers/flow-api';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

// What the visual builder calls besides saving and publishing, over HTTP on the real stack:
// run statistics in the list, the remembered test payload, duplicates, test runs of the
// unpublished draft, and published versions read back and restored.
describe('builder API', () => {
  let sql: Sql;
  let worker: RunningWorker;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let flows: FlowApi;

  beforeAll(async () => {
    sql = testSql();
    worker = await startWorker();
    app = await startApp({ taskQueue: worker.taskQueue });
    t = await createTenant(sql, 'builder');
    other = await createTenant(sql, 'builder-other');
    await sql`update public.organizations set max_workflows = 1000 where id = ${t.orgId}`;
    flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await sql?.end();
  });

  const as = async (tenant: Tenant, role: keyof Tenant['users'], method: string, path: string, body?: unknown) =>
    call(app.url, method, `/api/v1/orgs/${tenant.orgId}${path}`, { token: await tokenFor(app.auth, tenant.users[role].userId), body });
  const admin = (method: string, path: string, body?: unknown) => as(t, 'administrator', method, path, body);

  const simple = (fields: Record<string, unknown> = { n: '{{ trigger.body.n }}' }) =>
    flow([['start', 'trigger.manual'], ['x', 'data.set', { fields }]], [['start', 'x']]);
  /** Fails when the payload says so: one flow gives both outcomes. */
  const maybeFailing = flow(
    [
      ['start', 'trigger.manual'],
      ['check', 'logic.if', { condition: '{{ trigger.body.fail = true }}' }],
      ['stop', 'flow.error', { message: 'asked to fail' }],
      ['ok', 'data.set', { fields: { ok: true } }],
    ],
    [['start', 'check'], ['check', 'stop', 'true'], ['check', 'ok', 'false']],
  );

  it('lists each workflow with its executions of the last 7 days by outcome', async () => {
    const name = `Stats ${Date.now()}`;
    const wf = await flows.create(maybeFailing, name);
    await flows.publish(wf.id);
    const idle = await flows.create(simple(), `${name} idle`);
    for (const payload of [{ fail: false }, { fail: true }, { fail: false }]) await flows.waitFor(await flows.run(wf.id, payload));
    // An older run does not count.
    await sql`
      insert into public.executions (organization_id, workflow_id, status, trigger_type, created_at)
      values (${t.orgId}, ${wf.id}, 'succeeded', 'manual', now() - interval '8 days')`;

    const res = await as(t, 'viewer', 'GET', `/workflows?q=${encodeURIComponent(name)}`);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.items.map((i: any) => [i.id, i]));
    expect(byId[wf.id].stats7d).toEqual({ total: 3, succeeded: 2, failed: 1 });
    expect(byId[wf.id].lastRun).toEqual({ status: 'succeeded', at: expect.any(String) });
    expect(byId[idle.id].stats7d).toEqual({ total: 0, succeeded: 0, failed: 0 });
  });

  it('remembers a test payload: returned in the detail, replaced or cleared by PATCH, capped in size', async () => {
    const wf = await flows.create(simple());
    expect((await admin('GET', `/workflows/${wf.id}`)).body.testPayload).toBeNull();

    const saved = await admin('PATCH', `/workflows/${wf.id}`, { testPayload: { n: 7, tags: ['a'] } });
    expect(saved.status).toBe(200);
    expect(saved.body.testPayload).toEqual({ n: 7, tags: ['a'] });
    // Other changes keep it.
    expect((await admin('PATCH', `/workflows/${wf.id}`, { name: 'Renamed' })).body.testPayload).toEqual({ n: 7, tags: ['a'] });
    expect((await admin('PATCH', `/workflows/${wf.id}`, { testPayload: 'just text' })).body.testPayload).toBe('just text');

    const tooBig = await admin('PATCH', `/workflows/${wf.id}`, { testPayload: { text: 'x'.repeat(256 * 1024) } });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.errors).toEqual([{ path: 'testPayload', message: expect.stringContaining('256 KiB') }]);

    expect((await admin('PATCH', `/workflows/${wf.id}`, { testPayload: null })).body.testPayload).toBeNull();
    const [row] = await sql`select test_payload from public.workflows where id = ${wf.id}`;
    expect(row!.test_payload).toBeNull();
  });

  it('duplicates a workflow into a new draft with the same definition, a new webhook and recomputed problems', async () => {
    const definition = flow([['start', 'trigger.manual'], ['x', 'data.set', { fields: { a: 1 } }], ['loose', 'http.request', {}]], [['start', 'x']]);
    const source = await admin('POST', '/workflows', { name: 'Original', description: 'the first', definition });
    await admin('PATCH', `/workflows/${source.body.id}`, { testPayload: { a: 1 } });

    const copy = await admin('POST', `/workflows/${source.body.id}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({
      name: 'Original (copy)',
      description: 'the first',
      status: 'draft',
      publishedVersion: null,
      definition: source.body.definition,
      draftProblems: source.body.draftProblems,
      testPayload: { a: 1 },
      stats7d: { total: 0, succeeded: 0, failed: 0 },
    });
    expect(copy.body.problems).toBeGreaterThan(0);
    expect(copy.body.id).not.toBe(source.body.id);
    expect(copy.body.webhook.path).not.toBe(source.body.webhook.path);

    // A name at the limit still fits with its suffix.
    const long = await flows.create(simple(), 'L'.repeat(200));
    const longCopy = await admin('POST', `/workflows/${long.id}/duplicate`);
    expect(longCopy.status).toBe(201);
    expect(longCopy.body.name).toHaveLength(200);
    expect(longCopy.body.name.endsWith('L (copy)')).toBe(true);
  });

  it('refuses to duplicate beyond the plan (402 naming max_workflows), and answers 404 for another organization', async () => {
    const small = await createTenant(sql, 'builder-small');
    await sql`update public.organizations set max_workflows = 1 where id = ${small.orgId}`;
    const only = await as(small, 'owner', 'POST', '/workflows', { name: 'Only one' });
    expect(only.status).toBe(201);
    const over = await as(small, 'owner', 'POST', `/workflows/${only.body.id}/duplicate`);
    expect(over.status).toBe(402);
    expect(over.body.errors).toEqual([expect.objectContaining({ path: 'max_workflows' })]);

    const wf = await flows.create(simple());
    expect((await as(other, 'owner', 'POST', `/workflows/${wf.id}/duplicate`)).status).toBe(404);
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.workflows where organization_id = ${other.orgId}`;
    expect(count!.n).toBe(0);
  });

  describe('test runs of the draft', () => {
    it('refuses a draft with errors, listing them as publishing would', async () => {
      const wf = await flows.create(flow([['start', 'trigger.manual'], ['call', 'http.request', {}]], [['start', 'call']]));
      const res = await admin('POST', `/workflows/${wf.id}/test-run`, { payload: { n: 1 } });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'call', severity: 'error' })]));
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^definition\.nodes\.call/) })]));
      const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.executions where workflow_id = ${wf.id}`;
      expect(count!.n).toBe(0);
    });

    it('runs the saved, unpublished draft with no version, keeps its graph, and remembers the payload', async () => {
      const definition = simple({ doubled: '{{ trigger.body.n * 2 }}' });
      const wf = await flows.create(definition, 'Draft only');
      const res = await admin('POST', `/workflows/${wf.id}/test-run`, { payload: { n: 21 } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ executionId: expect.any(String), temporalWorkflowId: `flow:${res.body.executionId}`, duplicate: false });

      const done = await flows.waitFor(res.body.executionId);
      expect(done).toMatchObject({
        status: 'succeeded',
        workflowId: wf.id,
        workflowName: 'Draft only',
        versionId: null,
        version: null,
        test: true,
        triggerType: 'test',
        output: { x: { doubled: 42 } },
      });
      expect(done.definition).toEqual((await admin('GET', `/workflows/${wf.id}`)).body.definition);
      expect((await admin('GET', `/workflows/${wf.id}`)).body).toMatchObject({ status: 'draft', publishedVersion: null, testPayload: { n: 21 } });

      const { client, close } = await connectClient();
      try {
        const described = await client.workflow.getHandle(res.body.temporalWorkflowId).describe();
        expect(described.searchAttributes.FlowVersion).toEqual(['draft']);
      } finally {
        await close();
      }
    });

    it('runs a published subflow from a draft: the child runs its own version', async () => {
      const child = await flows.create(simple({ tripled: '{{ trigger.body.n * 3 }}' }), 'Test child');
      await flows.publish(child.id);
      const wf = await flows.create(
        flow(
          [['start', 'trigger.manual'], ['sub', 'flow.subflow', { workflowId: child.id, input: { n: '{{ trigger.body.n }}' } }]],
          [['start', 'sub']],
        ),
      );
      const res = await admin('POST', `/workflows/${wf.id}/test-run`, { payload: { n: 5 } });
      expect(res.status).toBe(201);
      const done = await flows.waitFor(res.body.executionId);
      expect(done).toMatchObject({ status: 'succeeded', test: true, output: { sub: { output: { x: { tripled: 15 } } } } });
      const childRun = await flows.get(done.steps.find((s: any) => s.nodeId === 'sub').output.executionId);
      expect(childRun).toMatchObject({ status: 'succeeded', triggerType: 'subflow', version: 1, test: false, workflowName: 'Test child' });
    });

    it('answers 404 for a workflow of another organization and starts nothing', async () => {
      const wf = await flows.create(simple());
      const res = await as(other, 'owner', 'POST', `/workflows/${wf.id}/test-run`, { payload: { n: 1 } });
      expect(res.status).toBe(404);
      const [row] = await sql`select count(*)::int as n, (select test_payload from public.workflows where id = ${wf.id}) as p from public.executions where workflow_id = ${wf.id}`;
      expect(row).toEqual({ n: 0, p: null });
    });
  });

  describe('versions', () => {
    it('reads one version with its definition, and restores it as the draft with its problems recomputed', async () => {
      const child = await flows.create(simple(), 'Child');
      await flows.publish(child.id);
      const v1 = flow(
        [['start', 'trigger.manual'], ['sub', 'flow.subflow', { workflowId: child.id, input: {} }]],
        [['start', 'sub']],
      );
      const wf = await flows.create(v1, 'Versioned');
      await flows.publish(wf.id);
      const v2 = simple({ second: true });
      expect((await admin('PATCH', `/workflows/${wf.id}`, { definition: v2 })).status).toBe(200);
      await admin('POST', `/workflows/${wf.id}/publish`, { note: 'second' });

      const first = await as(t, 'viewer', 'GET', `/workflows/${wf.id}/versions/1`);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        id: expect.any(String),
        version: 1,
        hash: expect.any(String),
        note: null,
        publishedBy: t.users.administrator.userId,
        createdAt: expect.any(String),
        definition: expect.objectContaining({ nodes: expect.arrayContaining([expect.objectContaining({ id: 'sub' })]) }),
      });
      expect((await admin('GET', `/workflows/${wf.id}/versions/2`)).body).toMatchObject({ version: 2, note: 'second' });
      for (const bad of ['3', '0', '-1', '1.5', 'abc', '01', '99999999999']) {
        expect({ bad, status: (await admin('GET', `/workflows/${wf.id}/versions/${bad}`)).status }).toEqual({ bad, status: 404 });
      }

      // The child it names is gone since: the restored draft says so.
      expect((await admin('DELETE', `/workflows/${child.id}`)).status).toBe(204);
      const restored = await admin('POST', `/workflows/${wf.id}/versions/1/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body.definition).toEqual(first.body.definition);
      expect(restored.body).toMatchObject({ status: 'published', publishedVersion: 2 });
      expect(restored.body.draftProblems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'sub', severity: 'error' })]));
      expect(restored.body.problems).toBeGreaterThan(0);
      expect((await admin('GET', `/workflows/${wf.id}`)).body.definition).toEqual(first.body.definition);
      expect((await admin('POST', `/workflows/${wf.id}/versions/7/restore`)).status).toBe(404);
      expect((await as(t, 'viewer', 'POST', `/workflows/${wf.id}/versions/1/restore`)).status).toBe(403);
    });

    it('answers 404 to another organization, which changes nothing', async () => {
      const wf = await flows.create(simple());
      await flows.publish(wf.id);
      await admin('PATCH', `/workflows/${wf.id}`, { definition: simple({ changed: true }) });
      const before = (await admin('GET', `/workflows/${wf.id}`)).body.definition;
      for (const [orgTenant, role] of [[other, 'owner'], [other, 'viewer']] as const) {
        // Their own organization in the path, this one's workflow after it.
        expect((await as(orgTenant, role, 'GET', `/workflows/${wf.id}/versions/1`)).status).toBe(404);
        expect((await as(orgTenant, 'owner', 'POST', `/workflows/${wf.id}/versions/1/restore`)).status).toBe(404);
      }
      expect((await admin('GET', `/workflows/${wf.id}`)).body.definition).toEqual(before);
    });
  });
});
