/*
 * Opportunities live in GoHighLevel: a receipt's opportunity is checked there, through the
 * organization's own connection, so an id from another location (another tenant's) is simply
 * not found. Read without the refresh-and-mark-broken path of withGhl: GHL answers another
 * location's id with a 403, which is "not yours", not a broken credential.
 */
import { GhlError } from '../../activities/ghl/errors';
import { ghlAccess, GhlNotConnected } from '../../activities/integrations/ghl-access';
import { HttpError } from '../http/errors';
import type { Services } from '../http/route';

export interface OpportunitySummary {
  id: string;
  name: string | null;
  status: string;
  monetaryValue: number | null;
  pipelineId: string | null;
  ghlContactId: string | null;
}

function asProblem(err: unknown, notFoundMessage: string, notConnectedStatus: 404 | 409): unknown {
  // Without a connected location the organization has no opportunities: for a receipt upload
  // that is "not found" (the same answer as another tenant's id), with the way forward.
  if (err instanceof GhlNotConnected) return new HttpError(notConnectedStatus, `${notConnectedStatus === 404 ? `${notFoundMessage}: ` : ''}connect GoHighLevel first (${err.message})`);
  if (err instanceof GhlError) {
    if (err.status === 404 || err.status === 403 || err.status === 400) return new HttpError(404, notFoundMessage);
    return new HttpError(502, `GoHighLevel could not be asked (${err.message})`);
  }
  return err;
}

const summary = (o: { id: string; name?: string | null; status: string; monetaryValue?: number | null; pipelineId?: string | null; contactId?: string | null }): OpportunitySummary => ({
  id: o.id,
  name: o.name ?? null,
  status: o.status,
  monetaryValue: o.monetaryValue ?? null,
  pipelineId: o.pipelineId ?? null,
  ghlContactId: o.contactId ?? null,
});

/** The opportunity in the organization's GHL location; 404 when it is not there. */
export async function findOpportunity(services: Services, orgId: string, opportunityId: string): Promise<OpportunitySummary> {
  try {
    const access = await ghlAccess(services.sql, services.ghl, orgId);
    return summary(await access.client.opportunities.get(opportunityId));
  } catch (err) {
    throw asProblem(err, 'No such opportunity in your GoHighLevel location', 404);
  }
}

/** A GHL contact's opportunities (the first 100). */
export async function contactOpportunities(services: Services, orgId: string, ghlContactId: string): Promise<OpportunitySummary[]> {
  try {
    const access = await ghlAccess(services.sql, services.ghl, orgId);
    const found = await access.client.opportunities.search({ contactId: ghlContactId, status: 'all', limit: 100 });
    return found.opportunities.map(summary);
  } catch (err) {
    throw asProblem(err, 'No such contact in your GoHighLevel location', 409);
  }
}
