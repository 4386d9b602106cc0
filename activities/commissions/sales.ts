/*
 * Recording a sale and finding who sold it. Both are idempotent: a retried activity, a second
 * delivery of the same payment or a replay finds the row the first one wrote.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import { GhlError } from '../ghl/errors';
import { GhlNotConnected, type GhlAccessSettings, withGhl } from '../integrations/ghl-access';
import { asWorker, notFound, toJsonText } from '../db/support';
import { paymentFromDelivery, type GhlPayment, type SaleInput } from './ghl-payments';
import { loadSettings } from './settings';

export type AttributionVia = 'recorded' | 'custom_data' | 'opportunity' | 'contact' | 'manual';

export interface RecordedSale {
  transactionId: string;
  /** False when this payment was recorded before (a duplicate delivery or a retry). */
  created: boolean;
  /** Set when there is nothing to record (an invoice total already covered). */
  skipped?: string;
}

/** Invoices: the part of the running total not recorded yet, under a per-invoice lock. */
async function invoiceIncrement(tx: Tx, orgId: string, sale: SaleInput): Promise<number> {
  const invoiceId = sale.externalId.slice(0, sale.externalId.lastIndexOf('@'));
  await tx`select pg_advisory_xact_lock(hashtextextended(${`${orgId}:ghl_invoice:${invoiceId}`}, 0))`;
  const [row] = await tx<{ recorded: string }[]>`
    select coalesce(sum(amount_minor), 0)::text as recorded from public.sales_transactions
    where organization_id = ${orgId} and source = 'ghl_invoice' and starts_with(external_id, ${`${invoiceId}@`})`;
  return (sale.cumulativeMinor ?? sale.amountMinor) - Number(row!.recorded);
}

