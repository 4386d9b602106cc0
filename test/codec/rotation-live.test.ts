// An organization's data key rotates while one of its runs waits for an approval. The run's
// earlier payloads stay under the old version, what comes after uses the new one, and a worker
// that replays the whole history (a fresh process, after the rotation) reads both.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DataKeyStore } from '../../codec/keys';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { appSql, testSql } from '../helpers/db';
import { flow, flowApi } from '../helpers/flow-api';
import { TEST_KEY_RING } from '../helpers/integrations';
import { stackEnv } from '../helpers/stack-env';
import { createTenant } from '../helpers/tenants';
import { closeAfterRetries } from '../helpers/temporal-connection';
import { startWorker } from '../helpers/worker';

describe('data key rotation with a live run', () => {
  let sql: Sql;
  let keysSql: Sql;
  beforeAll(() => {
    sql = testSql();
    keysSql = appSql();
  });
  afterAll(async () => {
    await keysSql?.end();
    await sql?.end();
  });

  it('finishes a run that spans the rotation; its history holds both key versions and no plaintext', async () => {
    const t = await createTenant(sql, 'rotate-live');
    const taskQueue = `rotate-live-${randomUUID()}`;
    const secret = `iban-${randomUUID()}`;
    const definition = flow(
      [
        ['start', 'trigger.manual'],
        ['ok', 'wait.approval', { message: 'Pay?', approverRoles: ['owner'], timeout: '1h' }],
        ['paid', 'data.set', { fields: { to: '{{ trigger.body.secret }}', note: '{{ nodes.ok.output.comment }}' } }],
      ],
      [['start', 'ok'], ['ok', 'paid', 'approved']],
    );

    // Before the rotation: a worker and an API (each with its own key cache) start the run.
    let worker = await startWorker({ taskQueue });
    let app: RunningApp = await startApp({ taskQueue });
    const flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.owner.userId));
    const wf = await flows.create(definition);
    await flows.publish(wf.id);
    const executionId = await flows.run(wf.id, { secret });
    await flows.waitFor(executionId, ['waiting']);
    await app.close();
    await worker.stop();

    const rotated = await new DataKeyStore({ sql: keysSql, ring: TEST_KEY_RING }).rotate(t.orgId);
    expect(rotated.keyId).toBe(`${t.orgId}:2`);

    // After it: new processes (new caches) approve; the worker replays the run from its start.
    worker = await startWorker({ taskQueue });
    app = await startApp({ taskQueue });
    try {
      const comment = `approved-${randomUUID()}`;
      const decided = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/executions/${executionId}/approvals/ok`, {
        token: await tokenFor(app.auth, t.users.owner.userId),
        body: { decision: 'approve', comment },
      });
      expect(decided.status).toBe(202);
      const again = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.owner.userId));
      const done = await again.waitFor(executionId);
      expect(done.status).toBe('succeeded');
      expect(done.output).toEqual({ paid: { to: secret, note: comment } });

      // The raw history, as Temporal's UI or database shows it.
      const [row] = await sql<{ temporal_workflow_id: string }[]>`select temporal_workflow_id from public.executions where id = ${executionId}`;
      const connection = await Connection.connect({ address: stackEnv.temporalAddress });
      try {
        const plain = new Client({ connection, namespace: stackEnv.namespace });
        const history = JSON.stringify(await plain.workflow.getHandle(row!.temporal_workflow_id).fetchHistory());
        expect(history).not.toContain(secret);
        expect(history).not.toContain(comment);
        const keyIds = new Set([...history.matchAll(/"encryption-key-id":"([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString()));
        expect(keyIds).toContain(`${t.orgId}:1`);
        expect(keyIds).toContain(`${t.orgId}:2`);
      } finally {
        await closeAfterRetries(connection);
      }
    } finally {
      await app.close();
      await worker.stop();
    }
  });
});
