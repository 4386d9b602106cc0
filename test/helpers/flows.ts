import type { Sql } from '../../db/client';
import type { Tenant } from './tenants';

// Flow fixtures written as the migration owner (RLS bypassed), like createTenant's.

export interface FlowFixtures {
  /** A published workflow with one version, one execution of it, one step and one payload. */
  workflowId: string;
  webhookToken: string;
  versionId: string;
  executionId: string;
  stepId: string;
  payloadId: string;
}

export const SAMPLE_IR = {
  irVersion: 1,
  hash: 'sample',
  triggerId: 'trigger',
  triggerType: 'trigger.manual',
  nodes: { trigger: { id: 'trigger', type: 'trigger.manual', config: {}, next: {}, incoming: [] } },
  subflows: [],
};

/** A draft workflow; `max_workflows` must leave room for it. */
export async function createWorkflow(sql: Sql, orgId: string, name = 'flow'): Promise<{ id: string; webhookToken: string }> {
  const [row] = await sql<{ id: string; webhook_token: string }[]>`
    insert into public.workflows (organization_id, name, trigger_type) values (${orgId}, ${name}, 'trigger.manual')
    returning id, webhook_token`;
  return { id: row!.id, webhookToken: row!.webhook_token };
}

/** Publishes the next version of a workflow and makes it the one that runs. */
export async function publishVersion(sql: Sql, orgId: string, workflowId: string): Promise<{ id: string; version: number }> {
  const [version] = await sql<{ id: string; version: number }[]>`
    insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash)
    values (${orgId}, ${workflowId}, ${sql.json({ nodes: [], edges: [] })}, ${sql.json(SAMPLE_IR)}, 'sample')
    returning id, version`;
  await sql`update public.workflows set status = 'published', published_version = ${version!.version} where id = ${workflowId}`;
  return version!;
}

export async function createExecution(
  sql: Sql, orgId: string, workflowId: string, version: { id: string; version: number } | null,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type, input)
    values (${orgId}, ${workflowId}, ${version?.id ?? null}, ${version?.version ?? null}, 'manual', ${sql.json({ hello: 'world' })})
    returning id`;
  return row!.id;
}

export async function createFlowFixtures(sql: Sql, tenant: Pick<Tenant, 'orgId'>): Promise<FlowFixtures> {
  const orgId = tenant.orgId;
  const workflow = await createWorkflow(sql, orgId, 'fixture flow');
  const version = await publishVersion(sql, orgId, workflow.id);
  const executionId = await createExecution(sql, orgId, workflow.id, version);
  const [step] = await sql<{ id: string }[]>`
    insert into public.execution_steps (organization_id, execution_id, node_id, node_type, input)
    values (${orgId}, ${executionId}, 'trigger', 'trigger.manual', ${sql.json({ hello: 'world' })}) returning id`;
  const [payload] = await sql<{ id: string }[]>`
    insert into public.execution_payloads (organization_id, execution_id, data, bytes)
    values (${orgId}, ${executionId}, ${sql.json({ big: 'value' })}, 16) returning id`;
  return {
    workflowId: workflow.id,
    webhookToken: workflow.webhookToken,
    versionId: version.id,
    executionId,
    stepId: step!.id,
    payloadId: payload!.id,
  };
}