/** Only live members are credited with new sales: a deleted one leaves the sale to be assigned. */
async function teamMemberMatching(tx: Tx, orgId: string, hint: string): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    select id from public.team_members
    where organization_id = ${orgId} and deleted_at is null
      and (id::text = ${hint} or external_id = ${hint} or lower(email) = lower(${hint}))
    order by (id::text = ${hint}) desc, (external_id = ${hint}) desc
    limit 1`;
  return row?.id ?? null;
}

async function memberByGhlUser(sql: Sql, orgId: string, ghlUserId: string | null | undefined): Promise<string | null> {
  if (!ghlUserId) return null;
  return asWorker(sql, orgId, async (tx) => {
    const [row] = await tx<{ id: string }[]>`select id from public.team_members where organization_id = ${orgId} and external_id = ${ghlUserId} and deleted_at is null`;
    return row?.id ?? null;
  });
}

/** A GHL read that may fail for reasons that do not block attribution (not connected, gone). */
async function ghlLookup<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GhlNotConnected) return undefined;
    if (err instanceof GhlError && (err.kind === 'not_found' || err.kind === 'auth' || err.kind === 'validation')) return undefined;
    throw err;
  }
}

export function createSaleActivities(deps: { sql: Sql; ghl: GhlAccessSettings }) {
  const { sql } = deps;
  return {
    /** The payment a recorded GHL delivery reports (a sale, a refund, or none and why). */
    async paymentOfGhlDelivery(input: { orgId: string; webhookId: string }): Promise<GhlPayment> {
      return asWorker(sql, input.orgId, async (tx) => {
        const [row] = await tx<{ type: string; occurred_at: Date | null; received_at: Date; body: { data: unknown } }[]>`
          select type, occurred_at, received_at, body from public.ghl_webhook_events
          where organization_id = ${input.orgId} and webhook_id = ${input.webhookId}`;
        if (!row) throw notFound(`GHL delivery ${input.webhookId}`);
        const settings = await loadSettings(tx, input.orgId);
        return paymentFromDelivery(row.type, row.body.data, {
          webhookId: input.webhookId,
          occurredAt: (row.occurred_at ?? row.received_at).toISOString(),
          attributionField: settings.attribution_field,
        });
      });
    },

    /** Records the sale once per (source, external id); answers the existing row on a repeat. */
    async recordSale(input: { orgId: string; sale: SaleInput; workflowId: string }): Promise<RecordedSale> {
      const { orgId, sale } = input;
      return asWorker(sql, orgId, async (tx) => {
        const [existing] = await tx<{ id: string }[]>`
          select id from public.sales_transactions where organization_id = ${orgId} and source = ${sale.source} and external_id = ${sale.externalId}`;
        if (existing) return { transactionId: existing.id, created: false };
        let amount = sale.amountMinor;
        if (sale.source === 'ghl_invoice' && sale.cumulativeMinor !== undefined) {
          amount = await invoiceIncrement(tx, orgId, sale);
          // An older running total delivered after a newer one adds nothing.
          if (amount <= 0) return { transactionId: '', created: false, skipped: 'this invoice total was already recorded' };
        }
        let contactId = sale.contactId ?? null;
        if (!contactId && sale.ghlContactId) {
          // A payer we have not synced yet: a placeholder row (ghl_state_at null) that the next
          // sync or contact event fills in; it keeps the GHL id for attribution meanwhile.
          const [c] = await tx<{ id: string }[]>`
            insert into public.contacts as c (organization_id, ghl_contact_id, name, email)
            values (${orgId}, ${sale.ghlContactId}, ${sale.contactName ?? null}, ${sale.contactEmail ?? null})
            on conflict (organization_id, ghl_contact_id) do update set name = coalesce(c.name, excluded.name)
            returning id`;
          contactId = c!.id;
        }
        const [row] = await tx<{ id: string }[]>`
          insert into public.sales_transactions (organization_id, source, external_id, contact_id, ghl_opportunity_id, team_member_id,
            amount_minor, currency, paid_at, raw_webhook_id, product_id, pipeline_id, splits, workflow_id)
          values (${orgId}, ${sale.source}, ${sale.externalId}, ${contactId}, ${sale.ghlOpportunityId ?? null}, ${sale.teamMemberId ?? null},
            ${amount}, ${sale.currency}, ${sale.paidAt}, ${sale.rawWebhookId ?? null}, ${sale.productId ?? null}, ${sale.pipelineId ?? null},
            ${toJsonText(sale.splits)}::text::jsonb, ${input.workflowId})
          on conflict (organization_id, source, external_id) do nothing
          returning id`;
        if (row) return { transactionId: row.id, created: true };
        const [again] = await tx<{ id: string }[]>`
          select id from public.sales_transactions where organization_id = ${orgId} and source = ${sale.source} and external_id = ${sale.externalId}`;
        return { transactionId: again!.id, created: false };
      });
    },

    /**
     * Who sold it, in order: the member already on the sale; the rep the delivery names
     * (customData: member id, GHL user id or email); the GHL opportunity's assignedTo; the
     * contact's assignedTo, re-read from GHL (our copy when GHL is not connected). Writes the
     * answer on the sale; null leaves it unattributed for a manager.
     */
    async attributeSale(input: { orgId: string; transactionId: string; hint?: string }): Promise<{ teamMemberId: string | null; via: AttributionVia | null }> {
      const { orgId } = input;
      const sale = await asWorker(sql, orgId, async (tx) => {
        const [row] = await tx<{ team_member_id: string | null; ghl_opportunity_id: string | null; ghl_contact_id: string | null; assigned_to: string | null }[]>`
          select s.team_member_id, s.ghl_opportunity_id, c.ghl_contact_id, c.assigned_to
          from public.sales_transactions s left join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
          where s.organization_id = ${orgId} and s.id = ${input.transactionId}`;
        if (!row) throw notFound(`sale ${input.transactionId}`);
        return row;
      });
      if (sale.team_member_id) return { teamMemberId: sale.team_member_id, via: 'recorded' };

      let found: { teamMemberId: string | null; via: AttributionVia | null } = { teamMemberId: null, via: null };
      if (input.hint) {
        const id = await asWorker(sql, orgId, (tx) => teamMemberMatching(tx, orgId, input.hint!));
        if (id) found = { teamMemberId: id, via: 'custom_data' };
      }
      if (!found.teamMemberId && sale.ghl_opportunity_id) {
        const opportunity = await ghlLookup(() => withGhl(sql, deps.ghl, orgId, undefined, (g) => g.client.opportunities.get(sale.ghl_opportunity_id!)));
        const id = await memberByGhlUser(sql, orgId, opportunity?.assignedTo);
        if (id) found = { teamMemberId: id, via: 'opportunity' };
      }
      if (!found.teamMemberId && sale.ghl_contact_id) {
        const contact = await ghlLookup(() => withGhl(sql, deps.ghl, orgId, undefined, (g) => g.client.contacts.get(sale.ghl_contact_id!)));
        const id = await memberByGhlUser(sql, orgId, contact ? contact.assignedTo : sale.assigned_to);
        if (id) found = { teamMemberId: id, via: 'contact' };
      }
      if (!found.teamMemberId) return found;
      return asWorker(sql, orgId, async (tx) => {
        // A manager may have assigned someone meanwhile: theirs stands.
        const [row] = await tx<{ team_member_id: string }[]>`
          update public.sales_transactions set team_member_id = coalesce(team_member_id, ${found.teamMemberId})
          where organization_id = ${orgId} and id = ${input.transactionId} returning team_member_id`;
        if (!row) throw ApplicationFailure.nonRetryable(`sale ${input.transactionId} disappeared`, 'NotFound');
        return row.team_member_id === found.teamMemberId ? found : { teamMemberId: row.team_member_id, via: 'manual' };
      });
    },

    /** The member a manager assigned to a sale (the workflow waits for it on unattributed sales). */
    async saleTeamMember(input: { orgId: string; transactionId: string }): Promise<string | null> {
      return asWorker(sql, input.orgId, async (tx) => {
        const [row] = await tx<{ team_member_id: string | null }[]>`
          select team_member_id from public.sales_transactions where organization_id = ${input.orgId} and id = ${input.transactionId}`;
        return row?.team_member_id ?? null;
      });
    },
  };
}

export type SaleActivities = ReturnType<typeof createSaleActivities>;
