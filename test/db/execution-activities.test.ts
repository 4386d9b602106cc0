import { ApplicationFailure } from '@temporalio/common';
import { createExecutionActivities, PREVIEW_BYTES, STEP_VALUE_LIMIT_BYTES } from '../../activities/db/executions';
import { createWorkflowLookupActivities } from '../../activities/db/workflow-lookup';
import type { Sql } from '../../db/client';
import { appSql, testSql } from '../helpers/db';
import { createExecution, createFlowFixtures, createWorkflow, type FlowFixtures, SAMPLE_IR } from '../helpers/flows';
import { createOrg } from '../helpers/tenants';

/*
 * The activities the flow interpreter calls to record runs, against the real database and
 * logged in as the app's role (as the worker process is): every statement runs as `worker`
 * for the organization given, under RLS.
 */
describe('execution activities', () => {
  let owner: Sql;
  let app: Sql;
  let activities: ReturnType<typeof createExecutionActivities>;
  let lookup: ReturnType<typeof createWorkflowLookupActivities>;
  let orgA: string;
  let orgB: string;
  let fa: FlowFixtures;
  let fb: FlowFixtures;

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    activities = createExecutionActivities({ sql: app });
    lookup = createWorkflowLookupActivities({ sql: app });
    orgA = await createOrg(owner, 'activities-a');
    orgB = await createOrg(owner, 'activities-b');
    fa = await createFlowFixtures(owner, { orgId: orgA });
    fb = await createFlowFixtures(owner, { orgId: orgB });
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  const newExecution = () => createExecution(owner, orgA, fa.workflowId, { id: fa.versionId, version: 1 });
  const executionRow = async (id: string) => (await owner`select * from public.executions where id = ${id}`)[0]!;
  const stepRows = async (executionId: string) =>
    owner`select * from public.execution_steps where execution_id = ${executionId} order by node_id, iteration`;
  const nonRetryable = (type: string) => expect.objectContaining({ name: 'ApplicationFailure', type, nonRetryable: true });

  describe('markExecution', () => {
    it('stamps started_at when a run starts and finished_at when it ends, with its output', async () => {
      const executionId = await newExecution();
      expect(await activities.markExecution({ orgId: orgA, executionId, status: 'running', temporalRunId: 'run-1' }))
        .toEqual({ status: 'running', changed: true });
      const running = await executionRow(executionId);
      expect(running).toMatchObject({ status: 'running', temporal_run_id: 'run-1', finished_at: null });
      expect(running.started_at).toBeInstanceOf(Date);

      await activities.markExecution({ orgId: orgA, executionId, status: 'succeeded', output: { total: 3 } });
      const done = await executionRow(executionId);
      expect(done).toMatchObject({ status: 'succeeded', output: { total: 3 }, error: null, temporal_run_id: 'run-1', started_at: running.started_at });
      expect(done.finished_at).toBeInstanceOf(Date);
    });

    it('never moves a final status back, and says so', async () => {
      const executionId = await newExecution();
      await activities.markExecution({ orgId: orgA, executionId, status: 'failed', error: { message: 'boom' } });
      for (const status of ['running', 'succeeded', 'queued', 'cancelled'] as const) {
        expect(await activities.markExecution({ orgId: orgA, executionId, status, output: { late: true } }))
          .toEqual({ status: 'failed', changed: false });
      }
      expect(await executionRow(executionId)).toMatchObject({ status: 'failed', output: null, error: { message: 'boom' } });
    });

    it('keeps output and error unless given; null clears them', async () => {
      const executionId = await newExecution();
      await activities.markExecution({ orgId: orgA, executionId, status: 'running', output: { partial: 1 } });
      await activities.markExecution({ orgId: orgA, executionId, status: 'waiting' });
      expect(await executionRow(executionId)).toMatchObject({ status: 'waiting', output: { partial: 1 } });
      await activities.markExecution({ orgId: orgA, executionId, status: 'running', output: null });
      expect(await executionRow(executionId)).toMatchObject({ status: 'running', output: null });
    });
  });

  describe('steps', () => {
    it('records a step per node and loop iteration; a restart of the same one updates its row', async () => {
      const executionId = await newExecution();
      const base = { orgId: orgA, executionId, nodeType: 'http.request', attempt: 1, input: { url: 'https://example.test' } };
      const first = await activities.recordStepStarted({ ...base, nodeId: 'n1', iteration: '' });
      await activities.recordStepStarted({ ...base, nodeId: 'n2', iteration: 'loop1:0' });
      await activities.recordStepStarted({ ...base, nodeId: 'n2', iteration: 'loop1:1' });
      await activities.recordStepFinished({ orgId: orgA, executionId, nodeId: 'n1', iteration: '', status: 'failed', error: { message: 'timeout' } });
      const again = await activities.recordStepStarted({ ...base, nodeId: 'n1', iteration: '', attempt: 2 });
      expect(again).toEqual({ stepId: first.stepId });

      const rows = await stepRows(executionId);
      expect(rows.map((r) => [r.node_id, r.iteration, r.status, r.attempt])).toEqual([
        ['n1', '', 'running', 2],
        ['n2', 'loop1:0', 'running', 1],
        ['n2', 'loop1:1', 'running', 1],
      ]);
      expect(rows[0]).toMatchObject({ error: null, finished_at: null, input: base.input });

      expect(await activities.recordStepFinished({ orgId: orgA, executionId, nodeId: 'n2', iteration: 'loop1:0', status: 'succeeded', output: { ok: true } }))
        .toEqual({});
      const [finished] = await owner`select * from public.execution_steps where execution_id = ${executionId} and iteration = 'loop1:0'`;
      expect(finished).toMatchObject({ status: 'succeeded', output: { ok: true }, output_truncated: false });
      expect(finished!.finished_at).toBeInstanceOf(Date);
    });

    it('keeps an output over 64 KiB whole in a payload and a preview in the row', async () => {
      const executionId = await newExecution();
      await activities.recordStepStarted({ orgId: orgA, executionId, nodeId: 'big', nodeType: 'http.request', iteration: '', attempt: 1, input: {} });
      // Multi-byte characters: the byte count and the preview cut must be about bytes, not characters.
      const output = { body: 'é€'.repeat(15_000), items: Array.from({ length: 500 }, (_, i) => ({ i })) };
      const json = JSON.stringify(output);
      expect(Buffer.byteLength(json)).toBeGreaterThan(STEP_VALUE_LIMIT_BYTES);

      const { payloadId } = await activities.recordStepFinished({ orgId: orgA, executionId, nodeId: 'big', iteration: '', status: 'succeeded', output });
      expect(payloadId).toEqual(expect.any(String));

      const [step] = await stepRows(executionId);
      expect(step!.output_truncated).toBe(true);
      expect(step!.output).toEqual({ truncated: true, bytes: Buffer.byteLength(json), preview: expect.any(String), payloadId });
      const preview = step!.output.preview as string;
      expect(Buffer.byteLength(preview)).toBeLessThanOrEqual(PREVIEW_BYTES);
      expect(Buffer.byteLength(preview)).toBeGreaterThan(PREVIEW_BYTES - 4);
      expect(json.startsWith(preview)).toBe(true);

      expect(await activities.loadPayload({ orgId: orgA, payloadId: payloadId! })).toEqual(output);
      const [payload] = await owner`select bytes, execution_id from public.execution_payloads where id = ${payloadId!}`;
      expect(payload).toEqual({ bytes: Buffer.byteLength(json), execution_id: executionId });
    });

    it('bounds a large input the same way', async () => {
      const executionId = await newExecution();
      const input = { text: 'x'.repeat(STEP_VALUE_LIMIT_BYTES + 1) };
      const { inputPayloadId } = await activities.recordStepStarted({ orgId: orgA, executionId, nodeId: 'n', nodeType: 'x', iteration: '', attempt: 1, input });
      const [step] = await stepRows(executionId);
      expect(step!.input).toMatchObject({ truncated: true, payloadId: inputPayloadId });
      expect(await activities.loadPayload({ orgId: orgA, payloadId: inputPayloadId! })).toEqual(input);
    });

    it('refuses to finish a step that never started, leaving no payload behind', async () => {
      const executionId = await newExecution();
      const output = { text: 'y'.repeat(STEP_VALUE_LIMIT_BYTES + 1) };
      await expect(activities.recordStepFinished({ orgId: orgA, executionId, nodeId: 'ghost', iteration: '', status: 'succeeded', output }))
        .rejects.toEqual(nonRetryable('NotFound'));
      expect(await owner`select id from public.execution_payloads where execution_id = ${executionId}`).toHaveLength(0);
    });
  });

  describe('payloads', () => {
    it('store and load values of any JSON shape', async () => {
      for (const data of [{ a: [1, 'two', null] }, [1, 2, 3], 'text', 42, null, { nul: 'a\u0000b' }]) {
        const { payloadId } = await activities.storePayload({ orgId: orgA, executionId: fa.executionId, data });
        const expected = typeof data === 'object' && data !== null && 'nul' in data ? { nul: 'a\uFFFDb' } : data;
        expect(await activities.loadPayload({ orgId: orgA, payloadId })).toEqual(expected);
      }
    });

    it("are not loaded across organizations", async () => {
      await expect(activities.loadPayload({ orgId: orgA, payloadId: fb.payloadId })).rejects.toEqual(nonRetryable('NotFound'));
    });
  });

  describe("a worker acting for org B cannot write org A's execution", () => {
    let executionId: string;
    let before: unknown;
    const snapshot = async () => ({
      execution: await executionRow(executionId),
      steps: await stepRows(executionId),
      payloads: await owner`select * from public.execution_payloads where execution_id = ${executionId} order by id`,
    });
    beforeAll(async () => {
      executionId = await newExecution();
      await activities.recordStepStarted({ orgId: orgA, executionId, nodeId: 'n1', nodeType: 'x', iteration: '', attempt: 1, input: { mine: true } });
      before = await snapshot();
    });
    afterAll(async () => {
      expect(await snapshot()).toEqual(before);
    });

    it('markExecution: not found', async () => {
      await expect(activities.markExecution({ orgId: orgB, executionId, status: 'failed', error: { message: 'pwned' } }))
        .rejects.toEqual(nonRetryable('NotFound'));
    });

    it('recordStepStarted: refused, whether the step exists or not', async () => {
      for (const nodeId of ['n1', 'n2']) {
        const attempt = activities.recordStepStarted({ orgId: orgB, executionId, nodeId, nodeType: 'x', iteration: '', attempt: 9, input: { pwned: true } });
        await expect(attempt).rejects.toEqual(nonRetryable('DatabaseRefused'));
      }
    });

    it('recordStepFinished: not found, also with an output large enough for a payload', async () => {
      for (const output of [{ pwned: true }, { pwned: 'z'.repeat(STEP_VALUE_LIMIT_BYTES + 1) }]) {
        const attempt = activities.recordStepFinished({ orgId: orgB, executionId, nodeId: 'n1', iteration: '', status: 'succeeded', output });
        await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
      }
    });

    it('storePayload: refused by the foreign key', async () => {
      await expect(activities.storePayload({ orgId: orgB, executionId, data: { pwned: true } })).rejects.toEqual(nonRetryable('DatabaseRefused'));
    });

    it('the failures carry the SQLSTATE', async () => {
      const err = await activities.storePayload({ orgId: orgB, executionId, data: 1 }).catch((e: unknown) => e);
      expect((err as ApplicationFailure).details).toEqual([{ sqlstate: '23503' }]);
    });
  });

  describe('loadPublishedVersion', () => {
    it('returns the version a published workflow runs', async () => {
      expect(await lookup.loadPublishedVersion({ orgId: orgA, workflowId: fa.workflowId })).toEqual({ versionId: fa.versionId, version: 1, ir: SAMPLE_IR });
    });

    it('returns null for drafts, disabled workflows, unknown ids and other organizations', async () => {
      const draft = await createWorkflow(owner, orgA, 'draft');
      expect(await lookup.loadPublishedVersion({ orgId: orgA, workflowId: draft.id })).toBeNull();
      const disabled = await createFlowFixtures(owner, { orgId: orgA });
      await owner`update public.workflows set status = 'disabled' where id = ${disabled.workflowId}`;
      expect(await lookup.loadPublishedVersion({ orgId: orgA, workflowId: disabled.workflowId })).toBeNull();
      expect(await lookup.loadPublishedVersion({ orgId: orgA, workflowId: '00000000-0000-0000-0000-000000000000' })).toBeNull();
      expect(await lookup.loadPublishedVersion({ orgId: orgA, workflowId: fb.workflowId })).toBeNull();
      expect(await lookup.loadPublishedVersion({ orgId: orgB, workflowId: fa.workflowId })).toBeNull();
    });
  });
});
