// Fixtures for bench/flows.ts, written as the migration owner (RLS bypassed), as the API's
// publish would leave them.
import { randomUUID } from 'node:crypto';
import type { ActivityOptions } from '@temporalio/common';
import type { Sql } from '../../db/client';
import { compileDefinition } from '../../api/flows/compile';
import type { FlowIR, IRNode } from '../../flows/types';
// ---------------------------------------------------------------------------------------------
// Fixtures, written as the migration owner (RLS bypassed), as the API's publish would leave them
// ---------------------------------------------------------------------------------------------
export type NodeSpec = [id: string, type: string, data?: Record<string, unknown>];

/** A React Flow definition of a straight line of nodes, as the canvas would save it. */
export function line(nodes: NodeSpec[]) {
  return {
    nodes: nodes.map(([id, type, data], i) => ({ id, type, position: { x: i * 200, y: 0 }, data: data ?? {} })),
    edges: nodes.slice(1).map(([id], i) => ({ id: `e${i}`, source: nodes[i]![0], target: id })),
  };
}

export interface Published {
  orgId: string;
  workflowId: string;
  versionId: string;
  version: number;
  ir: FlowIR;
  webhookToken: string;
}

export async function createOrg(sql: Sql, label: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.organizations (name, slug, max_users, max_workflows)
    values (${label}, ${`${label}-${randomUUID().slice(0, 8)}`}, 100, 100) returning id`;
  return row!.id;
}

/** Compiles the definition as publishing does, and stores it as the workflow's published version. */
export async function publishFlow(sql: Sql, orgId: string, name: string, definition: unknown): Promise<Published> {
  const compiled = compileDefinition(definition);
  if (!compiled.ok) throw new Error(`${name} does not compile: ${JSON.stringify(compiled.problems)}`);
  const { ir } = compiled;
  const [wf] = await sql<{ id: string; webhook_token: string }[]>`
    insert into public.workflows (organization_id, name, definition) values (${orgId}, ${name}, ${sql.json(definition as never)})
    returning id, webhook_token`;
  const [v] = await sql<{ id: string; version: number }[]>`
    insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash)
    values (${orgId}, ${wf!.id}, ${sql.json(definition as never)}, ${sql.json(ir as never)}, ${ir.hash})
    returning id, version`;
  await sql`update public.workflows set status = 'published', published_version = ${v!.version}, trigger_type = ${ir.triggerType} where id = ${wf!.id}`;
  return { orgId, workflowId: wf!.id, versionId: v!.id, version: v!.version, ir, webhookToken: wf!.webhook_token };
}

/** A queued execution row, as startExecution writes it before starting the run. */
export async function queueExecution(sql: Sql, flow: Published, temporalWorkflowId: (id: string) => string): Promise<string> {
  const id = randomUUID();
  await sql`
    insert into public.executions (id, organization_id, workflow_id, version_id, version, status, trigger_type, input, temporal_workflow_id)
    values (${id}, ${flow.orgId}, ${flow.workflowId}, ${flow.versionId}, ${flow.version}, 'queued', 'manual',
      ${sql.json({ body: null, manual: true })}, ${temporalWorkflowId(id)})`;
  return id;
}

/** The activity options the interpreter gives an activity node (workflows/flow/interpreter.ts). */
export function interpreterActivityOptions(node: IRNode): ActivityOptions {
  const retry = node.retry;
  return {
    startToCloseTimeout: node.timeoutMs ?? 60_000,
    retry: {
      maximumAttempts: retry?.maximumAttempts ?? 1,
      initialInterval: retry?.initialIntervalMs ?? 1000,
      backoffCoefficient: retry?.backoffCoefficient ?? 2,
      ...(retry?.maximumIntervalMs ? { maximumInterval: retry.maximumIntervalMs } : {}),
      nonRetryableErrorTypes: ['NonRetryable'],
    },
  };
}

