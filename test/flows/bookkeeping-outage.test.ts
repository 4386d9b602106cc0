import { createSql, type Sql } from '../../db/client';
import { tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { flow, flowApi, type FlowApi, startTargetServer, type TargetServer } from '../helpers/flow-api';
import { stackEnv } from '../helpers/stack-env';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { createTenant } from '../helpers/tenants';
import { startWorker, type RunningWorker } from '../helpers/worker';

// An I/O node's call succeeds, then the database goes away before its step is written. The
// call must not be made again (it may have sent a message or charged a card), and the node must
// not fail: the worker waits the outage out and records the step.
describe('a database outage right after an I/O call', () => {
  let sql: Sql;
  let proxied: Sql;
  let proxy: TcpProxy;
  let worker: RunningWorker;
  let app: RunningApp;
  let target: TargetServer;
  let flows: FlowApi;

  beforeAll(async () => {
    sql = testSql();
    const url = new URL(stackEnv.appDatabaseUrl);
    proxy = await startTcpProxy(Number(url.port));
    url.port = String(proxy.port);
    proxied = createSql(url.toString(), { max: 4 });
    target = await startTargetServer({
      // The call lands, and at that moment the worker's database connections drop for 1.5 s.
      '/charge': () => {
        proxy.cut();
        setTimeout(() => void proxy.restore(), 1500);
        return { status: 200, body: { charged: true } };
      },
    });
    worker = await startWorker({ sql: proxied });
    app = await startApp({ taskQueue: worker.taskQueue });
    const t = await createTenant(sql, 'outage');
    flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await proxied?.end({ timeout: 1 });
    await proxy?.close();
    await target?.close();
    await sql?.end();
  });

  it('records the step once the database is back, without calling twice or failing the node', async () => {
    const wf = await flows.create(
      flow(
        [
          ['start', 'trigger.manual'],
          // No retries: before, any bookkeeping error failed the node outright.
          ['charge', 'http.request', { method: 'POST', url: `${target.url}/charge`, body: { amount: 1250 } }],
          ['done', 'data.set', { fields: { charged: '{{ nodes.charge.output.body.charged }}' } }],
        ],
        [['start', 'charge'], ['charge', 'done']],
      ),
    );
    await flows.publish(wf.id);
    const executionId = await flows.run(wf.id, {});
    const execution = await flows.waitFor(executionId);
    expect(execution.status).toBe('succeeded');
    expect(execution.output).toEqual({ done: { charged: true } });
    expect(target.hits.filter((h) => h.path === '/charge')).toHaveLength(1);
    const step = execution.steps.find((s: { nodeId: string }) => s.nodeId === 'charge');
    expect(step).toMatchObject({ status: 'succeeded', attempt: 1, output: { status: 200, body: { charged: true } } });
  });
});
