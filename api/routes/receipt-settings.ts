/*
 * How an organization handles receipts (auto-confirmation threshold, recording sales), and the
 * GHL opportunities a contact's receipts can be attached to.
 */
import { z } from 'zod';
import { DEFAULT_RECEIPT_SETTINGS, loadReceiptSettings } from '../../activities/receipts/records';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { contactOpportunities } from '../receipts/opportunity';

const settingsSchema = z.object({
  autoConfirm: z.boolean(),
  minConfidenceBps: z.number().int(),
  createSales: z.boolean(),
});
const settingsBody = z.strictObject({
  autoConfirm: z.boolean().optional(),
  minConfidenceBps: z.number().int('Basis points are whole numbers (8000 = 0.80)').min(0).max(10_000).optional(),
  createSales: z.boolean().optional(),
});

export const receiptSettingsRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/receipt-settings',
    summary: 'Receipt handling: auto-confirm confident readings whose line items add up (at least minConfidenceBps per field), and record sales on confirmation',
    tags: ['receipts'],
    access: orgAccess('receipts', 'read'),
    response: settingsSchema,
    async handler({ params, asUser }) {
      return asUser((tx) => loadReceiptSettings(tx, params.orgId!));
    },
  }),
  defineRoute<z.infer<typeof settingsBody>>({
    method: 'put',
    path: '/api/v1/orgs/:orgId/receipt-settings',
    summary: 'Change receipt handling (fields left out keep their value)',
    tags: ['receipts'],
    access: orgAccess('receipts', 'update'),
    body: settingsBody,
    response: settingsSchema,
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const now = await loadReceiptSettings(tx, orgId);
        const next = { ...DEFAULT_RECEIPT_SETTINGS, ...now, ...body };
        await tx`
          insert into public.receipt_settings (organization_id, auto_confirm, min_confidence_bps, create_sales)
          values (${orgId}, ${next.autoConfirm}, ${next.minConfidenceBps}, ${next.createSales})
          on conflict (organization_id) do update
          set auto_confirm = excluded.auto_confirm, min_confidence_bps = excluded.min_confidence_bps, create_sales = excluded.create_sales`;
        return loadReceiptSettings(tx, orgId);
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/contacts/:contactId/opportunities',
    summary: "A contact's opportunities in GoHighLevel (to attach receipts to)",
    tags: ['receipts'],
    access: orgAccess('contacts', 'read'),
    response: z.object({
      items: z.array(z.object({ id: z.string(), name: z.string().nullable(), status: z.string(), monetaryValue: z.number().nullable(), pipelineId: z.string().nullable() })),
    }),
    errors: { 409: 'GoHighLevel is not connected' },
    async handler({ params, asUser, services }) {
      const orgId = params.orgId!;
      const contact = await asUser(async (tx) => {
        const [row] = await tx<{ ghl_contact_id: string }[]>`select ghl_contact_id from public.contacts where organization_id = ${orgId} and id = ${params.contactId!}`;
        return row;
      });
      if (!contact) throw new HttpError(404, 'No such contact');
      const found = await contactOpportunities(services, orgId, contact.ghl_contact_id);
      return { items: found.map(({ ghlContactId: _c, ...o }) => o) };
    },
  }),
];
