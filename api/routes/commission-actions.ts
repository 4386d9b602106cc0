/*
 * Commission routes that act: record a sale (starting its commission workflow), assign one,
 * refund one, approve or reject commissions (through the waiting workflow's update), lock and
 * pay payouts, run a payout batch. Reads are in commission-reads.ts.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SaleInput } from '../../activities/commissions/ghl-payments';
import { periodEndingBy } from '../../commissions';
import { calculationSchema, loadCalculation, loadCalculations, loadPayout, loadPayouts, loadRefunds, loadSale, loadSettings, payoutSchema, refundSchema, saleSchema } from '../commissions/views';
import { decideCommission, notifyAssigned, payoutPeriodOf, problemOf, recordRefund, runPayoutBatch, startCommission, startCorrection } from '../commissions/workflows';
import { commissionWorkflowId } from '../../workflows/commissions/messages';
import type { Tx } from '../../db/tenant';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteContext, type RouteDef } from '../http/route';

const money = z.number().int('Amounts are whole minor units (cents): 1234 = 12.34').min(0).max(Number.MAX_SAFE_INTEGER);
const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as USD');
const bps = z.number().int('Basis points are whole numbers (2500 = 25%)').min(0).max(10_000);

const createSaleBody = z
  .strictObject({
    externalId: z.string().trim().min(1).max(200).optional(),
    source: z.enum(['manual', 'api']).optional(),
    amountMinor: money,
    currency,
    paidAt: z.iso.datetime({ offset: true }).optional(),
    teamMemberId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    ghlOpportunityId: z.string().trim().min(1).max(100).optional(),
    productId: z.string().trim().min(1).max(100).optional(),
    pipelineId: z.string().trim().min(1).max(100).optional(),
    splits: z.array(z.strictObject({ teamMemberId: z.uuid(), creditBps: bps, payoutBps: bps })).min(1).max(50).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.splits) return;
    const payout = b.splits.reduce((sum, s) => sum + s.payoutBps, 0);
    if (payout !== 10_000) ctx.addIssue({ code: 'custom', path: ['splits'], message: `payout shares must add up to 10000 (100%), not ${payout}` });
    b.splits.forEach((s, i) => {
      if (b.splits!.findIndex((o) => o.teamMemberId === s.teamMemberId) !== i) ctx.addIssue({ code: 'custom', path: ['splits', i, 'teamMemberId'], message: 'appears twice' });
    });
    if (!b.teamMemberId) ctx.addIssue({ code: 'custom', path: ['teamMemberId'], message: 'a split sale names the team member it is attributed to' });
  });
const assignBody = z.strictObject({ teamMemberId: z.uuid() });
const refundBody = z.strictObject({
  amountMinor: money.refine((v) => v > 0, 'A refund is more than 0'),
  externalId: z.string().trim().min(1).max(200).optional(),
  reason: z.string().trim().max(1000).optional(),
});
const correctBody = z.strictObject({ amountMinor: money, reason: z.string().trim().max(1000).optional() });
const decisionBody = z.strictObject({ comment: z.string().trim().max(2000).optional() });
const rejectBody = z.strictObject({ comment: z.string().trim().min(1, 'Say why it is rejected').max(2000) });
const bulkBody = z.strictObject({ ids: z.array(z.uuid()).min(1).max(200), comment: z.string().trim().max(2000).optional() });
const markPaidBody = z.strictObject({ paidAt: z.iso.datetime({ offset: true }).optional() });
const runBody = z
  .strictObject({
    period: z.enum(['current', 'previous']).optional(),
    periodEnd: z.iso.date('A date: YYYY-MM-DD').optional(),
  })
  .refine((b) => !(b.period && b.periodEnd), { message: 'Send period or periodEnd, not both', path: ['periodEnd'] });

const saleWithWorkflow = saleSchema;
const problemSchema = z.object({ status: z.number(), title: z.string(), detail: z.string().optional() });

type Ctx = RouteContext<unknown, unknown>;

/** One decision by the caller; the calculation as it is afterwards. */
async function decideOne(ctx: Ctx, calculationId: string, decision: 'approve' | 'reject', comment: string | null) {
  const orgId = ctx.params.orgId!;
  const found = await ctx.asUser(async (tx) => {
    const calc = await loadCalculation(tx, orgId, calculationId);
    const [sale] = calc.transactionId
      ? await tx<{ workflow_id: string | null }[]>`select workflow_id from public.sales_transactions where organization_id = ${orgId} and id = ${calc.transactionId}`
      : [];
    return { calc, workflowId: calc.kind === 'commission' ? (sale?.workflow_id ?? null) : null };
  });
  if (found.calc.status !== 'pending' && found.calc.status !== 'held') throw new HttpError(409, `This commission is already ${found.calc.status}`);
  await decideCommission(ctx.services, ctx.asUser, { orgId, calculationId, workflowId: found.workflowId, decision, userId: ctx.user!.id, comment });
  return ctx.asUser((tx) => loadCalculation(tx, orgId, calculationId));
}

