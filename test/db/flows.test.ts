import { randomUUID } from 'node:crypto';
import { createSql, type Sql } from '../../db/client';
import { type Action, can, type Resource, type Role, ROLES } from '../../db/rbac/matrix';
import { type Claims, type Tx, withClaims } from '../../db/tenant';
import { stackEnv } from '../helpers/stack-env';
import { testSql } from '../helpers/db';
import { createExecution, createFlowFixtures, createWorkflow, type FlowFixtures, publishVersion, SAMPLE_IR } from '../helpers/flows';
import { addMember, createOrg, createTenant, createUser, type Tenant } from '../helpers/tenants';

/*
 * The flow tables of db/migrations/*_flows.sql, attacked in SQL as the roles the API and the
 * worker use: what each role may do matches db/rbac/matrix.ts, no organization reaches
 * another's rows, versions never change, and the workflow limit holds under concurrency.
 */

const FLOW_TABLES = ['workflows', 'workflow_versions', 'executions', 'execution_steps', 'execution_payloads'] as const;
type FlowTable = (typeof FLOW_TABLES)[number];
type Command = 'select' | 'insert' | 'update' | 'delete';

/** A statement's result, or the SQLSTATE it failed with. */
type Outcome = { ok: true; rows: number } | { ok: false; code: string; message: string };

class Rollback extends Error {
  constructor(readonly rows: number) {
    super('rollback');
  }
}

