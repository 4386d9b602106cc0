import type { Sql } from '../../db/client';
import { ensurePlatformSchedules, LEGACY_PRUNE_SCHEDULE_ID, RETENTION_SCHEDULE_ID } from '../../api/platform-schedules';
import { testSql } from '../helpers/db';
import { createFlowFixtures } from '../helpers/flows';
import { createTenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

describe('execution retention', () => {
  let sql: Sql;
  let worker: RunningWorker;
  beforeAll(async () => {
    sql = testSql();
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.stop();
    await sql?.end();
  });

  async function execution(orgId: string, workflowId: string, versionId: string, status: string, finishedDaysAgo: number | null): Promise<string> {
    const [row] = await sql<{ id: string }[]>`
      insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type, status, started_at, finished_at)
      values (${orgId}, ${workflowId}, ${versionId}, 1, 'manual', ${status}, now() - interval '400 days',
              ${finishedDaysAgo === null ? null : sql`now() - make_interval(days => ${finishedDaysAgo})`})
      returning id`;
    return row!.id;
  }

  it("deletes finished runs past each organization's retention, and nothing else", async () => {
    const a = await createTenant(sql, 'keep-7');
    const b = await createTenant(sql, 'keep-default');
    await sql`update public.organizations set settings = ${sql.json({ executionRetentionDays: 7 })} where id = ${a.orgId}`;
    const fa = await createFlowFixtures(sql, a);
    const fb = await createFlowFixtures(sql, b);
    const ids = {
      aOld: await execution(a.orgId, fa.workflowId, fa.versionId, 'succeeded', 10),
      aRecent: await execution(a.orgId, fa.workflowId, fa.versionId, 'failed', 3),
      aWaiting: await execution(a.orgId, fa.workflowId, fa.versionId, 'waiting', null),
      bTenDays: await execution(b.orgId, fb.workflowId, fb.versionId, 'succeeded', 10),
      bOld: await execution(b.orgId, fb.workflowId, fb.versionId, 'cancelled', 40),
    };
    await sql`insert into public.execution_steps (organization_id, execution_id, node_id, node_type) values (${a.orgId}, ${ids.aOld}, 'n', 't')`;

    const { client, close } = await connectClient();
    try {
      const result = await client.workflow.execute('pruneExecutionsWorkflow', { taskQueue: worker.taskQueue, workflowId: `prune-test-${ids.aOld}` });
      expect((result as { deleted: number }).deleted).toBeGreaterThanOrEqual(2);
      // An earlier deployment's schedule is replaced by the retention schedule.
      await client.schedule.create({
        scheduleId: LEGACY_PRUNE_SCHEDULE_ID,
        spec: { cronExpressions: ['17 3 * * *'] },
        action: { type: 'startWorkflow', workflowType: 'pruneExecutionsWorkflow', args: [], taskQueue: worker.taskQueue },
      });
      await ensurePlatformSchedules(client, worker.taskQueue);
      await ensurePlatformSchedules(client, worker.taskQueue); // idempotent
      const described = await client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
      expect(described.action).toMatchObject({ workflowType: 'dataRetentionWorkflow' });
      await expect(client.schedule.getHandle(LEGACY_PRUNE_SCHEDULE_ID).describe()).rejects.toThrow(/not found/i);
    } finally {
      await close();
    }
    const left = await sql<{ id: string }[]>`select id from public.executions where id in ${sql(Object.values(ids))}`;
    expect(left.map((r) => r.id).sort()).toEqual([ids.aRecent, ids.aWaiting, ids.bTenDays].sort());
    const steps = await sql`select 1 from public.execution_steps where execution_id = ${ids.aOld}`;
    expect(steps).toHaveLength(0);
  });
});
