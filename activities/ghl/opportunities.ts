import type { GhlTransport } from './http';
import { VERSION_2021_07_28 as V } from './http';
import * as s from './schemas';

export type OpportunityStatus = 'open' | 'won' | 'lost' | 'abandoned';

/** GET /opportunities/search takes snake_case query parameters. */
export interface OpportunitySearch {
  pipelineId?: string;
  pipelineStageId?: string;
  contactId?: string;
  assignedTo?: string;
  status?: OpportunityStatus | 'all';
  q?: string;
  limit?: number;
  page?: number;
  startAfter?: number;
  startAfterId?: string;
}

export function opportunitiesModule(http: GhlTransport, locationId: string) {
  return {
    get: async (opportunityId: string) =>
      (await http.request({ method: 'GET', path: `/opportunities/${encodeURIComponent(opportunityId)}`, version: V, schema: s.opportunityEnvelope }))
        .opportunity,

    search: async (search: OpportunitySearch = {}) => {
      const r = await http.request({
        method: 'GET',
        path: '/opportunities/search',
        version: V,
        query: {
          location_id: locationId,
          pipeline_id: search.pipelineId,
          pipeline_stage_id: search.pipelineStageId,
          contact_id: search.contactId,
          assigned_to: search.assignedTo,
          status: search.status,
          q: search.q,
          limit: search.limit,
          page: search.page,
          startAfter: search.startAfter,
          startAfterId: search.startAfterId,
        },
        schema: s.opportunitySearchResult,
      });
      return { opportunities: r.opportunities, meta: r.meta };
    },

    updateStatus: async (opportunityId: string, status: OpportunityStatus) => {
      const r = await http.request({
        method: 'PUT',
        path: `/opportunities/${encodeURIComponent(opportunityId)}/status`,
        version: V,
        body: { status },
        schema: s.succeeded,
      });
      return { succeeded: r.succeded };
    },

    pipelines: async () =>
      (await http.request({ method: 'GET', path: '/opportunities/pipelines', version: V, query: { locationId }, schema: s.pipelinesResult })).pipelines,
  };
}