/** A new sale is never credited to a deleted team member (their past sales stay theirs). */
async function refuseDeletedMembers(tx: Tx, orgId: string, body: z.infer<typeof createSaleBody>): Promise<void> {
  const named = [
    ...(body.teamMemberId ? [{ id: body.teamMemberId, path: 'teamMemberId' }] : []),
    ...(body.splits ?? []).map((s, i) => ({ id: s.teamMemberId, path: `splits.${i}.teamMemberId` })),
  ];
  if (named.length === 0) return;
  const deleted = new Set((await tx<{ id: string }[]>`
    select id from public.team_members where organization_id = ${orgId} and id = any (${named.map((n) => n.id)}::uuid[]) and deleted_at is not null`).map((r) => r.id));
  const errors = named.filter((n) => deleted.has(n.id)).map((n) => ({ path: n.path, message: 'is a deleted team member' }));
  if (errors.length > 0) throw new HttpError(422, 'A deleted team member cannot be credited with a new sale: restore them first', errors);
}

export const commissionActionRoutes: RouteDef[] = [
  defineRoute<z.infer<typeof createSaleBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/sales-transactions',
    summary: 'Record a sale (manual or from your system) and start its commission workflow; the same externalId again answers the first (200)',
    tags: ['commissions'],
    access: orgAccess('sales', 'create'),
    body: createSaleBody,
    status: 201,
    response: saleWithWorkflow,
    errors: { 409: 'This externalId was recorded with another amount or currency', 422: 'A team member or contact is not in this organization' },
    async handler({ params, body, asUser, services, res }) {
      const orgId = params.orgId!;
      const source = body.source ?? 'api';
      const externalId = body.externalId ?? randomUUID();
      const sale: SaleInput = {
        source,
        externalId,
        amountMinor: body.amountMinor,
        currency: body.currency,
        paidAt: body.paidAt ?? new Date().toISOString(),
        ...(body.teamMemberId ? { teamMemberId: body.teamMemberId } : {}),
        ...(body.contactId ? { contactId: body.contactId } : {}),
        ...(body.ghlOpportunityId ? { ghlOpportunityId: body.ghlOpportunityId } : {}),
        ...(body.productId ? { productId: body.productId } : {}),
        ...(body.pipelineId ? { pipelineId: body.pipelineId } : {}),
        ...(body.splits ? { splits: body.splits } : {}),
      };
      const workflowId = commissionWorkflowId(orgId, sale);
      // Recorded with the caller's claims (RLS: sales:create), then handed to the workflow,
      // which finds the row and carries on. A retry finds the row and (re)starts the workflow.
      const recorded = await asUser(async (tx) => {
        const [existing] = await tx<{ id: string; amount_minor: string; currency: string }[]>`
          select id, amount_minor::text, currency from public.sales_transactions where organization_id = ${orgId} and source = ${source} and external_id = ${externalId}`;
        if (existing) {
          if (Number(existing.amount_minor) !== body.amountMinor || existing.currency !== body.currency) {
            throw new HttpError(409, 'This externalId was already recorded with another amount or currency', [{ path: 'externalId', message: 'already recorded differently' }]);
          }
          return { id: existing.id, created: false };
        }
        await refuseDeletedMembers(tx, orgId, body);
        const [row] = await tx<{ id: string }[]>`
          insert into public.sales_transactions (organization_id, source, external_id, contact_id, ghl_opportunity_id, team_member_id,
            amount_minor, currency, paid_at, product_id, pipeline_id, splits, workflow_id)
          values (${orgId}, ${source}, ${externalId}, ${body.contactId ?? null}, ${body.ghlOpportunityId ?? null}, ${body.teamMemberId ?? null},
            ${body.amountMinor}, ${body.currency}, ${sale.paidAt}, ${body.productId ?? null}, ${body.pipelineId ?? null},
            ${body.splits ? JSON.stringify(body.splits) : null}::text::jsonb, ${workflowId})
          returning id`;
        return { id: row!.id, created: true };
      }).catch((err: unknown) => {
        throw problemOf(err) ?? err;
      });
      await startCommission(services, orgId, sale);
      if (!recorded.created) res.locals.status = 200;
      return asUser((tx) => loadSale(tx, orgId, recorded.id, services.temporalUi));
    },
  }),
  defineRoute<z.infer<typeof assignBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/sales-transactions/:saleId/assign',
    summary: 'Credit an unattributed sale to a team member; its commission workflow then prices it',
    tags: ['commissions'],
    access: orgAccess('sales', 'update'),
    body: assignBody,
    response: saleSchema,
    errors: { 409: 'The sale is already credited to someone', 422: 'The team member is not in this organization' },
    async handler({ params, body, asUser, services }) {
      const orgId = params.orgId!;
      const workflowId = await asUser(async (tx) => {
        const sale = await loadSale(tx, orgId, params.saleId!, services.temporalUi);
        if (sale.teamMemberId) throw new HttpError(409, `This sale is already credited to ${sale.teamMemberName ?? 'a team member'}`);
        const [member] = await tx<{ deleted_at: Date | null }[]>`
          select deleted_at from public.team_members where organization_id = ${orgId} and id = ${body.teamMemberId}`;
        if (!member) throw new HttpError(422, 'No such team member in this organization', [{ path: 'teamMemberId', message: 'not a team member of this organization' }]);
        if (member.deleted_at) throw new HttpError(422, 'This team member is deleted: restore them first', [{ path: 'teamMemberId', message: 'is a deleted team member' }]);
        const updated = await tx`
          update public.sales_transactions set team_member_id = ${body.teamMemberId}
          where organization_id = ${orgId} and id = ${params.saleId!} and team_member_id is null returning id`;
        if (updated.length === 0) throw new HttpError(409, 'This sale was credited to someone meanwhile');
        return sale.workflowId;
      });
      await notifyAssigned(services, workflowId);
      return asUser((tx) => loadSale(tx, orgId, params.saleId!, services.temporalUi));
    },
  }),
  defineRoute<z.infer<typeof refundBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/sales-transactions/:saleId/refunds',
    summary: 'Record a refund: claws commission back (recovered from the next payout when it was approved); the same externalId again changes nothing',
    tags: ['commissions'],
    access: orgAccess('sales', 'update'),
    body: refundBody,
    status: 201,
    response: z.object({ refund: refundSchema, sale: saleSchema, clawbacks: z.array(calculationSchema) }),
    errors: { 422: 'The refund is more than what is left of the sale' },
    async handler({ params, body, asUser, services }) {
      const orgId = params.orgId!;
      const saleId = params.saleId!;
      await asUser((tx) => loadSale(tx, orgId, saleId, services.temporalUi));
      const outcome = await recordRefund(services, {
        orgId,
        transactionId: saleId,
        refundExternalId: body.externalId ?? randomUUID(),
        amountMinor: body.amountMinor,
        reason: body.reason ?? null,
      });
      return asUser(async (tx) => ({
        refund: (await loadRefunds(tx, orgId, saleId, outcome.refundId))[0]!,
        sale: await loadSale(tx, orgId, saleId, services.temporalUi),
        clawbacks: outcome.clawbackIds.length ? (await loadCalculations(tx, orgId, { ids: outcome.clawbackIds, order: 'oldest' })).items : [],
      }));
    },
  }),
  defineRoute<z.infer<typeof correctBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/sales-transactions/:saleId/correct',
    summary: "Correct a sale's amount (or send the same one to price it again): each commission that changes is superseded by one that waits for a new decision, the discrepancy in its trace",
    tags: ['commissions'],
    access: orgAccess('sales', 'update'),
    body: correctBody,
    response: saleSchema,
    errors: { 422: 'The amount is below what was already refunded' },
    async handler({ params, body, asUser, services }) {
      const orgId = params.orgId!;
      const saleId = params.saleId!;
      const workflowId = `commission-correction:${orgId}:${saleId}:${randomUUID()}`;
      const changed = await asUser(async (tx) => {
        const sale = await loadSale(tx, orgId, saleId, services.temporalUi);
        // The same amount prices the sale again (e.g. a held commission once its plan is fixed).
        if (sale.amountMinor === body.amountMinor) {
          if (sale.teamMemberId) await tx`update public.sales_transactions set workflow_id = ${workflowId} where organization_id = ${orgId} and id = ${saleId}`;
          return { attributed: sale.teamMemberId !== null };
        }
        if (body.amountMinor < sale.refundedMinor) {
          throw new HttpError(422, `The sale has ${sale.refundedMinor} refunded already`, [{ path: 'amountMinor', message: 'is below the amount already refunded' }]);
        }
        const refunded = sale.refundedMinor === 0 ? 'paid' : sale.refundedMinor === body.amountMinor ? 'refunded' : 'partially_refunded';
        await tx`
          update public.sales_transactions
          set amount_minor = ${body.amountMinor}, original_amount_minor = coalesce(original_amount_minor, amount_minor), status = ${refunded},
            workflow_id = case when team_member_id is null then workflow_id else ${workflowId} end
          where organization_id = ${orgId} and id = ${saleId}`;
        return { attributed: sale.teamMemberId !== null };
      });
      // An unattributed sale is priced when someone is assigned, at its amount then.
      if (changed?.attributed) await startCorrection(services, orgId, saleId, workflowId);
      return asUser((tx) => loadSale(tx, orgId, saleId, services.temporalUi));
    },
  }),
  defineRoute<z.infer<typeof decisionBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/commissions/:commissionId/approve',
    summary: "Approve a pending or held commission (never one's own); it becomes payable",
    tags: ['commissions'],
    access: orgAccess('commissions', 'approve'),
    body: decisionBody,
    response: calculationSchema,
    errors: { 403: 'It is your own commission', 409: 'It is already decided' },
    async handler(ctx) {
      return decideOne(ctx as Ctx, ctx.params.commissionId!, 'approve', ctx.body.comment ?? null);
    },
  }),
  defineRoute<z.infer<typeof rejectBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/commissions/:commissionId/reject',
    summary: "Reject a pending or held commission with a reason (never one's own)",
    tags: ['commissions'],
    access: orgAccess('commissions', 'approve'),
    body: rejectBody,
    response: calculationSchema,
    errors: { 403: 'It is your own commission', 409: 'It is already decided' },
    async handler(ctx) {
      return decideOne(ctx as Ctx, ctx.params.commissionId!, 'reject', ctx.body.comment);
    },
  }),
  defineRoute<z.infer<typeof bulkBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/commissions/approve',
    summary: 'Approve several commissions; each one succeeds or fails on its own (see results)',
    tags: ['commissions'],
    access: orgAccess('commissions', 'approve'),
    body: bulkBody,
    response: z.object({ results: z.array(z.object({ id: z.uuid(), ok: z.boolean(), calculation: calculationSchema.optional(), problem: problemSchema.optional() })) }),
    async handler(ctx) {
      const results = [];
      for (const id of [...new Set(ctx.body.ids)]) {
        try {
          results.push({ id, ok: true, calculation: await decideOne(ctx as Ctx, id, 'approve', ctx.body.comment ?? null) });
        } catch (err) {
          const problem = err instanceof HttpError ? err : problemOf(err);
          if (!problem) throw err;
          const { status, title, detail } = problem.toProblem();
          results.push({ id, ok: false, problem: { status, title, ...(detail ? { detail } : {}) } });
        }
      }
      return { results };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/payouts/:payoutId/lock',
    summary: 'Lock a draft payout: its lines and total become an immutable snapshot',
    tags: ['commissions'],
    access: orgAccess('payouts', 'update'),
    response: payoutSchema,
    errors: { 409: 'The payout is not a draft' },
    async handler({ params, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const payout = await loadPayout(tx, orgId, params.payoutId!);
        if (payout.status !== 'draft') throw new HttpError(409, `This payout is already ${payout.status}`);
        await tx`update public.commission_payouts set status = 'locked' where organization_id = ${orgId} and id = ${params.payoutId!} and status = 'draft'`;
        return loadPayout(tx, orgId, params.payoutId!);
      });
    },
  }),
  defineRoute<z.infer<typeof markPaidBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/payouts/:payoutId/mark-paid',
    summary: 'Mark a locked payout paid (its commissions and clawbacks become paid)',
    tags: ['commissions'],
    access: orgAccess('payouts', 'update'),
    body: markPaidBody,
    response: payoutSchema,
    errors: { 409: 'The payout is not locked' },
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const payout = await loadPayout(tx, orgId, params.payoutId!);
        if (payout.status !== 'locked') throw new HttpError(409, payout.status === 'paid' ? 'This payout is already paid' : 'Lock the payout before marking it paid');
        await tx`update public.commission_payouts set status = 'paid', paid_at = ${body.paidAt ?? null}
          where organization_id = ${orgId} and id = ${params.payoutId!} and status = 'locked'`;
        return loadPayout(tx, orgId, params.payoutId!);
      });
    },
  }),
  defineRoute<z.infer<typeof runBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/payouts/run',
    summary: 'Run the payout batch now: the current period so far (default), the previous one, or the one ending on or before periodEnd; drafts gain only what is new',
    tags: ['commissions'],
    access: orgAccess('payouts', 'create'),
    body: runBody,
    response: z.object({ workflowId: z.string(), periodStart: z.string(), periodEnd: z.string(), payouts: z.array(payoutSchema) }),
    async handler({ params, body, asUser, services }) {
      const orgId = params.orgId!;
      const settings = await asUser((tx) => loadSettings(tx, orgId));
      const period = body.periodEnd ? periodEndingBy(settings.payoutFrequency, settings.payoutAnchor, body.periodEnd) : payoutPeriodOf(settings, body.period ?? 'current', new Date());
      const run = await runPayoutBatch(services, orgId, period);
      const payouts = run.drafted.length ? (await asUser((tx) => loadPayouts(tx, orgId, { ids: run.drafted.map((d) => d.id) }))).items : [];
      return { workflowId: run.workflowId, ...period, payouts };
    },
  }),
];
