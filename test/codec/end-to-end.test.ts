import { randomUUID } from 'node:crypto';
import { ActivityFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Sql } from '../../db/client';
import { FAILURE_CONVERTER_PATH } from '../../codec/failure-converter';
import { DataKeyStore } from '../../codec/keys';
import { OrgPayloadCodec } from '../../codec/payload-codec';
import { appSql, testSql } from '../helpers/db';
import { stackEnv } from '../helpers/stack-env';
import { closeAfterRetries } from '../helpers/temporal-connection';
import { createOrg } from '../helpers/tenants';
import { TEST_MASTER_RING } from './setup';
import type { EchoActivities, EchoInput } from './workflows/echo';

/*
 * On the real Temporal dev server: a client and a worker that both encrypt, a workflow whose
 * input, activity traffic and result carry a secret, and Temporal's raw history (read without
 * the codec) in which the secret appears nowhere.
 */
describe('payload encryption through Temporal', () => {
  let owner: Sql;
  let app: Sql;
  let orgId: string;
  let clientConnection: Connection;
  let workerConnection: NativeConnection;
  let encrypting: Client;
  let raw: Client;
  let worker: Worker;
  let running: Promise<void>;
  let bundle: string;
  let workerCodec: OrgPayloadCodec;
  let activities: EchoActivities;
  const taskQueue = `codec-${randomUUID()}`;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Installed already in this process.
    }
    owner = testSql();
    app = appSql();
    orgId = await createOrg(owner, 'codec-e2e');
    // Client and worker are separate processes in production: separate key stores here too.
    const clientCodec = new OrgPayloadCodec(new DataKeyStore({ sql: app, ring: TEST_MASTER_RING }));
    workerCodec = new OrgPayloadCodec(new DataKeyStore({ sql: app, ring: TEST_MASTER_RING }));

    clientConnection = await Connection.connect({ address: stackEnv.temporalAddress });
    encrypting = new Client({ connection: clientConnection, namespace: stackEnv.namespace, dataConverter: { payloadCodecs: [clientCodec], failureConverterPath: FAILURE_CONVERTER_PATH } });
    raw = new Client({ connection: clientConnection, namespace: stackEnv.namespace });

    activities = {
      echoRecord: async (input) => input,
      echoText: async (input) => `the secret was ${input.secret}`,
      failWith: async (input) => {
        throw new Error(`could not reach ${input.secret}`);
      },
    };
    ({ code: bundle } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./workflows/echo'),
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: new DefaultLogger('ERROR') }));
    workerConnection = await NativeConnection.connect({ address: stackEnv.temporalAddress });
    worker = await Worker.create({
      connection: workerConnection,
      namespace: stackEnv.namespace,
      taskQueue,
      workflowBundle: { code: bundle },
      activities,
      dataConverter: { payloadCodecs: [workerCodec], failureConverterPath: FAILURE_CONVERTER_PATH },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    if (clientConnection) await closeAfterRetries(clientConnection);
    await app?.end();
    await owner?.end();
  });

  /** Every byte Temporal stores for the run, as a client without the codec reads it. */
  async function rawHistory(workflowId: string): Promise<string> {
    const response = await raw.workflowService.getWorkflowExecutionHistory({ namespace: stackEnv.namespace, execution: { workflowId } });
    const bytes = temporal.api.history.v1.History.encode(response.history ?? {}).finish();
    expect(response.history?.events?.length).toBeGreaterThan(5);
    return Buffer.from(bytes).toString('latin1');
  }

  it('keeps the secret out of the history while the encrypting client reads the result', async () => {
    const secret = `secret-${randomUUID()}`;
    const input: EchoInput = { orgId, secret };
    const workflowId = `codec-e2e-${randomUUID()}`;
    const handle = await encrypting.workflow.start('codecEchoWorkflow', { taskQueue, workflowId, args: [input] });

    expect(await handle.result()).toEqual({ record: input, text: `the secret was ${secret}` });

    const history = await rawHistory(workflowId);
    expect(history).not.toContain(secret);
    expect(history).toContain('binary/encrypted');
    // The organization's key for what names it, the platform key for the bare string.
    expect(history).toContain(`${orgId}:1`);
    expect(history).toMatch(/platform:\d+/);
    // Without the codec, the result is ciphertext no converter reads.
    await expect(raw.workflow.getHandle(workflowId).result()).rejects.toThrow(/binary\/encrypted/);
  });

  it('keeps the secret out of failure messages too, which the encrypting client reads', async () => {
    const secret = `failing-${randomUUID()}`;
    const workflowId = `codec-e2e-fail-${randomUUID()}`;
    const handle = await encrypting.workflow.start('codecFailingWorkflow', { taskQueue, workflowId, args: [{ orgId, secret }] });
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (failure as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect(((activityFailure as ActivityFailure).cause as Error).message).toBe(`could not reach ${secret}`);
    const history = await rawHistory(workflowId);
    expect(history).toContain('Encoded failure');
    expect(history).not.toContain(secret);
  });

  it('reads a run started in plaintext (as runs from before encryption), whose history alone shows the secret', async () => {
    const secret = `plain-${randomUUID()}`;
    const workflowId = `codec-e2e-plain-${randomUUID()}`;
    // Started by a client without the codec: the input is stored as plaintext and the worker
    // still reads it; what the worker writes from then on is encrypted.
    const handle = await raw.workflow.start('codecEchoWorkflow', { taskQueue, workflowId, args: [{ orgId, secret }] });
    expect(await encrypting.workflow.getHandle(workflowId).result()).toEqual({ record: { orgId, secret }, text: `the secret was ${secret}` });
    const history = await rawHistory(handle.workflowId);
    // Once, in the plaintext start event; none of the encrypted events shows it.
    expect(history.split(secret)).toHaveLength(2);
  });

  it('replays, with the codec, a history recorded entirely before encryption and one recorded with it', async () => {
    // A worker without the codec records a plaintext history, as every run did before.
    const plainQueue = `codec-plain-${randomUUID()}`;
    const plainConnection = await NativeConnection.connect({ address: stackEnv.temporalAddress });
    const plainWorker = await Worker.create({ connection: plainConnection, namespace: stackEnv.namespace, taskQueue: plainQueue, workflowBundle: { code: bundle }, activities });
    const secret = `before-${randomUUID()}`;
    const plainId = `codec-e2e-before-${randomUUID()}`;
    await plainWorker.runUntil(raw.workflow.execute('codecEchoWorkflow', { taskQueue: plainQueue, workflowId: plainId, args: [{ orgId, secret }] }));
    await plainConnection.close();
    expect(await rawHistory(plainId)).toContain(secret);

    const encryptedId = `codec-e2e-after-${randomUUID()}`;
    await encrypting.workflow.execute('codecEchoWorkflow', { taskQueue, workflowId: encryptedId, args: [{ orgId, secret }] });

    const replayOptions = { workflowBundle: { code: bundle }, dataConverter: { payloadCodecs: [workerCodec] } };
    for (const workflowId of [plainId, encryptedId]) {
      const history = await raw.workflow.getHandle(workflowId).fetchHistory();
      // Throws on any nondeterminism or payload the codec cannot read.
      await expect(Worker.runReplayHistory(replayOptions, history, workflowId)).resolves.toBeUndefined();
    }
    // And the encrypted one does need the codec.
    const encryptedHistory = await raw.workflow.getHandle(encryptedId).fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: { code: bundle } }, encryptedHistory, encryptedId)).rejects.toThrow(/Replay failed/);
  });
});
