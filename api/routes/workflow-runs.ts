import { z } from 'zod';
import { can } from '../../db/rbac/matrix';
import { startExecution } from '../flows/executions';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { compiledDraft, loadWorkflow, payloadParam, publishedVersion, testPayloadField } from './workflow-shared';

const runBody = z.strictObject({ payload: z.json().optional() });
const testRunBody = z.strictObject({ payload: testPayloadField.optional() });

/** Starting a workflow by hand: the published version, or the saved draft as a test run. */
export const workflowRunRoutes: RouteDef[] = [
  defineRoute<z.infer<typeof runBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/run',
    summary: 'Run the latest published version now with a test payload',
    tags: ['executions'],
    access: orgAccess('executions', 'create'),
    body: runBody,
    status: 201,
    errors: { 409: 'The workflow has no published version, or is disabled' },
    async handler({ params, body, user, asUser, services }) {
      const version = await asUser(async (tx) => {
        const wf = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        if (wf.status === 'disabled') throw new HttpError(409, 'The workflow is disabled: publish it again to run it');
        return publishedVersion(tx, params.orgId!, wf.id);
      });
      if (!version) throw new HttpError(409, 'Publish the workflow before running it');
      return startExecution(asUser, services, {
        orgId: params.orgId!,
        version,
        trigger: { body: body.payload ?? null, manual: true },
        triggerType: 'manual',
        createdBy: user!.id,
      });
    },
  }),
  defineRoute<z.infer<typeof testRunBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/test-run',
    summary: 'Run the saved draft now (compiled, not published) with a test payload, which the workflow remembers',
    tags: ['executions'],
    access: orgAccess('executions', 'create'),
    body: testRunBody,
    status: 201,
    errors: { 422: 'The draft has problems (listed in errors and problems)' },
    async handler({ params, body, user, member, asUser, services }) {
      const draft = await asUser(async (tx) => {
        const wf = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        const run = await compiledDraft(tx, params.orgId!, wf);
        // Remembered for the builder's next test run, by those who may change the workflow.
        if (body.payload !== undefined && can(member!.role, 'workflows', 'update', member!.customPermissions)) {
          await tx`update public.workflows set test_payload = ${payloadParam(tx, body.payload)}
            where id = ${wf.id} and organization_id = ${params.orgId!} and test_payload is distinct from ${payloadParam(tx, body.payload)}`;
        }
        return run;
      });
      return startExecution(asUser, services, {
        orgId: params.orgId!,
        version: draft,
        trigger: { body: body.payload ?? null, manual: true },
        triggerType: 'test',
        createdBy: user!.id,
      });
    },
  }),
];
