/*
 * "Forget this contact": the right-to-erasure path. The database part (app.forget_contact,
 * 20261207000710_forget_contact.sql) removes the personal data in one transaction and logs it;
 * then the Temporal executions that carried it (conversations, flow runs) are deleted, so their
 * histories go too.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { isGrpcServiceError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

interface Forgotten {
  conversations: number;
  messages: number;
  executions: number;
  webhookEvents: number;
  auditEntriesRedacted: number;
  salesUnlinked: number;
  receiptsUnlinked: number;
  temporalWorkflowIds: string[];
}

/** Deletes each execution (a running one is terminated first by Temporal itself). */
async function deleteHistories(temporal: Client, workflowIds: readonly string[]) {
  const result = { deleted: 0, alreadyGone: 0, failed: [] as string[] };
  for (const workflowId of workflowIds) {
    try {
      await temporal.workflowService.deleteWorkflowExecution({ namespace: temporal.options.namespace, workflowExecution: { workflowId } });
      result.deleted += 1;
    } catch (err) {
      if (isGrpcServiceError(err) && err.code === GrpcStatus.NOT_FOUND) result.alreadyGone += 1;
      else result.failed.push(workflowId);
    }
  }
  return result;
}

export const contactForgetRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/contacts/:contactId/forget',
    summary: "Forget a contact: delete its personal data everywhere Flowline holds it (not in GHL), for good; logged in the audit trail",
    tags: ['contacts'],
    access: orgAccess('contacts', 'delete'),
    async handler({ params, asUser, services, req }) {
      const [row] = await asUser((tx) => tx<{ forgotten: Forgotten | null }[]>`
        select app.forget_contact(${params.orgId!}, ${params.contactId!}) as forgotten`);
      const forgotten = row?.forgotten;
      if (!forgotten) throw new HttpError(404, 'No such contact');
      const { temporalWorkflowIds, ...removed } = forgotten;
      const histories = await deleteHistories(services.temporal, temporalWorkflowIds);
      if (histories.failed.length > 0) {
        req.log?.warn({ failed: histories.failed }, 'forget contact: some Temporal executions could not be deleted');
      }
      return { forgotten: true, removed, temporalHistories: histories };
    },
  }),
];
