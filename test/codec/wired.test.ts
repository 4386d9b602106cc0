// Payload encryption as the platform runs it: the API and worker (test helpers, wired as
// api/server.ts and workers/main.ts) encrypt every payload, so a run's history fetched without
// the codec holds no plaintext of what went through it; the API's codec endpoint decodes it
// for the organization's operators only.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { payloadCodec } from '../../codec/data-converter';
import { payloadsToJson } from '../../codec/remote';
import type { Sql } from '../../db/client';
import { tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { appSql, testSql } from '../helpers/db';
import { flow, flowApi } from '../helpers/flow-api';
import { TEST_KEY_RING } from '../helpers/integrations';
import { stackEnv } from '../helpers/stack-env';
import { createTenant, type Tenant } from '../helpers/tenants';
import { closeAfterRetries } from '../helpers/temporal-connection';
import { startWorker, type RunningWorker } from '../helpers/worker';

describe('payload encryption, wired', () => {
  let sql: Sql;
  let worker: RunningWorker;
  let app: RunningApp;
  let a: Tenant;
  let b: Tenant;
  let plain: Client;
  let plainConnection: Connection;
  const operatorEmail = `operator-${randomUUID().slice(0, 8)}@example.test`;

  beforeAll(async () => {
    sql = testSql();
    worker = await startWorker();
    app = await startApp({ taskQueue: worker.taskQueue, platformOperators: [operatorEmail] });
    a = await createTenant(sql, 'codec-wired-a');
    b = await createTenant(sql, 'codec-wired-b');
    plainConnection = await Connection.connect({ address: stackEnv.temporalAddress });
    // No codec: what anyone with access to Temporal (its UI, its database) sees.
    plain = new Client({ connection: plainConnection, namespace: stackEnv.namespace });
  });
  afterAll(async () => {
    await closeAfterRetries(plainConnection);
    await app?.close();
    await worker?.stop();
    await sql?.end();
  });

  const decode = (token: string | undefined, payloads: unknown) =>
    fetch(`${app.url}/api/v1/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': stackEnv.namespace, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ payloads }),
    });

  it('keeps a run’s data out of Temporal’s history, and decodes it at the codec endpoint for the organization’s operators only', async () => {
    const secret = `card-ending-${randomUUID()}`;
    const flows = flowApi(app.url, a.orgId, () => tokenFor(app.auth, a.users.administrator.userId));
    const wf = await flows.create(flow([['start', 'trigger.manual'], ['keep', 'data.set', { fields: { note: '{{ trigger.body.secret }}' } }]], [['start', 'keep']]));
    await flows.publish(wf.id);
    const executionId = await flows.run(wf.id, { secret });
    const execution = await flows.waitFor(executionId);
    expect(execution.status).toBe('succeeded');
    // The API still shows the run's data (Postgres), decrypted for its members by the platform.
    expect(JSON.stringify(execution)).toContain(secret);

    const [row] = await sql<{ temporal_workflow_id: string }[]>`select temporal_workflow_id from public.executions where id = ${executionId}`;
    const history = await plain.workflow.getHandle(row!.temporal_workflow_id).fetchHistory();
    const raw = JSON.stringify(history);
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(Buffer.from(secret).toString('base64').slice(0, 24));
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(input.metadata!['encryption-key-id']!).toString()).toMatch(new RegExp(`^${a.orgId}:\\d+$`));

    // The Temporal UI sends payloads as proto3 JSON (base64 bytes).
    const asJson = [{ metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(input.data!).toString('base64') }];
    const decodedFor = async (token: string | undefined) => {
      const res = await decode(token, asJson);
      return { status: res.status, text: res.status === 200 ? Buffer.from(((await res.json()) as any).payloads[0].data, 'base64').toString() : await res.text() };
    };
    expect((await decodedFor(await tokenFor(app.auth, a.users.viewer.userId))).text).toContain(secret);
    // Another organization's owner, and a member whose role may not read executions: still ciphertext.
    for (const token of [await tokenFor(app.auth, b.users.owner.userId), await tokenFor(app.auth, a.users.bot_trainer.userId)]) {
      const other = await decodedFor(token);
      expect(other.status).toBe(200);
      expect(other.text).not.toContain(secret);
    }
    const anonymous = await decodedFor(undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain(secret);
  });

  /** A payload encrypted under the organization's key, as the UI sends it (proto3 JSON). */
  async function codecPayloadsOf(orgId: string, secret: string) {
    const keys = appSql();
    try {
      return payloadsToJson(await payloadCodec(keys, TEST_KEY_RING).encode([defaultPayloadConverter.toPayload({ orgId, note: secret })])).payloads;
    } finally {
      await keys.end();
    }
  }

  it('opens a codec session: the access token in an HttpOnly cookie the Temporal UI sends with its credentials', async () => {
    const secret = `cookie-${randomUUID()}`;
    const [payload] = await codecPayloadsOf(a.orgId, secret);
    const session = (token: string | undefined) =>
      fetch(`${app.url}/api/v1/codec/session`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    const decodeWithCookie = (cookie: string) =>
      fetch(`${app.url}/api/v1/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': stackEnv.namespace, cookie }, body: JSON.stringify({ payloads: [payload] }) });
    const plaintextOf = async (res: Response) => Buffer.from(((await res.json()) as any).payloads[0].data, 'base64').toString();

    const opened = await session(await tokenFor(app.auth, a.users.viewer.userId, { expiresIn: 300 }));
    expect(opened.status).toBe(204);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    const setCookie = opened.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^flowline_codec_session=[A-Za-z0-9_.-]+; Max-Age=(29\d|300); Path=\/api\/v1\/codec; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;
    const mine = await decodeWithCookie(`theme=dark; ${cookie}`);
    expect(mine.status).toBe(200);
    expect(await plaintextOf(mine)).toContain(secret);

    // Another organization's session: answered, still encrypted.
    const theirs = (await session(await tokenFor(app.auth, b.users.owner.userId))).headers.get('set-cookie')!.split(';')[0]!;
    const other = await decodeWithCookie(theirs);
    expect(other.status).toBe(200);
    expect(await plaintextOf(other)).not.toContain(secret);

    // No session without a valid bearer token (a cookie does not renew itself); a forged or expired token in the cookie is no session.
    expect((await session(undefined)).status).toBe(401);
    expect((await fetch(`${app.url}/api/v1/codec/session`, { method: 'POST', headers: { cookie } })).status).toBe(401);
    expect((await session(await tokenFor(app.auth, a.users.viewer.userId, { expiresIn: -10 }))).status).toBe(401);
    for (const token of [await tokenFor(app.auth, a.users.viewer.userId, { secret: 'not-the-secret' }), await tokenFor(app.auth, a.users.viewer.userId, { expiresIn: -10 })]) {
      expect((await decodeWithCookie(`flowline_codec_session=${token}`)).status).toBe(401);
    }
    // An Authorization header wins over the cookie: a bad one is not rescued by it.
    const both = await fetch(`${app.url}/api/v1/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': stackEnv.namespace, cookie, authorization: 'Bearer nope' },
      body: JSON.stringify({ payloads: [payload] }),
    });
    expect(both.status).toBe(401);

    // Closing the session clears the cookie.
    const closed = await fetch(`${app.url}/api/v1/codec/session`, { method: 'DELETE', headers: { cookie } });
    expect(closed.status).toBe(204);
    expect(closed.headers.get('set-cookie')).toMatch(/^flowline_codec_session=; Path=\/api\/v1\/codec; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
  });

  it('decodes payloads under the platform key only for platform operators', async () => {
    // Not a member of any organization: the operator list alone opens platform payloads.
    const operator = await tokenFor(app.auth, randomUUID(), { claims: { email: operatorEmail } });
    // A failure names no organization: it travels under the platform key.
    const flows = flowApi(app.url, a.orgId, () => tokenFor(app.auth, a.users.administrator.userId));
    const wf = await flows.create(flow([['start', 'trigger.manual'], ['boom', 'flow.error', { message: 'Refused {{ trigger.body.secret }}' }]], [['start', 'boom']]));
    await flows.publish(wf.id);
    const secret = `platform-${randomUUID()}`;
    const executionId = await flows.run(wf.id, { secret });
    expect((await flows.waitFor(executionId)).status).toBe('failed');
    const [row] = await sql<{ temporal_workflow_id: string }[]>`select temporal_workflow_id from public.executions where id = ${executionId}`;
    // The run's row says failed one step before Temporal closes the workflow: wait for the close.
    await plain.workflow.getHandle(row!.temporal_workflow_id).result().catch(() => undefined);
    const history = await plain.workflow.getHandle(row!.temporal_workflow_id).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(secret);
    const encrypted = history.events!.flatMap((e) => {
      const failure = e.workflowExecutionFailedEventAttributes?.failure ?? e.activityTaskFailedEventAttributes?.failure;
      return failure?.encodedAttributes ? [failure.encodedAttributes] : [];
    });
    expect(encrypted.length).toBeGreaterThan(0);
    const asJson = encrypted.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(p.data!).toString('base64') }));
    const read = async (token: string) => JSON.stringify(await (await decode(token, asJson)).json());
    const forOperator = await read(operator);
    const forOwner = await read(await tokenFor(app.auth, a.users.owner.userId));
    expect(Buffer.from(JSON.parse(forOperator).payloads[0].data, 'base64').toString()).toContain(secret);
    expect(forOwner).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
  });
});
