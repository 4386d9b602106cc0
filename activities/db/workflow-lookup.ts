import type { Sql } from '../../db/client';
import type { FlowIR } from '../../flows/types';
import { asWorker } from './support';

export interface LoadPublishedVersionInput {
  orgId: string;
  workflowId: string;
}

export interface PublishedVersion {
  versionId: string;
  version: number;
  ir: FlowIR;
}

export function createWorkflowLookupActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  return {
    /**
     * The version a published workflow of this organization runs (a subflow's target), or null
     * when the workflow does not exist here, is a draft, is disabled, or is deleted.
     */
    async loadPublishedVersion(input: LoadPublishedVersionInput): Promise<PublishedVersion | null> {
      return asWorker(sql, input.orgId, async (tx) => {
        const [row] = await tx<{ id: string; version: number; ir: FlowIR }[]>`
          select v.id, v.version, v.ir
          from public.workflows w
          join public.workflow_versions v on v.workflow_id = w.id and v.version = w.published_version
          where w.id = ${input.workflowId} and w.organization_id = ${input.orgId} and w.status = 'published' and w.deleted_at is null`;
        return row ? { versionId: row.id, version: row.version, ir: row.ir } : null;
      });
    },
  };
}

export type WorkflowLookupActivities = ReturnType<typeof createWorkflowLookupActivities>;