describe('flows in the database', () => {
  let sql: Sql;
  let a: Tenant;
  let b: Tenant;
  let fa: FlowFixtures;
  let fb: FlowFixtures;
  let snapshotOfB: () => Promise<unknown>;
  let before: unknown;

  beforeAll(async () => {
    sql = testSql();
    a = await createTenant(sql, 'flows-a');
    b = await createTenant(sql, 'flows-b');
    await sql`update public.organizations set max_workflows = 100 where id in ${sql([a.orgId, b.orgId])}`;
    fa = await createFlowFixtures(sql, a);
    fb = await createFlowFixtures(sql, b);
    snapshotOfB = async () => ({
      organization: await sql`select * from public.organizations where id = ${b.orgId}`,
      ...Object.fromEntries(
        await Promise.all(
          FLOW_TABLES.map(async (t) => [t, await sql`select * from ${sql('public.' + t)} where organization_id = ${b.orgId} order by id`]),
        ),
      ),
    });
    before = await snapshotOfB();
  });
  afterAll(async () => {
    expect(await snapshotOfB()).toEqual(before); // nothing of B changed, whatever was tried
    await sql.end();
  });

  const user = (userId: string): Claims => ({ role: 'authenticated', sub: userId });
  const worker = (orgId: string): Claims => ({ role: 'worker', org_id: orgId });

  /** Runs one statement as `claims` and rolls it back: probes leave the fixtures as they were. */
  async function probe(claims: Claims, statement: (tx: Tx) => Promise<{ count: number }>): Promise<Outcome> {
    try {
      await withClaims(sql, claims, async (tx) => {
        throw new Rollback((await statement(tx)).count);
      });
      throw new Error('unreachable');
    } catch (err) {
      if (err instanceof Rollback) return { ok: true, rows: err.rows };
      const e = err as { code?: string; message: string };
      return { ok: false, code: e.code ?? 'none', message: e.message };
    }
  }
  const sqlstate = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  // -------------------------------------------------------------------------------------
  // What each role may do, against the matrix
  // -------------------------------------------------------------------------------------
  describe('what each role may do in its own organization matches the RBAC matrix', () => {
    /** The statement that exercises one command on one table, on org A's fixture rows. */
    const statements: Record<FlowTable, Record<Command, (tx: Tx) => Promise<{ count: number }>>> = {
      workflows: {
        select: (tx) => tx`select id from public.workflows where id = ${fa.workflowId}`,
        insert: (tx) => tx`insert into public.workflows (organization_id, name) values (${a.orgId}, 'probe')`,
        update: (tx) => tx`update public.workflows set name = 'renamed' where id = ${fa.workflowId}`,
        delete: (tx) => tx`delete from public.workflows where id = ${fa.workflowId}`,
      },
      workflow_versions: {
        select: (tx) => tx`select id from public.workflow_versions where id = ${fa.versionId}`,
        insert: (tx) => tx`
          insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash)
          values (${a.orgId}, ${fa.workflowId}, '{}', ${tx.json(SAMPLE_IR)}, 'h')`,
        update: (tx) => tx`update public.workflow_versions set note = 'x' where id = ${fa.versionId}`,
        delete: (tx) => tx`delete from public.workflow_versions where id = ${fa.versionId}`,
      },
      executions: {
        select: (tx) => tx`select id from public.executions where id = ${fa.executionId}`,
        insert: (tx) => tx`
          insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type)
          values (${a.orgId}, ${fa.workflowId}, ${fa.versionId}, 1, 'manual')`,
        update: (tx) => tx`update public.executions set status = 'cancelled' where id = ${fa.executionId}`,
        delete: (tx) => tx`delete from public.executions where id = ${fa.executionId}`,
      },
      execution_steps: {
        select: (tx) => tx`select id from public.execution_steps where id = ${fa.stepId}`,
        insert: (tx) => tx`
          insert into public.execution_steps (organization_id, execution_id, node_id, node_type)
          values (${a.orgId}, ${fa.executionId}, 'probe', 'logic.if')`,
        update: (tx) => tx`update public.execution_steps set status = 'failed' where id = ${fa.stepId}`,
        delete: (tx) => tx`delete from public.execution_steps where id = ${fa.stepId}`,
      },
      execution_payloads: {
        select: (tx) => tx`select id from public.execution_payloads where id = ${fa.payloadId}`,
        insert: (tx) => tx`
          insert into public.execution_payloads (organization_id, execution_id, data, bytes)
          values (${a.orgId}, ${fa.executionId}, '{}', 2)`,
        update: (tx) => tx`update public.execution_payloads set bytes = 3 where id = ${fa.payloadId}`,
        delete: (tx) => tx`delete from public.execution_payloads where id = ${fa.payloadId}`,
      },
    };

    /** The permission each command needs; null = no user may, whatever their role. */
    const needs: Record<FlowTable, Record<Command, [Resource, Action] | null>> = {
      workflows: {
        select: ['workflows', 'read'], insert: ['workflows', 'create'], update: ['workflows', 'update'], delete: ['workflows', 'delete'],
      },
      // Publishing is part of editing; versions never change afterwards.
      workflow_versions: { select: ['workflows', 'read'], insert: ['workflows', 'update'], update: null, delete: null },
      // Users start runs (create), cancel them (update), and may delete their history.
      executions: {
        select: ['executions', 'read'], insert: ['executions', 'create'], update: ['executions', 'update'], delete: ['executions', 'delete'],
      },
      // Written by workers only.
      execution_steps: { select: ['executions', 'read'], insert: null, update: null, delete: null },
      execution_payloads: { select: ['executions', 'read'], insert: null, update: null, delete: null },
    };

    const allowed = (o: Outcome) => o.ok && o.rows === 1;
    const COMMANDS: Command[] = ['select', 'insert', 'update', 'delete'];

    it.each(ROLES)('%s', async (role: Role) => {
      const claims = user(a.users[role].userId);
      const actual: Record<string, boolean> = {};
      const expected: Record<string, boolean> = {};
      for (const table of FLOW_TABLES) {
        for (const command of COMMANDS) {
          const key = `${table}:${command}`;
          const outcome = await probe(claims, statements[table][command]);
          // A refusal is a policy or grant refusal, never some other failure of the probe.
          if (!outcome.ok) expect({ key, code: outcome.code }).toEqual({ key, code: '42501' });
          actual[key] = allowed(outcome);
          const permission = needs[table][command];
          expected[key] = permission ? can(role, ...permission) : false;
        }
      }
      expect(actual).toEqual(expected);
    });
  });

  // -------------------------------------------------------------------------------------
  // Across tenants, as users
  // -------------------------------------------------------------------------------------
  describe.each(ROLES)('a %s of org A, against org B', (role) => {
    let claims: Claims;
    beforeAll(() => {
      claims = user(a.users[role].userId);
    });

    it("sees none of B's rows, not even by id", async () => {
      await withClaims(sql, claims, async (tx) => {
        for (const t of FLOW_TABLES) {
          const rows = await tx`select id from ${tx('public.' + t)} where organization_id = ${b.orgId}`;
          expect({ t, rows: rows.length }).toEqual({ t, rows: 0 });
        }
        const ids = [fb.workflowId, fb.versionId, fb.executionId, fb.stepId, fb.payloadId];
        for (const t of FLOW_TABLES) {
          expect((await tx`select id from ${tx('public.' + t)} where id in ${tx(ids)}`).length).toBe(0);
        }
      });
    });

    it("updates and deletes none of B's rows", async () => {
      for (const t of ['workflows', 'executions'] as const) {
        expect(await probe(claims, (tx) => tx`update ${tx('public.' + t)} set updated_at = now() where organization_id = ${b.orgId}`)).toEqual({ ok: true, rows: 0 });
        expect(await probe(claims, (tx) => tx`delete from ${tx('public.' + t)} where organization_id = ${b.orgId}`)).toEqual({ ok: true, rows: 0 });
      }
      // The tables users never write: refused outright.
      for (const t of ['workflow_versions', 'execution_steps', 'execution_payloads'] as const) {
        expect(await probe(claims, (tx) => tx`update ${tx('public.' + t)} set organization_id = organization_id where organization_id = ${b.orgId}`)).toMatchObject({ ok: false, code: '42501' });
        expect(await probe(claims, (tx) => tx`delete from ${tx('public.' + t)} where organization_id = ${b.orgId}`)).toMatchObject({ ok: false, code: '42501' });
      }
    });

    it('inserts nothing into B', async () => {
      const attempts = [
        (tx: Tx) => tx`insert into public.workflows (organization_id, name) values (${b.orgId}, 'intruder')`,
        (tx: Tx) => tx`
          insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash)
          values (${b.orgId}, ${fb.workflowId}, '{}', '{}', 'h')`,
        (tx: Tx) => tx`
          insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type)
          values (${b.orgId}, ${fb.workflowId}, ${fb.versionId}, 1, 'manual')`,
        (tx: Tx) => tx`
          insert into public.execution_steps (organization_id, execution_id, node_id, node_type)
          values (${b.orgId}, ${fb.executionId}, 'x', 'x')`,
        (tx: Tx) => tx`
          insert into public.execution_payloads (organization_id, execution_id, data, bytes)
          values (${b.orgId}, ${fb.executionId}, '{}', 2)`,
      ];
      for (const attempt of attempts) expect(await probe(claims, attempt)).toMatchObject({ ok: false, code: '42501' });
    });

    it('moves none of its own rows into B', async () => {
      for (const t of FLOW_TABLES) {
        const outcome = await probe(claims, (tx) => tx`update ${tx('public.' + t)} set organization_id = ${b.orgId} where organization_id = ${a.orgId}`);
        // Refused outright, or the role may not update that table and nothing matched.
        if (outcome.ok) expect({ t, rows: outcome.rows }).toEqual({ t, rows: 0 });
        else expect({ t, message: outcome.message }).toEqual({ t, message: expect.stringMatching(/organization_id cannot change|permission denied/) });
      }
    });
  });

  describe("an owner of A cannot point A's rows at B's through the composite foreign keys", () => {
    const attack = (statement: (tx: Tx) => Promise<unknown>) => sqlstate(withClaims(sql, user(a.users.owner.userId), statement));

    it("publishes no version of B's workflow into A", async () => {
      expect(await attack((tx) => tx`
        insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash)
        values (${a.orgId}, ${fb.workflowId}, '{}', '{}', 'h')`)).toBe('42501');
    });

    it("starts no run in A of B's workflow or version, nor reruns or children of B's runs", async () => {
      const cases = [
        { workflow: fb.workflowId, version: fb.versionId, rerunOf: null, parent: null },
        { workflow: fb.workflowId, version: null, rerunOf: null, parent: null },
        { workflow: fa.workflowId, version: fb.versionId, rerunOf: null, parent: null },
        { workflow: fa.workflowId, version: fa.versionId, rerunOf: fb.executionId, parent: null },
        { workflow: fa.workflowId, version: fa.versionId, rerunOf: null, parent: fb.executionId },
      ];
      for (const c of cases) {
        const state = await attack((tx) => tx`
          insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type, rerun_of, parent_execution_id)
          values (${a.orgId}, ${c.workflow}, ${c.version}, ${c.version ? 1 : null}, ${c.rerunOf ? 'rerun' : 'manual'}, ${c.rerunOf}, ${c.parent})`);
        expect({ ...c, state }).toEqual({ ...c, state: '23503' });
      }
    });

    it("cannot retarget A's run or workflow at B's rows", async () => {
      expect(await attack((tx) => tx`update public.executions set version_id = ${fb.versionId} where id = ${fa.executionId}`)).toBe('42501');
      expect(await attack((tx) => tx`update public.workflows set published_version = 2 where id = ${fa.workflowId}`)).toBe('23503');
    });
  });

  // -------------------------------------------------------------------------------------
  // Workers
  // -------------------------------------------------------------------------------------
  describe('a worker acting for A', () => {
    it('reads what it runs in A and records runs in A', async () => {
      await withClaims(sql, worker(a.orgId), async (tx) => {
        expect((await tx`select id from public.workflows`).map((r) => r.id)).toContain(fa.workflowId);
        expect((await tx`select id from public.workflow_versions where id = ${fa.versionId}`)).toHaveLength(1);
        const [run] = await tx`
          insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type)
          values (${a.orgId}, ${fa.workflowId}, ${fa.versionId}, 1, 'webhook') returning id`;
        await tx`insert into public.execution_steps (organization_id, execution_id, node_id, node_type) values (${a.orgId}, ${run!.id}, 'n1', 'logic.if')`;
        await tx`insert into public.execution_payloads (organization_id, execution_id, data, bytes) values (${a.orgId}, ${run!.id}, '[1]', 3)`;
        expect((await tx`update public.executions set status = 'running' where id = ${run!.id}`).count).toBe(1);
        expect((await tx`update public.execution_steps set status = 'succeeded' where execution_id = ${run!.id}`).count).toBe(1);
      });
    });

    it("sees, changes and creates nothing of B's", async () => {
      const claims = worker(a.orgId);
      await withClaims(sql, claims, async (tx) => {
        for (const t of FLOW_TABLES) {
          expect({ t, rows: (await tx`select id from ${tx('public.' + t)} where organization_id = ${b.orgId}`).length }).toEqual({ t, rows: 0 });
        }
      });
      for (const t of ['executions', 'execution_steps', 'execution_payloads'] as const) {
        expect(await probe(claims, (tx) => tx`update ${tx('public.' + t)} set organization_id = organization_id where organization_id = ${b.orgId}`)).toEqual({ ok: true, rows: 0 });
      }
      const intoB = [
        (tx: Tx) => tx`insert into public.executions (organization_id, workflow_id, trigger_type) values (${b.orgId}, ${fb.workflowId}, 'webhook')`,
        (tx: Tx) => tx`insert into public.execution_steps (organization_id, execution_id, node_id, node_type) values (${b.orgId}, ${fb.executionId}, 'x', 'x')`,
        (tx: Tx) => tx`insert into public.execution_payloads (organization_id, execution_id, data, bytes) values (${b.orgId}, ${fb.executionId}, '{}', 2)`,
      ];
      for (const attempt of intoB) expect(await probe(claims, attempt)).toMatchObject({ ok: false, code: '42501' });
      const throughForeignKeys = [
        (tx: Tx) => tx`insert into public.executions (organization_id, workflow_id, trigger_type) values (${a.orgId}, ${fb.workflowId}, 'subflow')`,
        (tx: Tx) => tx`
          insert into public.executions (organization_id, workflow_id, trigger_type, parent_execution_id)
          values (${a.orgId}, ${fa.workflowId}, 'subflow', ${fb.executionId})`,
        (tx: Tx) => tx`insert into public.execution_steps (organization_id, execution_id, node_id, node_type) values (${a.orgId}, ${fb.executionId}, 'x', 'x')`,
        (tx: Tx) => tx`insert into public.execution_payloads (organization_id, execution_id, data, bytes) values (${a.orgId}, ${fb.executionId}, '{}', 2)`,
      ];
      for (const attempt of throughForeignKeys) expect(await probe(claims, attempt)).toMatchObject({ ok: false, code: '23503' });
      for (const t of ['executions', 'execution_steps', 'execution_payloads'] as const) {
        const outcome = await probe(claims, (tx) => tx`update ${tx('public.' + t)} set organization_id = ${b.orgId} where organization_id = ${a.orgId}`);
        expect(outcome).toMatchObject({ ok: false, message: 'organization_id cannot change' });
      }
    });

    it('never writes workflows or versions', async () => {
      const claims = worker(a.orgId);
      for (const statement of [
        (tx: Tx) => tx`insert into public.workflows (organization_id, name) values (${a.orgId}, 'w')`,
        (tx: Tx) => tx`update public.workflows set name = 'w' where id = ${fa.workflowId}`,
        (tx: Tx) => tx`delete from public.workflows where id = ${fa.workflowId}`,
        (tx: Tx) => tx`insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash) values (${a.orgId}, ${fa.workflowId}, '{}', '{}', 'h')`,
        (tx: Tx) => tx`delete from public.executions where id = ${fa.executionId}`,
      ]) {
        expect(await probe(claims, statement)).toMatchObject({ ok: false, code: '42501' });
      }
    });

    it('acts for nothing without an org_id claim, and user claims gain no worker rights', async () => {
      await withClaims(sql, { role: 'worker' } as unknown as Claims, async (tx) => {
        expect(await tx`select id from public.executions`).toHaveLength(0);
      });
      await withClaims(sql, { role: 'authenticated', sub: randomUUID(), org_id: a.orgId }, async (tx) => {
        for (const t of FLOW_TABLES) expect((await tx`select id from ${tx('public.' + t)}`).length).toBe(0);
      });
    });
  });

  // -------------------------------------------------------------------------------------
  // Versions
  // -------------------------------------------------------------------------------------
  describe('workflow versions', () => {
    it('are immutable, even for owners and for the platform role', async () => {
      const owner = user(a.users.owner.userId);
      expect(await sqlstate(withClaims(sql, owner, (tx) => tx`update public.workflow_versions set note = 'x' where id = ${fa.versionId}`))).toBe('42501');
      expect(await sqlstate(withClaims(sql, owner, (tx) => tx`delete from public.workflow_versions where id = ${fa.versionId}`))).toBe('42501');
      await expect(sql`update public.workflow_versions set note = 'x' where id = ${fa.versionId}`).rejects.toThrow('workflow versions are immutable');
      await expect(sql`update public.workflow_versions set ir = '{}' where id = ${fa.versionId}`).rejects.toThrow('workflow versions are immutable');
      await expect(sql`delete from public.workflow_versions where id = ${fa.versionId}`).rejects.toThrow('workflow versions are immutable');
      await expect(sql`truncate public.workflow_versions cascade`).rejects.toThrow('workflow versions are immutable');
      const [row] = await sql`select note from public.workflow_versions where id = ${fa.versionId}`;
      expect(row?.note).toBeNull();
    });

    it('go away with their workflow, with its runs, steps and payloads', async () => {
      const owner = user(a.users.owner.userId);
      const doomed = await createFlowFixtures(sql, a);
      const second = await publishVersion(sql, a.orgId, doomed.workflowId);
      const rerun = await createExecution(sql, a.orgId, doomed.workflowId, second);
      await sql`update public.executions set rerun_of = ${doomed.executionId}, trigger_type = 'rerun' where id = ${rerun}`;
      const deleted = await withClaims(sql, owner, (tx) => tx`delete from public.workflows where id = ${doomed.workflowId}`);
      expect(deleted.count).toBe(1);
      const [left] = await sql`
        select (select count(*)::int from public.workflow_versions where workflow_id = ${doomed.workflowId}) as versions,
               (select count(*)::int from public.executions where workflow_id = ${doomed.workflowId}) as executions,
               (select count(*)::int from public.execution_steps where execution_id = ${doomed.executionId}) as steps,
               (select count(*)::int from public.execution_payloads where execution_id = ${doomed.executionId}) as payloads`;
      expect(left).toEqual({ versions: 0, executions: 0, steps: 0, payloads: 0 });
      const trail = await sql`select operation from public.audit_log where table_name = 'workflow_versions' and row_id = ${second.id} order by created_at`;
      expect(trail.map((r) => r.operation)).toEqual(['INSERT', 'DELETE']);
    });

    it('go away with their organization', async () => {
      const orgId = await createOrg(sql, 'flows-doomed');
      await createFlowFixtures(sql, { orgId });
      await sql`delete from public.organizations where id = ${orgId}`;
      const [left] = await sql`select count(*)::int as n from public.workflow_versions where organization_id = ${orgId}`;
      expect(left?.n).toBe(0);
    });

    it('are numbered 1, 2, 3… per workflow, also when published concurrently', async () => {
      const { id } = await createWorkflow(sql, a.orgId, 'numbered');
      const pool = createSql(stackEnv.databaseUrl, { max: 6 });
      try {
        const publish = () => withClaims(pool, user(a.users.administrator.userId), async (tx) => {
          const [v] = await tx<{ version: number; published_by: string }[]>`
            insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash)
            values (${a.orgId}, ${id}, '{}', ${tx.json(SAMPLE_IR)}, 'h') returning version, published_by`;
          return v!;
        });
        const versions = await Promise.all(Array.from({ length: 6 }, publish));
        expect(versions.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
        // The author is the caller, whatever the statement said.
        expect(new Set(versions.map((v) => v.published_by))).toEqual(new Set([a.users.administrator.userId]));
      } finally {
        await pool.end();
      }
      expect(await sqlstate(sql`
        insert into public.workflow_versions (organization_id, workflow_id, version, definition, ir, hash)
        values (${a.orgId}, ${id}, 9, '{}', '{}', 'h')`)).toBe('FL409');
    });

    it('back a published workflow: it names an existing version of its own', async () => {
      const { id } = await createWorkflow(sql, a.orgId, 'unpublished');
      expect(await sqlstate(sql`update public.workflows set status = 'published' where id = ${id}`)).toBe('23514');
      expect(await sqlstate(sql`update public.workflows set status = 'published', published_version = 1 where id = ${id}`)).toBe('23503');
    });
  });

  // -------------------------------------------------------------------------------------
  // Executions
  // -------------------------------------------------------------------------------------
  describe('executions', () => {
    it('are started by users only as queued manual runs or reruns, attributed to them', async () => {
      const admin = user(a.users.administrator.userId);
      for (const [status, triggerType] of [['succeeded', 'manual'], ['queued', 'webhook'], ['running', 'manual']] as const) {
        const state = await sqlstate(withClaims(sql, admin, (tx) => tx`
          insert into public.executions (organization_id, workflow_id, status, trigger_type)
          values (${a.orgId}, ${fa.workflowId}, ${status}, ${triggerType})`));
        expect({ status, triggerType, state }).toEqual({ status, triggerType, state: '42501' });
      }
      const [run] = await withClaims(sql, admin, (tx) => tx`
        insert into public.executions (organization_id, workflow_id, trigger_type, created_by)
        values (${a.orgId}, ${fa.workflowId}, 'manual', ${a.users.owner.userId}) returning created_by, status`);
      expect(run).toEqual({ created_by: a.users.administrator.userId, status: 'queued' });
    });

    it('may only be cancelled by users; a finished run keeps its status for everyone', async () => {
      const admin = user(a.users.administrator.userId);
      const id = await createExecution(sql, a.orgId, fa.workflowId, { id: fa.versionId, version: 1 });
      expect(await sqlstate(withClaims(sql, admin, (tx) => tx`update public.executions set output = '{"forged":true}' where id = ${id}`))).toBe('42501');
      expect(await sqlstate(withClaims(sql, admin, (tx) => tx`update public.executions set status = 'succeeded' where id = ${id}`))).toBe('42501');
      await withClaims(sql, admin, (tx) => tx`update public.executions set status = 'cancelled' where id = ${id}`);
      const [row] = await sql`select status, started_at, finished_at from public.executions where id = ${id}`;
      expect(row).toMatchObject({ status: 'cancelled', started_at: null, finished_at: expect.any(Date) });
      expect(await sqlstate(withClaims(sql, worker(a.orgId), (tx) => tx`update public.executions set status = 'running' where id = ${id}`))).toBe('FL409');
      expect(await sqlstate(sql`update public.executions set status = 'queued' where id = ${id}`)).toBe('FL409');
    });

    it('are started once per idempotency key and workflow', async () => {
      const insert = () => withClaims(sql, worker(a.orgId), (tx) => tx`
        insert into public.executions (organization_id, workflow_id, trigger_type, idempotency_key)
        values (${a.orgId}, ${fa.workflowId}, 'webhook', 'delivery-1')
        on conflict (organization_id, workflow_id, idempotency_key) where idempotency_key is not null do nothing
        returning id`);
      expect(await insert()).toHaveLength(1);
      expect(await insert()).toHaveLength(0);
    });
  });

  // -------------------------------------------------------------------------------------
  // Audit
  // -------------------------------------------------------------------------------------
  it('audits workflows without webhook credentials, and documents by size only', async () => {
    const owner = user(a.users.owner.userId);
    const [w] = await withClaims(sql, owner, (tx) => tx<{ id: string; webhook_token: string; webhook_secret: string; created_by: string }[]>`
      insert into public.workflows (organization_id, name, definition) values (${a.orgId}, 'audited', ${tx.json({ nodes: [{ id: 'n1' }], edges: [] })})
      returning id, webhook_token, webhook_secret, created_by`);
    expect(w!.created_by).toBe(a.users.owner.userId);
    expect(w!.webhook_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(w!.webhook_secret).toMatch(/^[0-9a-f]{64}$/);
    await withClaims(sql, owner, (tx) => tx`
      update public.workflows set webhook_secret = 'rotated-secret', definition = '{"nodes":[],"edges":[]}' where id = ${w!.id}`);
    const entries = await sql`select operation, changed_columns, diff from public.audit_log where row_id = ${w!.id} order by created_at`;
    expect(entries.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    const text = JSON.stringify(entries);
    for (const secret of [w!.webhook_token, w!.webhook_secret, 'rotated-secret', 'n1']) expect(text).not.toContain(secret);
    expect(entries[1]?.changed_columns).toEqual(['definition', 'webhook_secret']);
    expect(entries[1]?.diff).toEqual({
      definition: { old_bytes: expect.any(Number), new_bytes: expect.any(Number) },
      webhook_secret: '[redacted]',
    });
  });

  // -------------------------------------------------------------------------------------
  // Public webhook entry point
  // -------------------------------------------------------------------------------------
  describe('app.webhook_target', () => {
    const target = (token: string) => withClaims(sql, { role: 'anon' }, (tx) => tx`select * from app.webhook_target(${token})`);

    it('resolves the token of a published workflow to its organization, version and secret', async () => {
      const [secret] = await sql`select webhook_secret from public.workflows where id = ${fa.workflowId}`;
      expect(await target(fa.webhookToken)).toEqual([{
        organization_id: a.orgId,
        workflow_id: fa.workflowId,
        status: 'published',
        trigger_type: 'trigger.manual',
        version_id: fa.versionId,
        version: 1,
        ir: SAMPLE_IR,
        webhook_secret: secret!.webhook_secret,
      }]);
    });

    it('answers nothing for unknown tokens, drafts, disabled workflows and lapsed organizations', async () => {
      expect(await target('no-such-token')).toEqual([]);
      expect(await target('')).toEqual([]);
      const draft = await createWorkflow(sql, a.orgId, 'draft');
      expect(await target(draft.webhookToken)).toEqual([]);

      const disabled = await createFlowFixtures(sql, a);
      await sql`update public.workflows set status = 'disabled' where id = ${disabled.workflowId}`;
      expect(await target(disabled.webhookToken)).toEqual([]);

      for (const status of ['inactive', 'cancelled']) {
        const orgId = await createOrg(sql, `flows-${status}`);
        const flow = await createFlowFixtures(sql, { orgId });
        expect(await target(flow.webhookToken)).toHaveLength(1);
        await sql`update public.organizations set subscription_status = ${status} where id = ${orgId}`;
        expect({ status, rows: await target(flow.webhookToken) }).toEqual({ status, rows: [] });
      }
    });

    it('is callable by anon only', async () => {
      expect(await sqlstate(withClaims(sql, user(a.users.owner.userId), (tx) => tx`select * from app.webhook_target(${fa.webhookToken})`))).toBe('42501');
      expect(await sqlstate(withClaims(sql, worker(a.orgId), (tx) => tx`select * from app.webhook_target(${fa.webhookToken})`))).toBe('42501');
    });
  });
});

describe('plan limit: workflows', () => {
  let sql: Sql;
  beforeAll(() => {
    sql = testSql();
  });
  afterAll(async () => {
    await sql.end();
  });

  async function orgWithOwner(maxWorkflows: number): Promise<{ orgId: string; owner: string }> {
    const orgId = await createOrg(sql, 'wf-limit');
    await sql`update public.organizations set max_workflows = ${maxWorkflows} where id = ${orgId}`;
    const owner = await createUser(sql, 'wf-limit-owner');
    await addMember(sql, orgId, owner, 'owner');
    return { orgId, owner };
  }
  const counter = async (orgId: string) =>
    (await sql<{ current_workflows: number }[]>`select current_workflows from public.organizations where id = ${orgId}`)[0]!.current_workflows;

  it('holds under concurrency: of 8 simultaneous creations in a 5-workflow org, exactly 5 land', async () => {
    const { orgId, owner } = await orgWithOwner(5);
    const pool = createSql(stackEnv.databaseUrl, { max: 8 }); // several connections, so the inserts really race
    try {
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) =>
        withClaims(pool, { role: 'authenticated', sub: owner }, (tx) => tx`
          insert into public.workflows (organization_id, name) values (${orgId}, ${`flow ${i}`})`)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(3);
      for (const r of rejected) {
        const err = r.reason as { code?: string; message: string; detail?: string };
        expect(err.code).toBe('FL402');
        expect(err.message).toBe('plan limit reached: max_workflows is 5');
        expect(JSON.parse(err.detail ?? 'null')).toEqual({ limit: 'max_workflows', max: 5 });
      }
    } finally {
      await pool.end();
    }
    const [row] = await sql`select count(*)::int as n from public.workflows where organization_id = ${orgId}`;
    expect({ counter: await counter(orgId), rows: row?.n }).toEqual({ counter: 5, rows: 5 });
  });

  it('keeps current_workflows right after deletes, and frees the room they leave', async () => {
    const { orgId, owner } = await orgWithOwner(3);
    const ids = await Promise.all([1, 2, 3].map(async (i) => (await createWorkflow(sql, orgId, `w${i}`)).id));
    expect(await counter(orgId)).toBe(3);
    await expect(createWorkflow(sql, orgId, 'w4')).rejects.toMatchObject({ code: 'FL402' });
    await withClaims(sql, { role: 'authenticated', sub: owner }, (tx) => tx`delete from public.workflows where id in ${tx(ids.slice(0, 2))}`);
    expect(await counter(orgId)).toBe(1);
    await createWorkflow(sql, orgId, 'w5');
    expect(await counter(orgId)).toBe(2);
  });

  it('is not something users can change', async () => {
    const { orgId, owner } = await orgWithOwner(3);
    const state = await withClaims(sql, { role: 'authenticated', sub: owner }, (tx) => tx`
      update public.organizations set current_workflows = 0, max_workflows = 1000 where id = ${orgId}`).then(() => 'ok', (e: { code?: string }) => e.code);
    expect(state).toBe('42501');
  });
});
