import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_RECEIPTS_DIR, localReceiptStorage } from '../../activities/receipts/storage';
import type { RouteDef } from '../../api/http/route';
import { apiRoutes } from '../../api/routes';
import type { Sql } from '../../db/client';
import { type Action, can, type Resource, ROLES } from '../../db/rbac/matrix';
import { call, tokenFor, uniqueEmail } from '../helpers/api';
import type { RunningApp } from '../helpers/app';
import { makePdf } from '../helpers/pdf';
import { useAppStack } from '../helpers/stack';
import { createFlowFixtures, createWorkflow } from '../helpers/flows';
import { createContact, createIntegration } from '../helpers/integrations';
import { ledger, ownerWriter, plan as createPlan, salesRep } from '../commissions/ledger';
import { addMember, createTenant, createUser, type Tenant } from '../helpers/tenants';

// The route table is the single list of what the API serves. This suite walks it: every org
// route is called by every role (exact status from the RBAC matrix), and by every role of
// another organization with this organization's ids (404, and nothing changes).

interface Sample {
  params: Record<string, string>;
  body?: unknown;
  /** A body that is not JSON (a file upload) and its content type. */
  raw?: { body: Uint8Array; contentType: string };
  ok: number;
}
type SampleFn = (sql: Sql, t: Tenant) => Promise<Sample>;
/** The request body of a sample: JSON, or raw bytes with their content type. */
const bodyOf = (sample: Sample) =>
  sample.raw ? { rawBody: sample.raw.body, headers: { 'content-type': sample.raw.contentType } } : { body: sample.body };

/** A receipt uploaded by the org's rep (so every reader of receipts, the rep too, sees it), its file stored. */
const freshReceipt = async (sql: Sql, t: Tenant, status = 'needs_review') => {
  const id = randomUUID();
  const bytes = makePdf([['Receipt', 'TOTAL USD 1.00']]);
  await localReceiptStorage(DEFAULT_RECEIPTS_DIR).put(`${t.orgId}/${id}`, bytes, 'application/pdf');
  await sql`
    insert into public.opportunity_receipts (id, organization_id, ghl_opportunity_id, uploaded_by, file_name, content_type, size_bytes, sha256, storage_key, status)
    values (${id}, ${t.orgId}, 'opp-1', ${t.users.sales.userId}, 'r.pdf', 'application/pdf', ${bytes.length}, ${randomUUID().replaceAll('-', '').padEnd(64, '0')}, ${`${t.orgId}/${id}`}, ${status})`;
  return id;
};
const multipartPng = () => {
  const boundary = `----flowline${randomUUID()}`;
  const png = readFileSync(path.join(__dirname, '..', 'fixtures', 'receipts', 'coffee-shop.png'));
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.png"\r\nContent-Type: image/png\r\n\r\n`);
  return { body: new Uint8Array(Buffer.concat([head, png, Buffer.from(`\r\n--${boundary}--\r\n`)])), contentType: `multipart/form-data; boundary=${boundary}` };
};

const freshMember = async (sql: Sql, t: Tenant) => addMember(sql, t.orgId, await createUser(sql, 'target'), 'viewer');
const freshTeamMember = async (sql: Sql, t: Tenant, deleted = false) => {
  const [row] = await sql<{ id: string }[]>`
    insert into public.team_members (organization_id, full_name, deleted_at) values (${t.orgId}, 'Target', ${deleted ? new Date() : null}) returning id`;
  return row!.id;
};
/** A contact someone deleted in Flowline (restorable). */
const deletedContact = async (sql: Sql, t: Tenant) => {
  const id = await createContact(sql, t.orgId);
  await sql`update public.contacts set deleted_at = now(), deleted_reason = 'user' where id = ${id}`;
  return id;
};
const freshInvitation = async (sql: Sql, t: Tenant) => {
  const [row] = await sql<{ id: string }[]>`
    insert into public.invitations (organization_id, email, role, token_hash, invited_by, expires_at)
    values (${t.orgId}, ${uniqueEmail('inv')}, 'viewer', ${randomUUID()}, ${t.users.owner.memberId}, now() + interval '1 day') returning id`;
  return row!.id;
};

/** A workflow in the trash, deleted a moment ago. */
const deletedWorkflow = async (sql: Sql, t: Tenant) => {
  const { workflowId } = await createFlowFixtures(sql, t);
  await sql`update public.workflows set deleted_at = now() where id = ${workflowId}`;
  return workflowId;
};
/** A bot in the trash, deleted a moment ago. */
const deletedBot = async (sql: Sql, t: Tenant) => {
  const botId = await freshBot(sql, t);
  await sql`update public.bots set deleted_at = now(), mode = 'off' where id = ${botId}`;
  return botId;
};

