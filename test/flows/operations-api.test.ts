import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { flow, flowApi, type FlowApi, startTargetServer, type TargetServer } from '../helpers/flow-api';
import { stackEnv } from '../helpers/stack-env';
import { createTenant, type Tenant } from '../helpers/tenants';
import { startWorker, type RunningWorker } from '../helpers/worker';

// What the operations screens call, over HTTP on the real stack: executions with their
// workflow, graph and Temporal link; reruns on the same graph, the latest version or the
// draft; and the inbox of approvals waiting for the caller.
describe('operations API', () => {
  let sql: Sql;
  let worker: RunningWorker;
  let app: RunningApp;
  let target: TargetServer;
  let t: Tenant;
  let other: Tenant;
  let flows: FlowApi;

  beforeAll(async () => {
    sql = testSql();
    target = await startTargetServer({ '/count': (_hit, n) => ({ status: 200, body: { n } }) });
    worker = await startWorker();
    app = await startApp({ taskQueue: worker.taskQueue });
    t = await createTenant(sql, 'ops');
    other = await createTenant(sql, 'ops-other');
    await sql`update public.organizations set max_workflows = 1000 where id = ${t.orgId}`;
    flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await target?.close();
    await sql?.end();
  });

  const as = async (tenant: Tenant, role: keyof Tenant['users'], method: string, path: string, body?: unknown) =>
    call(app.url, method, `/api/v1/orgs/${tenant.orgId}${path}`, {
      token: await tokenFor(app.auth, tenant.users[role].userId, { claims: { email: `${role}@example.test` } }),
      body,
    });
  const admin = (method: string, path: string, body?: unknown) => as(t, 'administrator', method, path, body);
  const step = (execution: any, nodeId: string) => execution.steps.find((s: any) => s.nodeId === nodeId && s.iteration === '');
  const countHits = () => target.hits.filter((h) => h.path.startsWith('/count')).length;

  /** start -> fetch (an HTTP call that counts) -> use */
  const fetchAndUse = (useFields: Record<string, unknown> = { n: '{{ nodes.fetch.output.body.n }}' }, extra: [string, string, Record<string, unknown>][] = []) =>
    flow(
      [['start', 'trigger.manual'], ['fetch', 'http.request', { method: 'GET', url: `${target.url}/count` }], ['use', 'data.set', { fields: useFields }], ...extra],
      [['start', 'fetch'], ['fetch', 'use'], ...extra.map(([id]) => ['use', id] as [string, string])],
    );

  it('lists and shows executions with their workflow name, test flag, graph and Temporal UI link', async () => {
    const definition = fetchAndUse();
    const wf = await flows.create(definition, 'Shown flow');
    await flows.publish(wf.id);
    const id = await flows.run(wf.id);
    const done = await flows.waitFor(id);

    expect(done).toMatchObject({ workflowName: 'Shown flow', test: false, version: 1, versionId: expect.any(String), status: 'succeeded' });
    expect(done.definition).toEqual((await admin('GET', `/workflows/${wf.id}/versions/1`)).body.definition);
    expect(done.definition.nodes.map((n: any) => n.id)).toEqual(['start', 'fetch', 'use']);
    expect(done.temporalUiUrl).toBe(`http://localhost:8233/namespaces/${stackEnv.namespace}/workflows/${encodeURIComponent(`flow:${id}`)}`);

    const list = await as(t, 'viewer', 'GET', `/executions?workflowId=${wf.id}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id, workflowId: wf.id, workflowName: 'Shown flow', version: 1, test: false, triggerType: 'manual' }),
    ]);
    // The list stays light: no payloads nor graphs.
    expect(list.body.items[0]).not.toHaveProperty('input');
    expect(list.body.items[0]).not.toHaveProperty('definition');

    // Another organization sees neither.
    expect((await as(other, 'owner', 'GET', `/executions/${id}`)).status).toBe(404);
    expect((await as(other, 'owner', 'GET', `/executions?workflowId=${wf.id}`)).body.items).toEqual([]);
  });

  describe('reruns', () => {
    it("'latest' runs the published version, reusing only what is upstream of the node in that graph", async () => {
      const wf = await flows.create(fetchAndUse(), 'Rerun latest');
      await flows.publish(wf.id);
      const original = await flows.waitFor(await flows.run(wf.id));
      const hits = countHits();

      // Version 2 adds a node after `use`, and a second call that is not upstream of `use`.
      await admin('PATCH', `/workflows/${wf.id}`, {
        definition: flow(
          [
            ['start', 'trigger.manual'],
            ['fetch', 'http.request', { method: 'GET', url: `${target.url}/count` }],
            ['use', 'data.set', { fields: { n: '{{ nodes.fetch.output.body.n }}' } }],
            ['after', 'http.request', { method: 'GET', url: `${target.url}/count` }],
          ],
          [['start', 'fetch'], ['fetch', 'use'], ['use', 'after']],
        ),
      });
      await flows.publish(wf.id);

      const res = await admin('POST', `/executions/${original.id}/rerun`, { fromNodeId: 'use', using: 'latest' });
      expect(res.status).toBe(201);
      const rerun = await flows.waitFor(res.body.executionId);
      expect(rerun).toMatchObject({ status: 'succeeded', version: 2, test: false, triggerType: 'rerun', rerunOf: original.id, rerunFromNode: 'use' });
      expect(step(rerun, 'fetch')).toMatchObject({ output: step(original, 'fetch').output });
      expect(step(rerun, 'use').output).toEqual(step(original, 'use').output);
      // fetch was reused; `after` (new, downstream) ran.
      expect(countHits()).toBe(hits + 1);
      expect(step(rerun, 'after')).toMatchObject({ status: 'succeeded' });

      // A node that is not in the graph that would run.
      const missing = await admin('POST', `/executions/${original.id}/rerun`, { fromNodeId: 'nope', using: 'latest' });
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([{ path: 'fromNodeId', message: expect.any(String) }]);
      expect((await admin('POST', `/executions/${original.id}/rerun`, { fromNodeId: 'use', using: 'newest' })).status).toBe(422);

      // Unpublished: there is no latest version to run.
      expect((await admin('POST', `/workflows/${wf.id}/unpublish`)).status).toBe(200);
      expect((await admin('POST', `/executions/${original.id}/rerun`, { fromNodeId: 'use', using: 'latest' })).status).toBe(409);
    });

    it("'draft' runs the saved draft as a test run (422 while it has errors); 'same' on a test run runs its snapshot again", async () => {
      const wf = await flows.create(fetchAndUse(), 'Rerun draft');
      await flows.publish(wf.id);
      const original = await flows.waitFor(await flows.run(wf.id));
      const hits = countHits();

      await admin('PATCH', `/workflows/${wf.id}`, { definition: fetchAndUse({ n: '{{ nodes.fetch.output.body.n }}' }, [['broken', 'http.request', {}]]) });
      const refused = await admin('POST', `/executions/${original.id}/rerun`, { fromNodeId: 'use', using: 'draft' });
      expect(refused.status).toBe(422);
      expect(refused.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'broken', severity: 'error' })]));

      await admin('PATCH', `/workflows/${wf.id}`, { definition: fetchAndUse({ n: '{{ nodes.fetch.output.body.n }}', draft: 1 }) });
      const res = await admin('POST', `/executions/${original.id}/rerun`, { fromNodeId: 'use', using: 'draft' });
      expect(res.status).toBe(201);
      const testRun = await flows.waitFor(res.body.executionId);
      expect(testRun).toMatchObject({ status: 'succeeded', version: null, versionId: null, test: true, rerunOf: original.id });
      expect(step(testRun, 'use').output).toEqual({ n: step(original, 'fetch').output.body.n, draft: 1 });
      expect(countHits()).toBe(hits);
      const snapshot = testRun.definition;
      expect(snapshot).toEqual((await admin('GET', `/workflows/${wf.id}`)).body.definition);

      // The draft moves on; rerunning the test run runs the graph it ran.
      await admin('PATCH', `/workflows/${wf.id}`, { definition: fetchAndUse({ n: 0, draft: 2 }) });
      const again = await admin('POST', `/executions/${testRun.id}/rerun`, { fromNodeId: 'fetch' });
      expect(again.status).toBe(201);
      const rerun = await flows.waitFor(again.body.executionId);
      expect(rerun).toMatchObject({ status: 'succeeded', test: true, version: null, rerunOf: testRun.id, definition: snapshot });
      expect(step(rerun, 'use').output).toEqual({ n: step(rerun, 'fetch').output.body.n, draft: 1 });
      expect(countHits()).toBe(hits + 1);
    });

    it('answers 404 for an execution of another organization, whichever graph is asked for', async () => {
      const wf = await flows.create(fetchAndUse(), 'Rerun foreign');
      await flows.publish(wf.id);
      const original = await flows.waitFor(await flows.run(wf.id));
      for (const using of ['same', 'latest', 'draft']) {
        const res = await as(other, 'owner', 'POST', `/executions/${original.id}/rerun`, { fromNodeId: 'use', using });
        expect({ using, status: res.status }).toEqual({ using, status: 404 });
      }
      const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.executions where rerun_of = ${original.id}`;
      expect(count!.n).toBe(0);
    });
  });

  describe('approvals inbox', () => {
    // No approverRoles: the node's default (owner, administrator).
    const approvalFlow = (approverRoles?: string[]) =>
      flow(
        [
          ['start', 'trigger.manual'],
          ['ok', 'wait.approval', { message: 'Pay {{ trigger.body.amount }}?', ...(approverRoles ? { approverRoles } : {}), timeout: '1h' }],
          ['approved', 'data.set', { fields: { paid: true } }],
          ['rejected', 'data.set', { fields: { paid: false } }],
        ],
        [['start', 'ok'], ['ok', 'approved', 'approved'], ['ok', 'rejected', 'rejected']],
      );
    const inbox = async (tenant: Tenant, role: keyof Tenant['users']) => {
      const res = await as(tenant, role, 'GET', '/approvals');
      expect(res.status).toBe(200);
      return res.body.items as any[];
    };

    it('lists the approvals the caller may decide; a decision leaves the inbox and shows in the step', async () => {
      const ownersOnly = await flows.create(approvalFlow(['owner']), 'Owners decide');
      const anyone = await flows.create(approvalFlow(), 'Admins decide');
      await flows.publish(ownersOnly.id);
      await flows.publish(anyone.id);
      const forOwners = await flows.run(ownersOnly.id, { amount: 120 });
      const forAnyone = await flows.run(anyone.id, { amount: 5 });
      const waiting = await flows.waitFor(forOwners, ['waiting']);
      await flows.waitFor(forAnyone, ['waiting']);

      const owner = await inbox(t, 'owner');
      expect(owner.find((a) => a.executionId === forOwners)).toEqual({
        executionId: forOwners,
        workflowId: ownersOnly.id,
        workflowName: 'Owners decide',
        nodeId: 'ok',
        message: 'Pay 120?',
        approverRoles: ['owner'],
        waitingSince: expect.any(String),
        executionCreatedAt: waiting.createdAt,
      });
      expect(owner.find((a) => a.executionId === forAnyone)).toMatchObject({ nodeId: 'ok', message: 'Pay 5?', approverRoles: ['owner', 'administrator'] });
      expect(Date.parse(owner.find((a) => a.executionId === forOwners).waitingSince)).toBeGreaterThanOrEqual(Date.parse(waiting.createdAt));
      // Newest run first.
      const order = owner.map((a) => a.executionId).filter((id) => id === forOwners || id === forAnyone);
      expect(order).toEqual([forAnyone, forOwners]);

      // An administrator may decide only the one open to administrators; a viewer may decide none.
      const adminInbox = (await inbox(t, 'administrator')).map((a) => a.executionId);
      expect(adminInbox).toContain(forAnyone);
      expect(adminInbox).not.toContain(forOwners);
      expect((await as(t, 'viewer', 'GET', '/approvals')).status).toBe(403);

      // Another organization: 404 on these runs, and an inbox of its own (empty).
      expect((await as(other, 'owner', 'GET', '/approvals')).status).toBe(200);
      expect(await inbox(other, 'owner')).toEqual([]);
      const foreign = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/approvals`, { token: await tokenFor(app.auth, other.users.owner.userId) });
      expect(foreign.status).toBe(404);
      expect((await as(other, 'owner', 'POST', `/executions/${forOwners}/approvals/ok`, { decision: 'approve' })).status).toBe(404);
      expect((await as(other, 'owner', 'GET', `/executions/${forOwners}`)).status).toBe(404);

      const decided = await as(t, 'owner', 'POST', `/executions/${forOwners}/approvals/ok`, { decision: 'approve', comment: 'fine by me' });
      expect(decided.status).toBe(202);
      const done = await flows.waitFor(forOwners);
      expect(done).toMatchObject({ status: 'succeeded', output: { approved: { paid: true } } });
      expect(step(done, 'ok')).toMatchObject({
        status: 'succeeded',
        output: { decision: 'approve', comment: 'fine by me', decidedBy: { userId: t.users.owner.userId, email: 'owner@example.test', role: 'owner' } },
      });
      expect((await inbox(t, 'owner')).map((a) => a.executionId)).not.toContain(forOwners);

      await as(t, 'administrator', 'POST', `/executions/${forAnyone}/cancel`);
      expect((await flows.waitFor(forAnyone)).status).toBe('cancelled');
      expect((await inbox(t, 'owner')).map((a) => a.executionId)).not.toContain(forAnyone);
    });
  });
});
