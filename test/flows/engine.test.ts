import { createHmac } from 'node:crypto';
import type { Sql } from '../../db/client';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai/server';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { flow, flowApi, type FlowApi, startTargetServer, type TargetServer } from '../helpers/flow-api';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

// The flow engine end to end on the real stack: definitions go in through the API, are
// compiled and published, run by the interpreter workflow on the Temporal dev server, and
// read back as executions with their steps.
describe('flow engine', () => {
  let sql: Sql;
  let worker: RunningWorker;
  let app: RunningApp;
  let llm: FakeOpenAI;
  let target: TargetServer;
  let t: Tenant;
  let flows: FlowApi;

  beforeAll(async () => {
    sql = testSql();
    llm = await startFakeOpenAI();
    target = await startTargetServer({
      '/echo': (hit) => ({ status: 200, body: { received: hit.body ? JSON.parse(hit.body) : null, query: hit.path.split('?')[1] ?? '' } }),
      '/flaky': (_hit, n) => (n % 2 === 1 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: { ok: true, n } }),
      '/broken': () => ({ status: 500, body: { error: 'down' } }),
      '/missing': () => ({ status: 404, body: { error: 'gone' } }),
      '/count': (_hit, n) => ({ status: 200, body: { n } }),
      '/large': () => ({ status: 200, body: { rows: Array.from({ length: 12_000 }, (_, i) => ({ i, text: 'x'.repeat(50) })) } }),
    });
    worker = await startWorker({ llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    app = await startApp({ taskQueue: worker.taskQueue });
    t = await createTenant(sql, 'engine');
    await sql`update public.organizations set max_workflows = 1000 where id = ${t.orgId}`;
    flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await llm?.close();
    await target?.close();
    await sql?.end();
  });

  async function runFlow(definition: unknown, payload?: unknown) {
    const wf = await flows.create(definition);
    await flows.publish(wf.id);
    const executionId = await flows.run(wf.id, payload);
    return { wf, execution: await flows.waitFor(executionId) };
  }
  const step = (execution: any, nodeId: string, iteration = '') => execution.steps.find((s: any) => s.nodeId === nodeId && s.iteration === iteration);

  it('runs a linear flow: expressions, an HTTP call and a data step, each recorded as a step', async () => {
    const { execution } = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['shape', 'data.set', { fields: { email: '{{ trigger.body.email }}', count: '{{ trigger.body.n * 2 }}' } }],
          ['post', 'http.request', { method: 'POST', url: `${target.url}/echo`, query: { q: 'x' }, body: { who: '{{ nodes.shape.output.email }}' } }],
          ['done', 'data.set', { fields: { echoed: '{{ nodes.post.output.body.received.who }}', count: '{{ nodes.shape.output.count }}' } }],
        ],
        [['start', 'shape'], ['shape', 'post'], ['post', 'done']],
      ),
      { email: 'ada@example.test', n: 21 },
    );
    expect(execution.status).toBe('succeeded');
    expect(execution.output).toEqual({ done: { echoed: 'ada@example.test', count: 42 } });
    expect(step(execution, 'post')).toMatchObject({ status: 'succeeded', attempt: 1, output: { status: 200, body: { received: { who: 'ada@example.test' }, query: 'q=x' } } });
    expect(step(execution, 'shape').output).toEqual({ email: 'ada@example.test', count: 42 });
  });

  it('follows if/else and switch handles and skips the branches not taken', async () => {
    const { execution } = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['big', 'logic.if', { condition: '{{ trigger.body.amount > 100 }}' }],
          ['yes', 'data.set', { fields: { branch: 'big' } }],
          ['no', 'data.set', { fields: { branch: 'small' } }],
          ['kind', 'logic.switch', { value: '{{ trigger.body.kind }}', cases: [{ handle: 'a', equals: 'alpha' }, { handle: 'b', equals: 'beta' }] }],
          ['isA', 'data.set', { fields: { kind: 'A' } }],
          ['isB', 'data.set', { fields: { kind: 'B' } }],
          ['other', 'data.set', { fields: { kind: 'other' } }],
        ],
        [['start', 'big'], ['big', 'yes', 'true'], ['big', 'no', 'false'], ['start', 'kind'], ['kind', 'isA', 'a'], ['kind', 'isB', 'b'], ['kind', 'other', 'default']],
      ),
      { amount: 250, kind: 'beta' },
    );
    expect(execution.status).toBe('succeeded');
    expect(execution.output).toEqual({ yes: { branch: 'big' }, isB: { kind: 'B' } });
    expect(step(execution, 'no')).toBeUndefined();
  });

  it('runs parallel branches and merges them, and loops over a list collecting each body result', async () => {
    const { execution } = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['left', 'http.request', { method: 'GET', url: `${target.url}/count` }],
          ['right', 'data.set', { fields: { side: 'right' } }],
          ['join', 'logic.merge'],
          ['each', 'logic.loop', { items: '{{ trigger.body.names }}', concurrency: 2 }],
          ['greet', 'data.set', { fields: { greeting: '{{ "hello " & vars.item }}', index: '{{ vars.index }}' } }],
          ['after', 'data.set', { fields: { total: '{{ nodes.each.output.count }}' } }],
        ],
        [['start', 'left'], ['start', 'right'], ['left', 'join'], ['right', 'join'], ['join', 'each'], ['each', 'greet', 'body'], ['each', 'after', 'done']],
      ),
      { names: ['ann', 'bob', 'cid'] },
    );
    expect(execution.status).toBe('succeeded');
    expect(step(execution, 'join').output).toEqual({ left: expect.objectContaining({ status: 200 }), right: { side: 'right' } });
    expect(step(execution, 'each').output).toEqual({
      count: 3,
      items: [{ greeting: 'hello ann', index: 0 }, { greeting: 'hello bob', index: 1 }, { greeting: 'hello cid', index: 2 }],
    });
    expect(step(execution, 'greet', 'each:1')).toMatchObject({ status: 'succeeded' });
    expect(execution.output).toEqual({ after: { total: 3 } });
  });

  it('runs a long loop in chunks of child workflows, and a failing item fails the run naming its node', async () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    const longLoop = (failAt: number) =>
      flow(
        [
          ['start', 'trigger.manual'],
          ['each', 'logic.loop', { items: '{{ trigger.body.items }}', concurrency: 5 }],
          ['bad', 'logic.if', { condition: `{{ vars.item = ${failAt} }}` }],
          ['boom', 'flow.error', { message: 'item {{ vars.item }} is bad' }],
          ['square', 'data.set', { fields: { sq: '{{ vars.item * vars.item }}' } }],
          ['after', 'data.set', { fields: { count: '{{ nodes.each.output.count }}', last: '{{ nodes.each.output.items[249].sq }}' } }],
        ],
        [['start', 'each'], ['each', 'bad', 'body'], ['bad', 'boom', 'true'], ['bad', 'square', 'false'], ['each', 'after', 'done']],
      );
    const ok = await runFlow(longLoop(-1), { items });
    expect(ok.execution.status).toBe('succeeded');
    expect(ok.execution.output).toEqual({ after: { count: 250, last: 249 * 249 } });
    expect(step(ok.execution, 'square', 'each:170')).toMatchObject({ status: 'succeeded', output: { sq: 170 * 170 } });
    const failed = await runFlow(longLoop(150), { items });
    expect(failed.execution.status).toBe('failed');
    expect(failed.execution.error).toMatchObject({ nodeId: 'boom', message: 'item 150 is bad' });
  });

  it('retries a flaky call, routes a permanent failure to the error handle, and fails the run when none is connected', async () => {
    const handled = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['flaky', 'http.request', { method: 'GET', url: `${target.url}/flaky`, retry: { maximumAttempts: 3, initialIntervalMs: 100, backoffCoefficient: 1 } }],
          ['gone', 'http.request', { method: 'GET', url: `${target.url}/missing`, retry: { maximumAttempts: 3, initialIntervalMs: 100, backoffCoefficient: 1 } }],
          ['recover', 'data.set', { fields: { recovered: '{{ nodes.gone.output.error.message }}', attempts: '{{ nodes.gone.output.error.attempts }}' } }],
        ],
        [['start', 'flaky'], ['flaky', 'gone'], ['gone', 'recover', 'error']],
      ),
    );
    expect(handled.execution.status).toBe('succeeded');
    expect(step(handled.execution, 'flaky')).toMatchObject({ status: 'succeeded', attempt: 2 });
    // A 404 is permanent: one attempt, no retries.
    expect(step(handled.execution, 'gone')).toMatchObject({ status: 'failed', attempt: 1 });
    expect(handled.execution.output.recover.recovered).toMatch(/answered 404/);
    expect(handled.execution.output.recover.attempts).toBe(1);

    const failed = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['down', 'http.request', { method: 'GET', url: `${target.url}/broken`, retry: { maximumAttempts: 2, initialIntervalMs: 100, backoffCoefficient: 1 } }],
        ],
        [['start', 'down']],
      ),
    );
    expect(failed.execution.status).toBe('failed');
    expect(failed.execution.error).toMatchObject({ nodeId: 'down', attempts: 2, message: expect.stringMatching(/answered 500/) });
    expect(step(failed.execution, 'down')).toMatchObject({ status: 'failed', attempt: 2 });
  });

  it('keeps an output too big for the history in Postgres and hands the run a reference', async () => {
    const { execution } = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['big', 'http.request', { method: 'GET', url: `${target.url}/large` }],
          ['after', 'data.set', { fields: { truncated: '{{ nodes.big.output.truncated }}', bytes: '{{ nodes.big.output.bytes }}' } }],
        ],
        [['start', 'big'], ['big', 'after']],
      ),
    );
    expect(execution.status).toBe('succeeded');
    expect(execution.output.after.truncated).toBe(true);
    expect(execution.output.after.bytes).toBeGreaterThan(512 * 1024);
    const big = step(execution, 'big');
    expect(big.outputTruncated).toBe(true);
    const [payload] = await sql`select bytes, data -> 'body' -> 'rows' -> 11999 ->> 'i' as last from public.execution_payloads where id = ${big.output.payloadId}`;
    expect(payload).toMatchObject({ last: '11999' });
  });

  it('fails the run on flow.error with its message, and waits until a given time with wait.delay', async () => {
    const failed = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['until', 'wait.delay', { until: '{{ $fromMillis($toMillis(execution.startedAt) + 1000) }}' }],
          ['stop', 'flow.error', { message: 'Order {{ trigger.body.id }} is not payable' }],
        ],
        [['start', 'until'], ['until', 'stop']],
      ),
      { id: 'A-9' },
    );
    expect(failed.execution.status).toBe('failed');
    expect(failed.execution.error).toMatchObject({ nodeId: 'stop', message: 'Order A-9 is not payable' });
    expect(step(failed.execution, 'until')).toMatchObject({ status: 'succeeded', output: { waitedMs: expect.any(Number) } });
  });

  it('answers 402 naming max_workflows when the plan has no room for another workflow', async () => {
    const small = await createTenant(sql, 'small-plan');
    await sql`update public.organizations set max_workflows = 1 where id = ${small.orgId}`;
    const token = await tokenFor(app.auth, small.users.owner.userId);
    const create = () => call(app.url, 'POST', `/api/v1/orgs/${small.orgId}/workflows`, { token, body: { name: 'One more' } });
    expect((await create()).status).toBe(201);
    const over = await create();
    expect(over.status).toBe(402);
    expect(over.body.errors).toEqual([expect.objectContaining({ path: 'max_workflows' })]);
  });

  it('calls an OpenAI-compatible model with a JSON schema and uses the parsed answer', async () => {
    llm.enqueue(JSON.stringify({ sentiment: 'positive', score: 0.9 }));
    const { execution } = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['ask', 'ai.llm', {
            model: 'gpt-4o-mini',
            system: 'Classify sentiment.',
            prompt: 'Text: {{ trigger.body.text }}',
            responseFormat: { type: 'json_schema', name: 'sentiment', schema: { type: 'object', properties: { sentiment: { type: 'string' }, score: { type: 'number' } }, required: ['sentiment', 'score'], additionalProperties: false } },
          }],
          ['route', 'logic.if', { condition: '{{ nodes.ask.output.json.sentiment = "positive" }}' }],
          ['happy', 'data.set', { fields: { reply: 'thanks!' } }],
        ],
        [['start', 'ask'], ['ask', 'route'], ['route', 'happy', 'true']],
      ),
      { text: 'I love it' },
    );
    expect(execution.status).toBe('succeeded');
    expect(execution.output).toEqual({ happy: { reply: 'thanks!' } });
    const request = llm.requests.at(-1)!;
    expect(request.messages).toEqual([{ role: 'system', content: 'Classify sentiment.' }, { role: 'user', content: 'Text: I love it' }]);
    expect(request.response_format?.json_schema?.name).toBe('sentiment');
  });

  describe('waits and approvals', () => {
    const approvalFlow = (timeout = '1h') =>
      flow(
        [
          ['start', 'trigger.manual'],
          ['pause', 'wait.delay', { duration: '1s' }],
          ['ok', 'wait.approval', { message: 'Pay {{ trigger.body.amount }}?', approverRoles: ['owner', 'administrator'], timeout }],
          ['approved', 'data.set', { fields: { paid: true, by: '{{ nodes.ok.output.decidedBy.email }}' } }],
          ['rejected', 'data.set', { fields: { paid: false, why: '{{ nodes.ok.output.comment }}' } }],
          ['expired', 'data.set', { fields: { paid: false, expired: true } }],
        ],
        [['start', 'pause'], ['pause', 'ok'], ['ok', 'approved', 'approved'], ['ok', 'rejected', 'rejected'], ['ok', 'expired', 'timeout']],
      );

    it('waits for a decision from an allowed member, and records who decided', async () => {
      const wf = await flows.create(approvalFlow());
      await flows.publish(wf.id);
      const id = await flows.run(wf.id, { amount: 120 });
      const waiting = await flows.waitFor(id, ['waiting']);
      expect(waiting.live.waitingApprovals).toEqual([{ nodeId: 'ok', message: 'Pay 120?', approverRoles: ['owner', 'administrator'] }]);

      const decide = async (role: keyof Tenant['users'], body: unknown) =>
        call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/executions/${id}/approvals/ok`, { token: await tokenFor(app.auth, t.users[role].userId, { claims: { email: `${role}@example.test` } }), body });
      expect((await decide('viewer', { decision: 'approve' })).status).toBe(403);
      expect((await decide('administrator', { decision: 'maybe' })).status).toBe(422);
      expect((await decide('owner', { decision: 'reject', comment: 'too much' })).status).toBe(202);
      const done = await flows.waitFor(id);
      expect(done.status).toBe('succeeded');
      expect(done.output).toEqual({ rejected: { paid: false, why: 'too much' } });
      expect(step(done, 'ok').output).toMatchObject({ decision: 'reject', decidedBy: { userId: t.users.owner.userId, role: 'owner' }, decidedAt: expect.any(String) });
      expect((await decide('owner', { decision: 'approve' })).status).toBe(409);
    });

    it('takes the timeout handle when nobody decides in time', async () => {
      const { execution } = await runFlow(approvalFlow('1s'), { amount: 1 });
      expect(execution.output).toEqual({ expired: { paid: false, expired: true } });
    });

    it('cancels a waiting execution', async () => {
      const wf = await flows.create(approvalFlow());
      await flows.publish(wf.id);
      const id = await flows.run(wf.id, { amount: 5 });
      await flows.waitFor(id, ['waiting']);
      const res = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/executions/${id}/cancel`, { token: await tokenFor(app.auth, t.users.administrator.userId) });
      expect(res.status).toBe(202);
      expect((await flows.waitFor(id)).status).toBe('cancelled');
    });
  });

  it('re-runs from a node, reusing the recorded outputs of the nodes before it', async () => {
    const before = target.hits.filter((h) => h.path.startsWith('/count')).length;
    const { execution } = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['fetch', 'http.request', { method: 'GET', url: `${target.url}/count` }],
          ['use', 'data.set', { fields: { n: '{{ nodes.fetch.output.body.n }}' } }],
        ],
        [['start', 'fetch'], ['fetch', 'use']],
      ),
    );
    expect(target.hits.filter((h) => h.path.startsWith('/count')).length).toBe(before + 1);
    const res = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/executions/${execution.id}/rerun`, { token: await tokenFor(app.auth, t.users.administrator.userId), body: { fromNodeId: 'use' } });
    expect(res.status).toBe(201);
    const rerun = await flows.waitFor(res.body.executionId);
    expect(rerun).toMatchObject({ status: 'succeeded', rerunOf: execution.id, rerunFromNode: 'use', output: execution.output });
    // The HTTP node was not called again.
    expect(target.hits.filter((h) => h.path.startsWith('/count')).length).toBe(before + 1);
  });

  it('lists executions by workflow, status and time, page by page', async () => {
    const wf = await flows.create(flow([['start', 'trigger.manual'], ['x', 'data.set', { fields: { n: '{{ trigger.body.n }}' } }]], [['start', 'x']]));
    await flows.publish(wf.id);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push(await flows.run(wf.id, { n }));
    for (const id of ids) await flows.waitFor(id);
    const token = await tokenFor(app.auth, t.users.viewer.userId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `workflowId=${wf.id}&status=succeeded&since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/executions?${q}`, { token });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: any) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const none = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/executions?workflowId=${wf.id}&status=failed`, { token });
    expect(none.body.items).toEqual([]);
    const bad = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/executions?status=exploded`, { token });
    expect(bad.status).toBe(422);
  });

  it('refuses to publish an invalid definition, listing every problem with its node and field', async () => {
    const wf = await flows.create(
      flow(
        [
          ['start', 'trigger.manual'],
          ['bad', 'http.request', { method: 'FETCH', url: '{{ trigger.body.( }}' }],
          ['lost', 'data.set', { fields: {} }],
        ],
        [['start', 'bad'], ['start', 'ghost']],
      ),
    );
    const res = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/workflows/${wf.id}/publish`, { token: await tokenFor(app.auth, t.users.administrator.userId), body: {} });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const paths = res.body.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['definition.nodes.bad.data.method', 'definition.nodes.bad.data.url']));
    expect(res.body.problems.some((p: any) => p.nodeId === 'lost')).toBe(true);
    expect(res.body.problems.some((p: any) => p.edgeId === 'e1')).toBe(true);
  });

  it('starts every published workflow listening to a platform event, once per idempotency key', async () => {
    const listener = await flows.create(flow([['on', 'trigger.event', { event: 'invoice.paid' }], ['note', 'data.set', { fields: { amount: '{{ trigger.payload.amount }}' } }]], [['on', 'note']]));
    await flows.publish(listener.id);
    const other = await flows.create(flow([['on', 'trigger.event', { event: 'invoice.sent' }], ['x', 'data.set', { fields: {} }]], [['on', 'x']]));
    await flows.publish(other.id);
    const emit = async () =>
      call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/events`, { token: await tokenFor(app.auth, t.users.administrator.userId), body: { event: 'invoice.paid', payload: { amount: 1999 }, idempotencyKey: 'inv-1' } });
    const first = await emit();
    expect(first.status).toBe(202);
    expect(first.body.executions).toHaveLength(1);
    const again = await emit();
    expect(again.body.executions).toEqual([{ executionId: first.body.executions[0].executionId, duplicate: true }]);
    const run = await flows.waitFor(first.body.executions[0].executionId);
    expect(run).toMatchObject({ status: 'succeeded', triggerType: 'event', workflowId: listener.id, output: { note: { amount: 1999 } } });
  });

  it('runs another published workflow as a subflow and uses its output', async () => {
    const child = await flows.create(flow([['start', 'trigger.manual'], ['double', 'data.set', { fields: { n: '{{ trigger.body.n * 2 }}' } }]], [['start', 'double']]), 'Child');
    await flows.publish(child.id);
    const { execution } = await runFlow(
      flow(
        [
          ['start', 'trigger.manual'],
          ['sub', 'flow.subflow', { workflowId: child.id, input: { n: '{{ trigger.body.n }}' } }],
          ['use', 'data.set', { fields: { result: '{{ nodes.sub.output.output.double.n }}' } }],
        ],
        [['start', 'sub'], ['sub', 'use']],
      ),
      { n: 21 },
    );
    expect(execution.status).toBe('succeeded');
    expect(execution.output).toEqual({ use: { result: 42 } });
    const childRun = await flows.get(step(execution, 'sub').output.executionId);
    expect(childRun).toMatchObject({ status: 'succeeded', triggerType: 'subflow', workflowId: child.id });
  });

  it('keeps a Temporal Schedule in step with a published schedule trigger, and its ticks run the flow', async () => {
    const { client, close } = await connectClient();
    try {
      const wf = await flows.create(flow([['tick', 'trigger.schedule', { cron: '0 9 * * 1-5', timezone: 'Europe/Paris' }], ['note', 'data.set', { fields: { at: '{{ trigger.scheduledAt }}' } }]], [['tick', 'note']]));
      await flows.publish(wf.id);
      const handle = client.schedule.getHandle(`flow-schedule:${wf.id}`);
      const described = await handle.describe();
      expect(described.spec.timezone).toBe('Europe/Paris');
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledFlowWorkflow' });
      // Fire one tick now instead of waiting for Monday 9:00.
      await handle.trigger();
      let execution: any;
      for (let i = 0; i < 300 && !execution; i += 1) {
        const [row] = await sql`select id from public.executions where workflow_id = ${wf.id} and trigger_type = 'schedule'`;
        if (row) execution = await flows.waitFor(row.id as string);
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(execution).toMatchObject({ status: 'succeeded', triggerType: 'schedule' });
      expect(execution.output.note.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/workflows/${wf.id}/unpublish`, { token: await tokenFor(app.auth, t.users.administrator.userId) });
      await expect(handle.describe()).rejects.toThrow();
    } finally {
      await close();
    }
  });

  describe('webhooks', () => {
    const hook = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      call(app.url, 'POST', path, { rawBody: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

    it('async: 202 with the execution id; a redelivery with the same Idempotency-Key starts nothing new', async () => {
      const wf = await flows.create(flow([['in', 'trigger.webhook'], ['keep', 'data.set', { fields: { id: '{{ trigger.body.order.id }}' } }]], [['in', 'keep']]));
      await flows.publish(wf.id);
      const first = await hook(wf.webhookPath, { order: { id: 7 } }, { 'idempotency-key': 'order-7' });
      expect(first.status).toBe(202);
      const again = await hook(wf.webhookPath, { order: { id: 7 } }, { 'idempotency-key': 'order-7' });
      expect(again.body).toEqual({ executionId: first.body.executionId, duplicate: true });
      const racing = await Promise.all([1, 2, 3].map(() => hook(wf.webhookPath, { order: { id: 8 } }, { 'idempotency-key': 'order-8' })));
      expect(new Set(racing.map((r) => r.body.executionId)).size).toBe(1);
      const [count] = await sql`select count(*)::int as n from public.executions where workflow_id = ${wf.id}`;
      expect(count!.n).toBe(2);
      const done = await flows.waitFor(first.body.executionId);
      expect(done.output).toEqual({ keep: { id: 7 } });
    });

    it('takes the idempotency key from a configured body field when there is no header', async () => {
      const wf = await flows.create(flow([['in', 'trigger.webhook', { idempotencyField: 'event.id' }], ['x', 'data.set', { fields: {} }]], [['in', 'x']]));
      await flows.publish(wf.id);
      const a = await hook(wf.webhookPath, { event: { id: 'evt_1' } });
      const b = await hook(wf.webhookPath, { event: { id: 'evt_1' }, resent: true });
      const c = await hook(wf.webhookPath, { event: { id: 'evt_2' } });
      expect(b.body).toEqual({ executionId: a.body.executionId, duplicate: true });
      expect(c.body.executionId).not.toBe(a.body.executionId);
    });

    it('sync: answers what flow.respond says', async () => {
      const wf = await flows.create(
        flow(
          [
            ['in', 'trigger.webhook', { mode: 'sync' }],
            ['reply', 'flow.respond', { status: 201, headers: { 'x-order': '{{ trigger.body.id }}' }, body: { accepted: '{{ trigger.body.id }}' } }],
          ],
          [['in', 'reply']],
        ),
      );
      await flows.publish(wf.id);
      const res = await hook(wf.webhookPath, { id: 'A-1' });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-order')).toBe('A-1');
      expect(res.body).toEqual({ accepted: 'A-1' });
    });

    it('sync: answers 504 with the execution id when the flow takes longer than the trigger allows', async () => {
      const wf = await flows.create(
        flow(
          [
            ['in', 'trigger.webhook', { mode: 'sync', responseTimeoutMs: 1000 }],
            ['slow', 'wait.delay', { duration: '3s' }],
            ['reply', 'flow.respond', { body: { late: true } }],
          ],
          [['in', 'slow'], ['slow', 'reply']],
        ),
      );
      await flows.publish(wf.id);
      const res = await hook(wf.webhookPath, { id: 1 });
      expect(res.status).toBe(504);
      expect(res.body.executionId).toEqual(expect.any(String));
      expect((await flows.waitFor(res.body.executionId)).status).toBe('succeeded');
    });

    it('refuses unknown or unpublished tokens (404), bad signatures (401) and oversized bodies (413), starting nothing', async () => {
      const wf = await flows.create(flow([['in', 'trigger.webhook', { requireSignature: true }], ['x', 'data.set', { fields: {} }]], [['in', 'x']]));
      expect((await hook(wf.webhookPath, {})).status).toBe(404); // not published yet
      await flows.publish(wf.id);
      expect((await hook('/hooks/this-token-does-not-exist-anywhere', {})).status).toBe(404);
      expect((await hook(wf.webhookPath, { a: 1 })).status).toBe(401);
      expect((await hook(wf.webhookPath, { a: 1 }, { 'x-flowline-signature': `sha256=${'0'.repeat(64)}` })).status).toBe(401);
      const raw = JSON.stringify({ a: 1 });
      const signature = `sha256=${createHmac('sha256', wf.webhookSecret).update(raw).digest('hex')}`;
      expect((await hook(wf.webhookPath, raw, { 'x-flowline-signature': signature })).status).toBe(202);
      const big = await hook(wf.webhookPath, JSON.stringify({ pad: 'x'.repeat(1_100_000) }), { 'x-flowline-signature': signature });
      expect(big.status).toBe(413);
      await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/workflows/${wf.id}/unpublish`, { token: await tokenFor(app.auth, t.users.administrator.userId) });
      expect((await hook(wf.webhookPath, raw, { 'x-flowline-signature': signature })).status).toBe(404);
      const [count] = await sql`select count(*)::int as n from public.executions where workflow_id = ${wf.id}`;
      expect(count!.n).toBe(1);
    });
  });
});
