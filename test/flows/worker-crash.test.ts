import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { flow, flowApi, startTargetServer, type TargetServer } from '../helpers/flow-api';
import { createTenant } from '../helpers/tenants';
import { spawnWorker } from '../helpers/worker-process';

describe('a worker killed mid-run', () => {
  let sql: Sql;
  let app: RunningApp;
  let target: TargetServer;
  const taskQueue = `crash-${randomUUID()}`;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    sql = testSql();
    target = await startTargetServer({ '/once': (_h, n) => ({ status: 200, body: { n } }) });
    app = await startApp({ taskQueue });
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await app?.close();
    await target?.close();
    await sql?.end();
  });

  it('finishes after a restart, without repeating the nodes that had completed', async () => {
    const t = await createTenant(sql, 'crash');
    const flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
    const wf = await flows.create(
      flow(
        [
          ['start', 'trigger.manual'],
          ['call', 'http.request', { method: 'GET', url: `${target.url}/once` }],
          ['pause', 'wait.delay', { duration: '4s' }],
          ['after', 'data.set', { fields: { n: '{{ nodes.call.output.body.n }}' } }],
        ],
        [['start', 'call'], ['call', 'pause'], ['pause', 'after']],
      ),
    );
    await flows.publish(wf.id);
    workers.push(spawnWorker(taskQueue));
    const id = await flows.run(wf.id);
    const waiting = await flows.waitFor(id, ['running', 'waiting']);
    expect(waiting.id).toBe(id);
    // Wait until the delay timer is running, then kill the worker without any chance to clean up.
    for (let i = 0; i < 300; i += 1) {
      const e = await flows.get(id);
      if (e.live?.nodes?.pause?.status === 'waiting') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    workers[0]!.kill('SIGKILL');
    await new Promise((r) => workers[0]!.once('exit', r));
    workers.push(spawnWorker(taskQueue));
    const done = await flows.waitFor(id);
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual({ after: { n: 1 } });
    expect(target.hits).toHaveLength(1);
    expect(done.steps.find((s: any) => s.nodeId === 'call')).toMatchObject({ status: 'succeeded', attempt: 1 });
  });
});
