import type { Role } from '../../db/rbac/matrix';
import { stateQuery, type FlowRunState } from '../../workflows/flow/messages';
import { flowWorkflowId } from '../flows/executions';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

/** Waiting executions looked at per request: each costs one query to Temporal. */
export const APPROVAL_INBOX_LIMIT = 100;

interface WaitingRow {
  id: string;
  workflow_id: string;
  workflow_name: string | null;
  temporal_workflow_id: string | null;
  updated_at: Date;
  created_at: Date;
}

export const approvalRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/approvals',
    summary: 'Approval steps waiting in the organization that the caller may decide, newest run first',
    tags: ['executions'],
    access: orgAccess('executions', 'approve'),
    async handler({ params, member, asUser, services }) {
      const rows = await asUser(
        (tx) => tx<WaitingRow[]>`
          select e.id, e.workflow_id, w.name as workflow_name, e.temporal_workflow_id, e.updated_at, e.created_at
          from public.executions e
          left join public.workflows w on w.id = e.workflow_id and w.organization_id = e.organization_id
          where e.organization_id = ${params.orgId!} and e.status = 'waiting'
          order by e.created_at desc, e.id desc
          limit ${APPROVAL_INBOX_LIMIT}`,
      );
      // The database knows which runs wait; only the run itself knows on which approvals.
      const states = await Promise.all(
        rows.map((r) =>
          services.temporal.workflow
            .getHandle(r.temporal_workflow_id ?? flowWorkflowId(r.id))
            .query(stateQuery)
            .catch((): FlowRunState | null => null),
        ),
      );
      const role = member!.role as Role;
      const items = rows.flatMap((r, i) =>
        (states[i]?.waitingApprovals ?? [])
          .filter((w) => w.approverRoles.length === 0 || w.approverRoles.includes(role))
          .map((w) => ({
            executionId: r.id,
            workflowId: r.workflow_id,
            workflowName: r.workflow_name ?? '',
            nodeId: w.nodeId,
            message: w.message,
            approverRoles: w.approverRoles,
            // The run's last status change: when it started waiting.
            waitingSince: r.updated_at.toISOString(),
            executionCreatedAt: r.created_at.toISOString(),
          })),
      );
      return { items };
    },
  }),
];
