import { z } from 'zod';
import { withClaims } from '../../db/tenant';
import { eventMatches } from '../../flows/nodes/triggers/event';
import type { FlowIR } from '../../flows/types';
import { startExecution } from '../flows/executions';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

const eventBody = z.strictObject({
  event: z.string().regex(/^[a-z][A-Za-z0-9_.-]{0,99}$/, 'Letters, digits, ".", "_" or "-", starting with a lowercase letter'),
  payload: z.json().optional(),
  /** Makes a repeated emit start nothing new (per workflow). */
  idempotencyKey: z.string().min(1).max(200).optional(),
});

interface Subscriber {
  id: string;
  workflow_id: string;
  version: number;
  ir: FlowIR;
}

export const eventRoutes: RouteDef[] = [
  defineRoute<z.infer<typeof eventBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/events',
    summary: 'Emit a named platform event: every published workflow with a trigger.event for it starts',
    tags: ['executions'],
    access: orgAccess('executions', 'create'),
    body: eventBody,
    status: 202,
    async handler({ params, body, asUser, services }) {
      const subscribers = await asUser(
        (tx) => tx<Subscriber[]>`
          select v.id, v.workflow_id, v.version, v.ir
          from public.workflows w
          join public.workflow_versions v on v.workflow_id = w.id and v.version = w.published_version
          where w.organization_id = ${params.orgId!} and w.status = 'published' and w.deleted_at is null and w.trigger_type = 'trigger.event'
            and v.ir -> 'nodes' -> (v.ir ->> 'triggerId') -> 'config' ->> 'event' = ${body.event}
          order by w.id`,
      );
      // The caller may start runs (checked above); the rows are written for the organization,
      // as for webhooks, because an event is not a manual run of one workflow.
      const asOrg = <T>(fn: Parameters<typeof withClaims<T>>[2]) => withClaims(services.sql, { role: 'worker', org_id: params.orgId! }, fn);
      const trigger = { event: body.event, payload: body.payload ?? null };
      const started = [];
      // A trigger's conditions are checked before anything is recorded: a refused event starts no run.
      for (const version of subscribers.filter((v) => eventMatches(v.ir.nodes[v.ir.triggerId]?.config, trigger))) {
        started.push(
          await startExecution(asOrg, services, {
            orgId: params.orgId!,
            version,
            trigger,
            triggerType: 'event',
            idempotencyKey: body.idempotencyKey ? `event:${body.event}:${body.idempotencyKey}` : undefined,
          }),
        );
      }
      return { event: body.event, executions: started.map((s) => ({ executionId: s.executionId, duplicate: s.duplicate })) };
    },
  }),
];
