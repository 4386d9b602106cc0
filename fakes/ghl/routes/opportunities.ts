import { fail, invalid, notFound } from '../errors';
import { assertLocation, body, param, queryInt, queryString, V_2021_07_28, type Ctx, type RouteDef } from '../context';
import { opportunityStatusEvent } from '../payloads';
import type { FakeOpportunity } from '../state';

const STATUSES = ['open', 'won', 'lost', 'abandoned'] as const;

function view(ctx: Ctx, o: FakeOpportunity) {
  const c = ctx.state.contacts.get(o.contactId);
  return {
    ...o,
    contact: c
      ? { id: c.id, name: [c.firstName, c.lastName].filter(Boolean).join(' '), companyName: c.companyName ?? '', email: c.email ?? '', phone: c.phone ?? '', tags: c.tags }
      : undefined,
    notes: [],
    tasks: [],
    calendarEvents: [],
    customFields: [],
    followers: [],
  };
}

function getOpportunity(ctx: Ctx, id: string): FakeOpportunity {
  const o = ctx.state.opportunities.get(id);
  if (!o) throw notFound('Opportunity not found');
  if (o.locationId !== ctx.locationId) throw fail(403, 'The token does not have access to this location.');
  return o;
}

export const opportunityRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/opportunities/search',
    version: V_2021_07_28,
    handler(req, ctx) {
      // This endpoint alone takes snake_case parameters.
      assertLocation(ctx, queryString(req, 'location_id'), 'location_id');
      const status = queryString(req, 'status');
      if (status && status !== 'all' && !STATUSES.includes(status as FakeOpportunity['status'])) {
        throw invalid('status must be one of the following values: open, won, lost, abandoned, all');
      }
      const limit = queryInt(req, 'limit', 1, 100) ?? 20;
      const page = queryInt(req, 'page', 1, 10_000) ?? 1;
      const q = queryString(req, 'q')?.toLowerCase();
      const eq = (name: string, value: string | null) => {
        const wanted = queryString(req, name);
        return wanted === undefined || wanted === value;
      };
      const all = [...ctx.state.opportunities.values()]
        .filter((o) => o.locationId === ctx.locationId)
        .filter((o) => eq('pipeline_id', o.pipelineId) && eq('pipeline_stage_id', o.pipelineStageId) && eq('contact_id', o.contactId) && eq('assigned_to', o.assignedTo))
        .filter((o) => !status || status === 'all' || o.status === status)
        .filter((o) => !q || o.name.toLowerCase().includes(q))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));
      let rest = all.slice((page - 1) * limit);
      const startAfterId = queryString(req, 'startAfterId');
      if (startAfterId) {
        const i = all.findIndex((o) => o.id === startAfterId);
        rest = i < 0 ? [] : all.slice(i + 1);
      }
      const items = rest.slice(0, limit);
      const last = items.at(-1);
      const more = rest.length > limit;
      return {
        opportunities: items.map((o) => view(ctx, o)),
        meta: {
          total: all.length,
          nextPageUrl: more && last ? `/opportunities/search?location_id=${ctx.locationId}&startAfterId=${last.id}&startAfter=${Date.parse(last.createdAt)}` : null,
          startAfterId: more && last ? last.id : null,
          startAfter: more && last ? Date.parse(last.createdAt) : null,
          currentPage: page,
          nextPage: more ? page + 1 : null,
          prevPage: page > 1 ? page - 1 : null,
        },
        aggregations: {},
      };
    },
  },
  {
    method: 'get',
    path: '/opportunities/pipelines',
    version: V_2021_07_28,
    handler(req, ctx) {
      assertLocation(ctx, queryString(req, 'locationId'));
      return { pipelines: [...ctx.state.pipelines.values()].filter((p) => p.locationId === ctx.locationId) };
    },
  },
  {
    method: 'get',
    path: '/opportunities/:id',
    version: V_2021_07_28,
    handler: (req, ctx) => ({ opportunity: view(ctx, getOpportunity(ctx, param(req, 'id'))) }),
  },
  {
    method: 'put',
    path: '/opportunities/:id/status',
    version: V_2021_07_28,
    handler(req, ctx) {
      const o = getOpportunity(ctx, param(req, 'id'));
      const status = body(req).status;
      if (!STATUSES.includes(status as FakeOpportunity['status'])) throw invalid('status must be one of the following values: open, won, lost, abandoned');
      if (o.status !== status) {
        o.status = status as FakeOpportunity['status'];
        o.lastStatusChangeAt = o.updatedAt = new Date().toISOString();
        ctx.emit(opportunityStatusEvent(o));
      }
      return { succeded: true };
    },
  },
];
