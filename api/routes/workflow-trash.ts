/*
 * The workflow trash: deleting moves a workflow there (its versions and executions stay, its
 * schedule goes), and restoring brings it back as it was while the organization's trash
 * retention period (trashRetentionDays) lasts. The database enforces the window and keeps a
 * deleted workflow from starting anything (20261207000400_soft_delete_workflows.sql).
 */
import type { FlowIR } from '../../flows/types';
import { can } from '../../db/rbac/matrix';
import { syncSchedule } from '../flows/schedules';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { detail, type WorkflowRow } from './workflow-shared';

export const workflowTrashRoutes: RouteDef[] = [
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId',
    summary: 'Move a workflow to the trash: it stops starting (webhook, schedule, events) and can be restored for trashRetentionDays',
    tags: ['workflows'],
    access: orgAccess('workflows', 'delete'),
    async handler({ params, asUser, services }) {
      await asUser(async (tx) => {
        const rows = await tx`
          update public.workflows set deleted_at = now(), schedule_id = null
          where id = ${params.workflowId!} and organization_id = ${params.orgId!} and deleted_at is null returning id`;
        if (rows.length === 0) throw new HttpError(404, 'No such workflow');
        // Inside the transaction: if Temporal refuses, the workflow stays where it was.
        await syncSchedule(services, params.orgId!, params.workflowId!, null);
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/restore',
    summary: 'Bring a deleted workflow back from the trash as it was (published ones start again, schedules included)',
    tags: ['workflows'],
    access: orgAccess('workflows', 'delete'),
    errors: {
      402: 'The plan allows no more workflows (max_workflows)',
      409: 'The workflow is not deleted, or was deleted longer ago than the trash retention period',
    },
    async handler({ params, member, asUser, services }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const [found] = await tx<{ deleted_at: Date | null; restorable: boolean | null }[]>`
          select deleted_at, app.in_restore_window(organization_id, deleted_at) as restorable
          from public.workflows where id = ${params.workflowId!} and organization_id = ${orgId}`;
        if (!found) throw new HttpError(404, 'No such workflow');
        if (!found.deleted_at) throw new HttpError(409, 'This workflow is not deleted');
        if (!found.restorable) {
          throw new HttpError(409, 'This workflow was deleted longer ago than the trash retention period (trashRetentionDays) and can no longer be restored');
        }
        const [row] = await tx<WorkflowRow[]>`
          update public.workflows set deleted_at = null
          where id = ${params.workflowId!} and organization_id = ${orgId} returning *`;
        let restored: WorkflowRow = row!;
        if (restored.status === 'published') {
          const [version] = await tx<{ ir: FlowIR }[]>`
            select ir from public.workflow_versions
            where organization_id = ${orgId} and workflow_id = ${restored.id} and version = ${restored.published_version}`;
          const scheduleId = await syncSchedule(services, orgId, restored.id, version?.ir ?? null);
          if (scheduleId) {
            const [scheduled] = await tx<WorkflowRow[]>`update public.workflows set schedule_id = ${scheduleId} where id = ${restored.id} returning *`;
            restored = scheduled!;
          }
        }
        return detail(restored, can(member!.role, 'workflows', 'update', member!.customPermissions));
      });
    },
  }),
];
