import type { Sql } from '../../db/client';
import { type Claims, withClaims } from '../../db/tenant';
import { testSql } from '../helpers/db';
import { createFlowFixtures, createWorkflow, type FlowFixtures, SAMPLE_IR } from '../helpers/flows';
import { createTenant, type Tenant } from '../helpers/tenants';

/*
 * The builder migration (db/migrations/*_builder.sql), in SQL as the roles the API uses: test
 * runs of the draft (no version, a snapshot of the graph), and the remembered test payload.
 */
describe('test runs and test payloads in the database', () => {
  let sql: Sql;
  let a: Tenant;
  let b: Tenant;
  let fa: FlowFixtures;
  let fb: FlowFixtures;

  beforeAll(async () => {
    sql = testSql();
    a = await createTenant(sql, 'builder-db-a');
    b = await createTenant(sql, 'builder-db-b');
    fa = await createFlowFixtures(sql, a);
    fb = await createFlowFixtures(sql, b);
  });
  afterAll(async () => {
    await sql?.end();
  });

  const user = (userId: string): Claims => ({ role: 'authenticated', sub: userId });
  const sqlstate = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
  const snapshot = { definition: { nodes: [], edges: [] }, ir: SAMPLE_IR };

  it('lets members allowed to start runs start a queued test run of the draft, attributed to them', async () => {
    const [run] = await withClaims(sql, user(a.users.administrator.userId), (tx) => tx`
      insert into public.executions (organization_id, workflow_id, trigger_type, draft, created_by)
      values (${a.orgId}, ${fa.workflowId}, 'test', ${tx.json(snapshot)}, ${a.users.owner.userId})
      returning status, version_id, created_by, draft`);
    expect(run).toEqual({ status: 'queued', version_id: null, created_by: a.users.administrator.userId, draft: snapshot });

    const insertAs = (userId: string, orgId: string, workflowId: string, status = 'queued') =>
      sqlstate(withClaims(sql, user(userId), (tx) => tx`
        insert into public.executions (organization_id, workflow_id, status, trigger_type, draft)
        values (${orgId}, ${workflowId}, ${status}, 'test', ${tx.json(snapshot)})`));
    expect(await insertAs(a.users.administrator.userId, a.orgId, fa.workflowId, 'running')).toBe('42501');
    expect(await insertAs(a.users.viewer.userId, a.orgId, fa.workflowId)).toBe('42501');
    // Another organization's workflow, named in either organization.
    expect(await insertAs(a.users.administrator.userId, b.orgId, fb.workflowId)).toBe('42501');
    expect(['23503', '42501']).toContain(await insertAs(a.users.administrator.userId, a.orgId, fb.workflowId));
  });

  it('keeps a draft snapshot only on runs without a version, as an object, and lets users change neither', async () => {
    const insert = (versioned: boolean, draft: unknown) => sqlstate(sql`
      insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type, draft)
      values (${a.orgId}, ${fa.workflowId}, ${versioned ? fa.versionId : null}, ${versioned ? 1 : null}, 'rerun', ${sql.json(draft as never)})`);
    expect(await insert(true, snapshot)).toBe('23514');
    expect(await insert(false, [1, 2])).toBe('23514');
    expect(await insert(false, snapshot)).toBe('ok');
    expect(await sqlstate(sql`
      insert into public.executions (organization_id, workflow_id, trigger_type) values (${a.orgId}, ${fa.workflowId}, 'unknown')`)).toBe('23514');

    const [row] = await sql<{ id: string }[]>`
      insert into public.executions (organization_id, workflow_id, trigger_type, draft)
      values (${a.orgId}, ${fa.workflowId}, 'test', ${sql.json(snapshot)}) returning id`;
    expect(await sqlstate(withClaims(sql, user(a.users.administrator.userId), (tx) => tx`
      update public.executions set draft = ${tx.json({ definition: {}, ir: {} })} where id = ${row!.id}`))).toBe('42501');
  });

  it('audits the test payload by size only, and refuses one far beyond the API limit', async () => {
    const { id } = await createWorkflow(sql, a.orgId, 'payload audit');
    await withClaims(sql, user(a.users.administrator.userId), (tx) => tx`
      update public.workflows set test_payload = ${tx.json({ card: 'personal-value-4242' })} where id = ${id}`);
    const entries = await sql`select changed_columns, diff from public.audit_log where row_id = ${id} and operation = 'UPDATE'`;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.changed_columns).toEqual(['test_payload']);
    expect(entries[0]?.diff).toEqual({ test_payload: { old_bytes: expect.any(Number), new_bytes: expect.any(Number) } });
    expect(JSON.stringify(entries)).not.toContain('personal-value-4242');

    expect(await sqlstate(sql`update public.workflows set test_payload = ${sql.json({ text: 'x'.repeat(1024 * 1024) })} where id = ${id}`)).toBe('23514');
  });
});
