import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createSql, type Sql } from '../../db/client';
import type { readinessWorkflow } from '../../workflows/readiness';
import { testSql, UNREACHABLE_DATABASE_URL } from '../helpers/db';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

describe('readinessWorkflow on the real Temporal dev server', () => {
  let client: Client;
  let closeClient: () => Promise<void>;
  let sql: Sql;
  beforeAll(async () => {
    ({ client, close: closeClient } = await connectClient());
    sql = testSql();
  });
  afterAll(async () => {
    await closeClient();
    await sql.end();
  });

  async function runWith(workerSql: Sql) {
    const worker: RunningWorker = await startWorker({ sql: workerSql });
    try {
      const workflowId = `readiness:test-${randomUUID()}`;
      const result = await client.workflow.execute<typeof readinessWorkflow>('readinessWorkflow', {
        workflowId,
        taskQueue: worker.taskQueue,
        searchAttributes: { Kind: ['readiness'] },
      });
      return { result, workflowId };
    } finally {
      await worker.stop();
    }
  }

  it('reports Postgres up, with its version, through an activity on a real worker', async () => {
    const { result } = await runWith(sql);
    expect(result.postgres).toMatchObject({ status: 'up', serverVersion: expect.stringMatching(/^\d+/) });
  });

  it('reports Postgres down, with the reason, when the worker cannot reach it', async () => {
    const deadSql = createSql(UNREACHABLE_DATABASE_URL, { max: 1, connectTimeoutSeconds: 2 });
    try {
      const { result } = await runWith(deadSql);
      expect(result.postgres.status).toBe('down');
      expect(result.postgres).toHaveProperty('error', expect.stringMatching(/ECONNREFUSED|connect/));
    } finally {
      await deadSql.end();
    }
  });

  it('loses nothing when no worker runs: a workflow started meanwhile completes once one starts', async () => {
    const taskQueue = `late-worker-${randomUUID()}`;
    const handle = await client.workflow.start<typeof readinessWorkflow>('readinessWorkflow', {
      workflowId: `readiness:test-${randomUUID()}`,
      taskQueue,
    });
    // Nothing polls this queue yet: the workflow waits durably in Temporal.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const worker = await startWorker({ sql, taskQueue });
    try {
      expect((await handle.result()).postgres.status).toBe('up');
    } finally {
      await worker.stop();
    }
  });

  it('is findable by the Kind search attribute that operators filter on', async () => {
    const { workflowId } = await runWith(sql);
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.searchAttributes).toMatchObject({ Kind: ['readiness'] });
  });
});