/** A valid request per org route (keyed "METHOD path"); a new route without one fails the walk. */
const SAMPLES: Record<string, SampleFn> = {
  'GET /api/v1/orgs/:orgId': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId': async (_s, t) => ({ params: { orgId: t.orgId }, body: { name: 'Renamed' }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/members': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/members': async (_s, t) => ({ params: { orgId: t.orgId }, body: { email: uniqueEmail('invitee'), role: 'viewer' }, ok: 201 }),
  'GET /api/v1/orgs/:orgId/invitations': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/invitations/:invitationId': async (s, t) => ({ params: { orgId: t.orgId, invitationId: await freshInvitation(s, t) }, ok: 204 }),
  'PATCH /api/v1/orgs/:orgId/members/:memberId': async (s, t) => ({ params: { orgId: t.orgId, memberId: await freshMember(s, t) }, body: { status: 'suspended' }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/members/:memberId': async (s, t) => ({ params: { orgId: t.orgId, memberId: await freshMember(s, t) }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/transfer-ownership': async (s, t) => ({ params: { orgId: t.orgId }, body: { memberId: await freshMember(s, t) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/team-members': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/team-members': async (_s, t) => ({ params: { orgId: t.orgId }, body: { fullName: 'New Rep', externalId: `ghl-${randomUUID()}` }, ok: 201 }),
  'GET /api/v1/orgs/:orgId/team-members/:teamMemberId': async (_s, t) => ({ params: { orgId: t.orgId, teamMemberId: t.teamMemberId }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId/team-members/:teamMemberId': async (_s, t) => ({ params: { orgId: t.orgId, teamMemberId: t.teamMemberId }, body: { fullName: 'Renamed Rep' }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/team-members/:teamMemberId': async (s, t) => ({ params: { orgId: t.orgId, teamMemberId: await freshTeamMember(s, t) }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/team-members/:teamMemberId/restore': async (s, t) => ({ params: { orgId: t.orgId, teamMemberId: await freshTeamMember(s, t, true) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/audit-log': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/workflows': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/workflows': async (_s, t) => ({ params: { orgId: t.orgId }, body: { name: 'New flow' }, ok: 201 }),
  'GET /api/v1/orgs/:orgId/workflows/:workflowId': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId/workflows/:workflowId': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, body: { name: 'Renamed flow' }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/workflows/:workflowId': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/restore': async (s, t) => ({ params: { orgId: t.orgId, workflowId: await deletedWorkflow(s, t) }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/validate': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, body: {}, ok: 200 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/publish': async (s, t) => ({ params: { orgId: t.orgId, workflowId: await validDraft(s, t) }, body: {}, ok: 201 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/unpublish': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/workflows/:workflowId/versions': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/run': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, body: { payload: { a: 1 } }, ok: 201 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/duplicate': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId }, ok: 201 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/test-run': async (s, t) => ({ params: { orgId: t.orgId, workflowId: await validDraft(s, t) }, body: { payload: { a: 1 } }, ok: 201 }),
  'GET /api/v1/orgs/:orgId/workflows/:workflowId/versions/:version': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId, version: '1' }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/versions/:version/restore': async (s, t) => ({ params: { orgId: t.orgId, workflowId: (await createFlowFixtures(s, t)).workflowId, version: '1' }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/executions': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/executions/:executionId': async (s, t) => ({ params: { orgId: t.orgId, executionId: (await createFlowFixtures(s, t)).executionId }, ok: 200 }),
  // The fixture execution was never started in Temporal: allowed callers get 409, not 403/404.
  'POST /api/v1/orgs/:orgId/executions/:executionId/cancel': async (s, t) => ({ params: { orgId: t.orgId, executionId: (await createFlowFixtures(s, t)).executionId }, ok: 409 }),
  'POST /api/v1/orgs/:orgId/executions/:executionId/rerun': async (s, t) => ({ params: { orgId: t.orgId, executionId: (await createFlowFixtures(s, t)).executionId }, body: { fromNodeId: 'trigger' }, ok: 201 }),
  'POST /api/v1/orgs/:orgId/events': async (_s, t) => ({ params: { orgId: t.orgId }, body: { event: 'order.created', payload: { id: 1 } }, ok: 202 }),
  'POST /api/v1/orgs/:orgId/executions/:executionId/approvals/:node': async (s, t) => ({ params: { orgId: t.orgId, executionId: (await createFlowFixtures(s, t)).executionId, node: 'approve' }, body: { decision: 'approve' }, ok: 409 }),
  'GET /api/v1/orgs/:orgId/approvals': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/integrations': async (s, t) => ({ params: { orgId: (await createIntegration(s, t.orgId), t.orgId) }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/integrations/ghl/private-token': async (_s, t) => ({
    params: { orgId: t.orgId },
    body: { locationId: `loc-${randomUUID()}`, token: 'pit-0123456789abcdef' },
    ok: 201,
  }),
  'DELETE /api/v1/orgs/:orgId/integrations/:integrationId': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/rotate': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/private-token': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, body: { token: 'pit-new-0123456789' }, ok: 200 }),
  // Nothing answers at the test app's GHL address: the test reports the failure (200 with ok: false).
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/test': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/integrations/ghl/oauth/start': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId/integrations/:integrationId': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, body: { companyId: 'company-1' }, ok: 200 }),
  // The fixture integration has no company id, which GHL's user search needs: allowed callers get 422.
  'GET /api/v1/orgs/:orgId/integrations/:integrationId/team-import': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, ok: 422 }),
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/team-import': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, ok: 422 }),
  // The test app runs no sandbox location.
  'POST /api/v1/orgs/:orgId/integrations/ghl/sandbox': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 404 }),
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/sync-contacts': async (s, t) => ({ params: { orgId: t.orgId, integrationId: (await createIntegration(s, t.orgId)).id }, ok: 202 }),
  'GET /api/v1/orgs/:orgId/contacts': async (s, t) => ({ params: { orgId: (await createContact(s, t.orgId), t.orgId) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/contacts/:contactId': async (s, t) => ({ params: { orgId: t.orgId, contactId: await createContact(s, t.orgId) }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/contacts/:contactId': async (s, t) => ({ params: { orgId: t.orgId, contactId: await createContact(s, t.orgId) }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/contacts/:contactId/restore': async (s, t) => ({ params: { orgId: t.orgId, contactId: await deletedContact(s, t) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/commission-settings': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId/commission-settings': async (_s, t) => ({ params: { orgId: t.orgId }, body: { timezone: 'Europe/Berlin' }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/commission-plans': async (s, t) => ({ params: { orgId: (await createPlan(s, t.orgId), t.orgId) }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/commission-plans': async (_s, t) => ({
    params: { orgId: t.orgId },
    body: { name: 'New plan', version: { effectiveFrom: '2026-01-01T00:00:00Z', currency: 'USD', rules: [{ kind: 'percentage', id: 'base', rateBps: 1000 }] } },
    ok: 201,
  }),
  'GET /api/v1/orgs/:orgId/commission-plans/:planId': async (s, t) => ({ params: { orgId: t.orgId, planId: (await createPlan(s, t.orgId)).planId }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId/commission-plans/:planId': async (s, t) => ({ params: { orgId: t.orgId, planId: (await createPlan(s, t.orgId)).planId }, body: { name: 'Renamed plan' }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/commission-plans/:planId': async (s, t) => ({ params: { orgId: t.orgId, planId: (await createPlan(s, t.orgId)).planId }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/commission-plans/:planId/versions': async (s, t) => ({
    params: { orgId: t.orgId, planId: (await createPlan(s, t.orgId)).planId },
    body: { effectiveFrom: '2027-01-01T00:00:00Z', currency: 'USD', rules: [{ kind: 'flat', id: 'bonus', amountMinor: 5_000 }] },
    ok: 201,
  }),
  'POST /api/v1/orgs/:orgId/commission-plans/preview': async (_s, t) => ({
    params: { orgId: t.orgId },
    body: { version: { currency: 'USD', rules: [{ kind: 'percentage', id: 'base', rateBps: 1000 }] }, samplesMinor: [10_000] },
    ok: 200,
  }),
  // The ledger rows below belong to the sales user's own team member: a rep reads them (RLS).
  'GET /api/v1/orgs/:orgId/sales-transactions': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/sales-transactions/:saleId': async (s, t) => ({ params: { orgId: t.orgId, saleId: (await repCommission(s, t)).transactionId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/commissions': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/commissions/summary': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/commissions/:commissionId': async (s, t) => ({ params: { orgId: t.orgId, commissionId: (await repCommission(s, t)).id }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/payouts': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/payouts/:payoutId': async (s, t) => ({ params: { orgId: t.orgId, payoutId: await repPayout(s, t) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/payouts/:payoutId/statement.csv': async (s, t) => ({ params: { orgId: t.orgId, payoutId: await repPayout(s, t) }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/sales-transactions': async (_s, t) => ({ params: { orgId: t.orgId }, body: { amountMinor: 1_000, currency: 'USD', teamMemberId: t.teamMemberId }, ok: 201 }),
  'POST /api/v1/orgs/:orgId/sales-transactions/:saleId/assign': async (s, t) => ({
    params: { orgId: t.orgId, saleId: await ledger(ownerWriter(s)).sale(t.orgId, { teamMemberId: null }) },
    body: { teamMemberId: t.teamMemberId },
    ok: 200,
  }),
  'POST /api/v1/orgs/:orgId/sales-transactions/:saleId/refunds': async (s, t) => ({ params: { orgId: t.orgId, saleId: (await repCommission(s, t)).transactionId }, body: { amountMinor: 100 }, ok: 201 }),
  'POST /api/v1/orgs/:orgId/sales-transactions/:saleId/correct': async (s, t) => ({ params: { orgId: t.orgId, saleId: (await repCommission(s, t)).transactionId }, body: { amountMinor: 12_345 }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/commissions/:commissionId/approve': async (s, t) => ({ params: { orgId: t.orgId, commissionId: (await repCommission(s, t)).id }, body: {}, ok: 200 }),
  'POST /api/v1/orgs/:orgId/commissions/:commissionId/reject': async (s, t) => ({ params: { orgId: t.orgId, commissionId: (await repCommission(s, t)).id }, body: { comment: 'not ours' }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/commissions/approve': async (s, t) => ({ params: { orgId: t.orgId }, body: { ids: [(await repCommission(s, t)).id] }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/payouts/:payoutId/lock': async (s, t) => ({ params: { orgId: t.orgId, payoutId: await repPayout(s, t) }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/payouts/:payoutId/mark-paid': async (s, t) => ({ params: { orgId: t.orgId, payoutId: await lockedPayout(s, t) }, body: {}, ok: 200 }),
  'POST /api/v1/orgs/:orgId/payouts/run': async (_s, t) => ({ params: { orgId: t.orgId }, body: {}, ok: 200 }),
  'GET /api/v1/orgs/:orgId/bots': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/bots': async (_s, t) => ({ params: { orgId: t.orgId }, body: { name: `Bot ${randomUUID()}` }, ok: 201 }),
  'GET /api/v1/orgs/:orgId/bots/:botId': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId/bots/:botId': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, body: { mode: 'suggest' }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/bots/:botId': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/bots/:botId/restore': async (s, t) => ({ params: { orgId: t.orgId, botId: await deletedBot(s, t) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/bots/:botId/knowledge': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/bots/:botId/knowledge': async (s, t) => ({
    params: { orgId: t.orgId, botId: await freshBot(s, t) },
    body: { title: 'FAQ', sourceKind: 'faq', text: 'Q: Do you travel?\nA: Yes, anywhere in the state.' },
    ok: 201,
  }),
  'POST /api/v1/orgs/:orgId/bots/:botId/knowledge/pdf': async (s, t) => ({
    params: { orgId: t.orgId, botId: await freshBot(s, t) },
    raw: { body: makePdf([['Opening hours: nine to five.']]), contentType: 'application/pdf' },
    ok: 201,
  }),
  'GET /api/v1/orgs/:orgId/bots/:botId/knowledge/:documentId/chunks': async (s, t) => ({ params: { orgId: t.orgId, ...(await freshDocument(s, t)) }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/bots/:botId/knowledge/:documentId': async (s, t) => ({ params: { orgId: t.orgId, ...(await freshDocument(s, t)) }, ok: 204 }),
  'POST /api/v1/orgs/:orgId/bots/:botId/chat': async (s, t) => ({
    params: { orgId: t.orgId, botId: await freshBot(s, t) },
    body: { contactId: await createContact(s, t.orgId), text: 'Hello' },
    ok: 200,
  }),
  'POST /api/v1/orgs/:orgId/bots/:botId/knowledge/search': async (s, t) => ({ params: { orgId: t.orgId, ...(await freshDocument(s, t)) }, body: { query: 'do you travel' }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/bots/:botId/conversations': async (s, t) => ({ params: { orgId: t.orgId, botId: (await freshSession(s, t)).botId }, ok: 200 }),
  // The test app has no GHL location: an allowed upload is checked, then finds no such opportunity.
  'POST /api/v1/orgs/:orgId/opportunities/:opportunity/receipts': async (_s, t) => ({ params: { orgId: t.orgId, opportunity: 'opp-1' }, raw: multipartPng(), ok: 404 }),
  'GET /api/v1/orgs/:orgId/receipts': async (s, t) => ({ params: { orgId: (await freshReceipt(s, t), t.orgId) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/receipts/:receiptId': async (s, t) => ({ params: { orgId: t.orgId, receiptId: await freshReceipt(s, t) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/receipts/:receiptId/file': async (s, t) => ({ params: { orgId: t.orgId, receiptId: await freshReceipt(s, t) }, ok: 200 }),
  'DELETE /api/v1/orgs/:orgId/receipts/:receiptId': async (s, t) => ({ params: { orgId: t.orgId, receiptId: await freshReceipt(s, t) }, ok: 204 }),
  // No workflow waits for these rows' decisions: an allowed decision is refused as not awaited.
  'POST /api/v1/orgs/:orgId/receipts/:receiptId/confirm': async (s, t) => ({ params: { orgId: t.orgId, receiptId: await freshReceipt(s, t) }, body: { createSale: false }, ok: 409 }),
  'POST /api/v1/orgs/:orgId/receipts/:receiptId/reject': async (s, t) => ({ params: { orgId: t.orgId, receiptId: await freshReceipt(s, t) }, body: { reason: 'Not a receipt' }, ok: 409 }),
  'POST /api/v1/orgs/:orgId/receipts/:receiptId/retry': async (s, t) => ({ params: { orgId: t.orgId, receiptId: await freshReceipt(s, t, 'uploaded') }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/receipt-settings': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'PUT /api/v1/orgs/:orgId/receipt-settings': async (_s, t) => ({ params: { orgId: t.orgId }, body: { autoConfirm: true }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/data-retention': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'PUT /api/v1/orgs/:orgId/data-retention': async (_s, t) => ({ params: { orgId: t.orgId }, body: { auditRetentionDays: 400 }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/contacts/:contactId/forget': async (s, t) => ({ params: { orgId: t.orgId, contactId: await createContact(s, t.orgId) }, ok: 200 }),
  // GHL is not connected in the test app.
  'GET /api/v1/orgs/:orgId/contacts/:contactId/opportunities': async (s, t) => ({ params: { orgId: t.orgId, contactId: await createContact(s, t.orgId) }, ok: 409 }),
  'GET /api/v1/orgs/:orgId/bots/:botId/widget': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, ok: 200 }),
  'PATCH /api/v1/orgs/:orgId/bots/:botId/widget': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, body: { enabled: true, allowedOrigins: ['https://site.example'] }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/bots/:botId/widget/rotate-key': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/conversations/:sessionId/messages': async (s, t) => ({ params: { orgId: t.orgId, sessionId: (await freshSession(s, t)).sessionId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/conversations/handoffs': async (_s, t) => ({ params: { orgId: t.orgId }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/conversations/:sessionId/take-over': async (s, t) => ({ params: { orgId: t.orgId, sessionId: (await freshSession(s, t)).sessionId }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/conversations/:sessionId/reply': async (s, t) => ({ params: { orgId: t.orgId, sessionId: await freshHandoff(s, t) }, body: { text: 'A person here' }, ok: 201 }),
  'POST /api/v1/orgs/:orgId/conversations/:sessionId/hand-back': async (s, t) => ({ params: { orgId: t.orgId, sessionId: await freshHandoff(s, t) }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/bots/:botId/stats': async (s, t) => ({ params: { orgId: t.orgId, botId: (await freshSession(s, t)).botId }, ok: 200 }),
  'GET /api/v1/orgs/:orgId/bots/:botId/graph': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshGraphBot(s, t) }, ok: 200 }),
  'PUT /api/v1/orgs/:orgId/bots/:botId/graph': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshBot(s, t) }, body: { definition: BOT_GRAPH }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/bots/:botId/graph/publish': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshGraphBot(s, t) }, ok: 200 }),
  'POST /api/v1/orgs/:orgId/bots/:botId/graph/unpublish': async (s, t) => ({ params: { orgId: t.orgId, botId: await freshGraphBot(s, t) }, ok: 200 }),
};

const BOT_GRAPH = {
  nodes: [
    { id: 'start', type: 'bot.start', position: { x: 0, y: 0 }, data: {} },
    { id: 'bye', type: 'bot.end', position: { x: 0, y: 100 }, data: { message: 'Bye' } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'bye' }],
};

/** A bot with a valid graph draft. */
async function freshGraphBot(sql: Sql, t: Tenant): Promise<string> {
  const botId = await freshBot(sql, t);
  await sql`insert into public.chatbot_workflows (organization_id, bot_id, version, definition) values (${t.orgId}, ${botId}, 0, ${sql.json(BOT_GRAPH)})`;
  return botId;
}

async function freshBot(sql: Sql, t: Tenant): Promise<string> {
  const [row] = await sql<{ id: string }[]>`insert into public.bots (organization_id, name) values (${t.orgId}, ${`Bot ${randomUUID()}`}) returning id`;
  return row!.id;
}

/** A bot with one conversation of one message. */
async function freshSession(sql: Sql, t: Tenant): Promise<{ botId: string; sessionId: string }> {
  const botId = await freshBot(sql, t);
  const contactId = await createContact(sql, t.orgId);
  const [session] = await sql<{ id: string }[]>`
    insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel, last_message_at) values (${t.orgId}, ${botId}, ${contactId}, 'web', now()) returning id`;
  await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text) values (${t.orgId}, ${session!.id}, 'user', 'web', 'Hello')`;
  return { botId, sessionId: session!.id };
}

/** A conversation (one message) the bot handed off to people. */
async function freshHandoff(sql: Sql, t: Tenant): Promise<string> {
  const { sessionId } = await freshSession(sql, t);
  await sql`update public.conversation_sessions set status = 'handed_off', handed_off_at = now() where id = ${sessionId}`;
  return sessionId;
}

/** A bot with one knowledge document of one chunk. */
async function freshDocument(sql: Sql, t: Tenant): Promise<{ botId: string; documentId: string }> {
  const botId = await freshBot(sql, t);
  const [doc] = await sql<{ id: string }[]>`
    insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes, chunk_count, status)
    values (${t.orgId}, ${botId}, 'FAQ', 'faq', ${'a'.repeat(64)}, 10, 1, 'ready') returning id`;
  await sql`insert into public.knowledge_chunks (organization_id, bot_id, document_id, position, heading, content)
    values (${t.orgId}, ${botId}, ${doc!.id}, 0, 'Do you travel?', 'Yes, anywhere in the state.')`;
  return { botId, documentId: doc!.id };
}

/** A locked payout of the sales user's team member. */
async function lockedPayout(sql: Sql, t: Tenant): Promise<string> {
  const id = await repPayout(sql, t);
  await sql`update public.commission_payouts set status = 'locked' where id = ${id}`;
  return id;
}

/** A sale and its commission credited to the tenant's sales user (linked to a team member). */
async function repCommission(sql: Sql, t: Tenant) {
  return ledger(ownerWriter(sql)).commission(t.orgId, await salesRep(sql, t), 1_000);
}

/** A draft payout of the sales user's team member, with one payable commission on it. */
async function repPayout(sql: Sql, t: Tenant): Promise<string> {
  const l = ledger(ownerWriter(sql));
  const rep = await salesRep(sql, t);
  const { id } = await l.commission(t.orgId, rep, 1_000, ['approved', 'payable']);
  return (await l.payout(t.orgId, rep, [{ calculationId: id, amountMinor: 1_000 }])).id;
}

/** A draft whose definition compiles (a manual trigger and one step). */
async function validDraft(sql: Sql, t: Tenant): Promise<string> {
  const { id } = await createWorkflow(sql, t.orgId, 'publishable');
  const definition = {
    nodes: [
      { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, data: {} },
      { id: 'set', type: 'data.set', position: { x: 200, y: 0 }, data: { fields: { a: 1 } } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'set' }],
  };
  await sql`update public.workflows set definition = ${sql.json(definition)} where id = ${id}`;
  return id;
}

/**
 * Who may call each org route, written out here as the specification (not read from the route
 * table): a changed declaration fails this suite. `owner` = only the organization's owner.
 */
const PERMISSIONS: Record<string, string> = {
  'GET /api/v1/orgs/:orgId': 'organization:read',
  'PATCH /api/v1/orgs/:orgId': 'organization:update',
  'GET /api/v1/orgs/:orgId/members': 'members:read',
  'POST /api/v1/orgs/:orgId/members': 'members:create',
  'GET /api/v1/orgs/:orgId/invitations': 'members:read',
  'DELETE /api/v1/orgs/:orgId/invitations/:invitationId': 'members:delete',
  'PATCH /api/v1/orgs/:orgId/members/:memberId': 'members:update',
  'DELETE /api/v1/orgs/:orgId/members/:memberId': 'members:delete',
  'POST /api/v1/orgs/:orgId/transfer-ownership': 'owner',
  'GET /api/v1/orgs/:orgId/team-members': 'team_members:read',
  'POST /api/v1/orgs/:orgId/team-members': 'team_members:create',
  'GET /api/v1/orgs/:orgId/team-members/:teamMemberId': 'team_members:read',
  'PATCH /api/v1/orgs/:orgId/team-members/:teamMemberId': 'team_members:update',
  'DELETE /api/v1/orgs/:orgId/team-members/:teamMemberId': 'team_members:delete',
  'POST /api/v1/orgs/:orgId/team-members/:teamMemberId/restore': 'team_members:delete',
  'GET /api/v1/orgs/:orgId/audit-log': 'audit_log:read',
  'GET /api/v1/orgs/:orgId/workflows': 'workflows:read',
  'POST /api/v1/orgs/:orgId/workflows': 'workflows:create',
  'GET /api/v1/orgs/:orgId/workflows/:workflowId': 'workflows:read',
  'PATCH /api/v1/orgs/:orgId/workflows/:workflowId': 'workflows:update',
  'DELETE /api/v1/orgs/:orgId/workflows/:workflowId': 'workflows:delete',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/restore': 'workflows:delete',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/validate': 'workflows:read',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/publish': 'workflows:update',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/unpublish': 'workflows:update',
  'GET /api/v1/orgs/:orgId/workflows/:workflowId/versions': 'workflows:read',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/run': 'executions:create',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/duplicate': 'workflows:create',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/test-run': 'executions:create',
  'GET /api/v1/orgs/:orgId/workflows/:workflowId/versions/:version': 'workflows:read',
  'POST /api/v1/orgs/:orgId/workflows/:workflowId/versions/:version/restore': 'workflows:update',
  'GET /api/v1/orgs/:orgId/executions': 'executions:read',
  'GET /api/v1/orgs/:orgId/executions/:executionId': 'executions:read',
  'POST /api/v1/orgs/:orgId/executions/:executionId/cancel': 'executions:update',
  'POST /api/v1/orgs/:orgId/executions/:executionId/rerun': 'executions:create',
  'POST /api/v1/orgs/:orgId/executions/:executionId/approvals/:node': 'executions:approve',
  'GET /api/v1/orgs/:orgId/approvals': 'executions:approve',
  'POST /api/v1/orgs/:orgId/events': 'executions:create',
  'GET /api/v1/orgs/:orgId/integrations': 'integrations:read',
  'POST /api/v1/orgs/:orgId/integrations/ghl/private-token': 'integrations:create',
  'DELETE /api/v1/orgs/:orgId/integrations/:integrationId': 'integrations:delete',
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/rotate': 'integrations:update',
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/private-token': 'integrations:update',
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/test': 'integrations:update',
  'GET /api/v1/orgs/:orgId/integrations/ghl/oauth/start': 'integrations:create',
  'PATCH /api/v1/orgs/:orgId/integrations/:integrationId': 'integrations:update',
  'GET /api/v1/orgs/:orgId/integrations/:integrationId/team-import': 'team_members:create',
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/team-import': 'team_members:create',
  'POST /api/v1/orgs/:orgId/integrations/ghl/sandbox': 'integrations:create',
  'POST /api/v1/orgs/:orgId/integrations/:integrationId/sync-contacts': 'contacts:update',
  'GET /api/v1/orgs/:orgId/contacts': 'contacts:read',
  'GET /api/v1/orgs/:orgId/contacts/:contactId': 'contacts:read',
  'DELETE /api/v1/orgs/:orgId/contacts/:contactId': 'contacts:delete',
  'POST /api/v1/orgs/:orgId/contacts/:contactId/restore': 'contacts:delete',
  'GET /api/v1/orgs/:orgId/commission-settings': 'commissions:read',
  'PATCH /api/v1/orgs/:orgId/commission-settings': 'commissions:update',
  'GET /api/v1/orgs/:orgId/commission-plans': 'commissions:read',
  'POST /api/v1/orgs/:orgId/commission-plans': 'commissions:create',
  'GET /api/v1/orgs/:orgId/commission-plans/:planId': 'commissions:read',
  'PATCH /api/v1/orgs/:orgId/commission-plans/:planId': 'commissions:update',
  'DELETE /api/v1/orgs/:orgId/commission-plans/:planId': 'commissions:delete',
  'POST /api/v1/orgs/:orgId/commission-plans/:planId/versions': 'commissions:create',
  'POST /api/v1/orgs/:orgId/commission-plans/preview': 'commissions:read',
  'GET /api/v1/orgs/:orgId/sales-transactions': 'sales:read',
  'GET /api/v1/orgs/:orgId/sales-transactions/:saleId': 'sales:read',
  'GET /api/v1/orgs/:orgId/commissions': 'commissions:read',
  'GET /api/v1/orgs/:orgId/commissions/summary': 'commissions:read',
  'GET /api/v1/orgs/:orgId/commissions/:commissionId': 'commissions:read',
  // A rep's payouts are their commission statements: commissions:read, narrowed by RLS.
  'GET /api/v1/orgs/:orgId/payouts': 'commissions:read',
  'GET /api/v1/orgs/:orgId/payouts/:payoutId': 'commissions:read',
  'GET /api/v1/orgs/:orgId/payouts/:payoutId/statement.csv': 'commissions:read',
  'POST /api/v1/orgs/:orgId/sales-transactions': 'sales:create',
  'POST /api/v1/orgs/:orgId/sales-transactions/:saleId/assign': 'sales:update',
  'POST /api/v1/orgs/:orgId/sales-transactions/:saleId/refunds': 'sales:update',
  'POST /api/v1/orgs/:orgId/sales-transactions/:saleId/correct': 'sales:update',
  'POST /api/v1/orgs/:orgId/commissions/:commissionId/approve': 'commissions:approve',
  'POST /api/v1/orgs/:orgId/commissions/:commissionId/reject': 'commissions:approve',
  'POST /api/v1/orgs/:orgId/commissions/approve': 'commissions:approve',
  'POST /api/v1/orgs/:orgId/payouts/:payoutId/lock': 'payouts:update',
  'POST /api/v1/orgs/:orgId/payouts/:payoutId/mark-paid': 'payouts:update',
  'POST /api/v1/orgs/:orgId/payouts/run': 'payouts:create',
  'GET /api/v1/orgs/:orgId/bots': 'bots:read',
  'POST /api/v1/orgs/:orgId/bots': 'bots:create',
  'GET /api/v1/orgs/:orgId/bots/:botId': 'bots:read',
  'PATCH /api/v1/orgs/:orgId/bots/:botId': 'bots:update',
  'DELETE /api/v1/orgs/:orgId/bots/:botId': 'bots:delete',
  'POST /api/v1/orgs/:orgId/bots/:botId/restore': 'bots:delete',
  'GET /api/v1/orgs/:orgId/bots/:botId/knowledge': 'bots:read',
  'POST /api/v1/orgs/:orgId/bots/:botId/knowledge': 'bots:create',
  'POST /api/v1/orgs/:orgId/bots/:botId/knowledge/pdf': 'bots:create',
  'GET /api/v1/orgs/:orgId/bots/:botId/knowledge/:documentId/chunks': 'bots:read',
  'DELETE /api/v1/orgs/:orgId/bots/:botId/knowledge/:documentId': 'bots:delete',
  'POST /api/v1/orgs/:orgId/bots/:botId/knowledge/search': 'bots:read',
  'POST /api/v1/orgs/:orgId/bots/:botId/chat': 'conversations:update',
  'GET /api/v1/orgs/:orgId/bots/:botId/conversations': 'conversations:read',
  'GET /api/v1/orgs/:orgId/bots/:botId/widget': 'bots:read',
  'POST /api/v1/orgs/:orgId/opportunities/:opportunity/receipts': 'receipts:create',
  'GET /api/v1/orgs/:orgId/receipts': 'receipts:read',
  'GET /api/v1/orgs/:orgId/receipts/:receiptId': 'receipts:read',
  'GET /api/v1/orgs/:orgId/receipts/:receiptId/file': 'receipts:read',
  'DELETE /api/v1/orgs/:orgId/receipts/:receiptId': 'receipts:delete',
  'POST /api/v1/orgs/:orgId/receipts/:receiptId/confirm': 'receipts:update',
  'POST /api/v1/orgs/:orgId/receipts/:receiptId/reject': 'receipts:update',
  'POST /api/v1/orgs/:orgId/receipts/:receiptId/retry': 'receipts:update',
  'GET /api/v1/orgs/:orgId/receipt-settings': 'receipts:read',
  'PUT /api/v1/orgs/:orgId/receipt-settings': 'receipts:update',
  'GET /api/v1/orgs/:orgId/data-retention': 'organization:read',
  'PUT /api/v1/orgs/:orgId/data-retention': 'organization:update',
  'POST /api/v1/orgs/:orgId/contacts/:contactId/forget': 'contacts:delete',
  'GET /api/v1/orgs/:orgId/contacts/:contactId/opportunities': 'contacts:read',
  'PATCH /api/v1/orgs/:orgId/bots/:botId/widget': 'bots:update',
  'POST /api/v1/orgs/:orgId/bots/:botId/widget/rotate-key': 'bots:update',
  'GET /api/v1/orgs/:orgId/conversations/:sessionId/messages': 'conversations:read',
  'GET /api/v1/orgs/:orgId/conversations/handoffs': 'conversations:read',
  'POST /api/v1/orgs/:orgId/conversations/:sessionId/take-over': 'conversations:update',
  'POST /api/v1/orgs/:orgId/conversations/:sessionId/reply': 'conversations:update',
  'POST /api/v1/orgs/:orgId/conversations/:sessionId/hand-back': 'conversations:update',
  'GET /api/v1/orgs/:orgId/bots/:botId/stats': 'conversations:read',
  'GET /api/v1/orgs/:orgId/bots/:botId/graph': 'bots:read',
  'PUT /api/v1/orgs/:orgId/bots/:botId/graph': 'bots:update',
  'POST /api/v1/orgs/:orgId/bots/:botId/graph/publish': 'bots:update',
  'POST /api/v1/orgs/:orgId/bots/:botId/graph/unpublish': 'bots:update',
};

const routes = apiRoutes({ jwtSecret: 'x'.repeat(32), accessTokenTtlSeconds: 60, refreshTokenTtlSeconds: 3600, loginRateLimit: { windowSeconds: 1, perIp: 1, perEmail: 1 } });
const key = (r: RouteDef) => `${r.method.toUpperCase()} ${r.path}`;
const orgRoutes = routes.filter((r) => r.access.kind === 'org');
const fill = (path: string, params: Record<string, string>) => path.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? `missing-${name}`);

describe('the route table', () => {
  it('puts every route under /api/v1 with a declared access, and every org-scoped path behind an org permission', () => {
    for (const r of routes) {
      expect(r.path.startsWith('/api/v1/')).toBe(true);
      expect(['public', 'optional-user', 'user', 'org']).toContain(r.access.kind);
      if (r.path.includes(':orgId')) expect({ route: key(r), kind: r.access.kind }).toEqual({ route: key(r), kind: 'org' });
    }
    expect(new Set(routes.map(key)).size).toBe(routes.length);
  });

  it('has a sample request for every org route, and no sample for a route that is gone', () => {
    expect(orgRoutes.map(key).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('declares exactly the specified permission on every org route', () => {
    const declared = Object.fromEntries(
      orgRoutes.map((r) => [key(r), r.access.kind === 'org' ? (r.access.ownerOnly ? 'owner' : `${r.access.resource}:${r.access.action}`) : r.access.kind]),
    );
    expect(declared).toEqual(PERMISSIONS);
  });
});

describe('every org route, over HTTP, for every role', () => {
  const stack = useAppStack();
  let sql: Sql;
  let app: RunningApp;
  beforeAll(() => {
    ({ sql, app } = stack);
  });

  // From the specification above and the RBAC matrix, never from the route's own declaration.
  const expected = (r: RouteDef, role: (typeof ROLES)[number], ok: number): number => {
    const permission = PERMISSIONS[key(r)]!;
    if (permission === 'owner') return role === 'owner' ? ok : 403;
    const [resource, action] = permission.split(':') as [Resource, Action];
    return can(role, resource, action) ? ok : 403;
  };

  it.each(orgRoutes.map((r) => [key(r), r] as const))('%s answers each role exactly as the matrix says', async (_name, route) => {
    const results: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const role of ROLES) {
      // A fresh organization per call: a successful delete or transfer must not skew the next role.
      const t = await createTenant(sql, `rt-${role.replace("_", "-")}`);
      const sample = await SAMPLES[key(route)]!(sql, t);
      const res = await call(app.url, route.method.toUpperCase(), fill(route.path, sample.params), {
        token: await tokenFor(app.auth, t.users[role].userId),
        ...bodyOf(sample),
      });
      results[role] = res.status;
      wanted[role] = expected(route, role, sample.ok);
      if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(results).toEqual(wanted);
  });

  it.each(orgRoutes.map((r) => [key(r), r] as const))("%s with another organization's ids: 404 for every role, and nothing changes", async (_name, route) => {
    const victim = await createTenant(sql, 'victim');
    const attacker = await createTenant(sql, 'attacker');
    const samples = [];
    for (const _role of ROLES) samples.push(await SAMPLES[key(route)]!(sql, victim));
    const before = await snapshot(sql, victim.orgId);
    for (const [i, role] of ROLES.entries()) {
      const sample = samples[i]!;
      const token = await tokenFor(app.auth, attacker.users[role].userId);
      // 1. The victim's organization in the path.
      const direct = await call(app.url, route.method.toUpperCase(), fill(route.path, sample.params), { token, ...bodyOf(sample) });
      expect({ role, status: direct.status }).toEqual({ role, status: 404 });
      // 2. The attacker's own organization in the path, the victim's row ids after it.
      const ownOrg = { ...sample.params, orgId: attacker.orgId };
      if (Object.keys(sample.params).length > 1) {
        const smuggled = await call(app.url, route.method.toUpperCase(), fill(route.path, ownOrg), { token, ...bodyOf(sample) });
        const allowed = expected(route, role, sample.ok) !== 403;
        expect({ role, status: smuggled.status }).toEqual({ role, status: allowed ? 404 : 403 });
      }
    }
    expect(await snapshot(sql, victim.orgId)).toEqual(before);
  });
});

/** Everything of one organization, read as the migration owner (RLS bypassed). */
async function snapshot(sql: Sql, orgId: string) {
  const [org] = await sql`select * from public.organizations where id = ${orgId}`;
  const members = await sql`select * from public.organization_members where organization_id = ${orgId} order by id`;
  const team = await sql`select * from public.team_members where organization_id = ${orgId} order by id`;
  const invitations = await sql`select * from public.invitations where organization_id = ${orgId} order by id`;
  const integrations = await sql`select * from public.integrations where organization_id = ${orgId} order by id`;
  const contacts = await sql`select * from public.contacts where organization_id = ${orgId} order by id`;
  // Audit entries in this organization written by someone who is not a member of it.
  const [foreign] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.audit_log a
    where a.organization_id = ${orgId} and a.actor_user_id is not null
      and not exists (select 1 from public.organization_members m where m.organization_id = ${orgId} and m.user_id = a.actor_user_id)`;
  return { org, members: [...members], team: [...team], invitations: [...invitations], integrations: [...integrations], contacts: [...contacts], foreignAudit: foreign!.n };
}
