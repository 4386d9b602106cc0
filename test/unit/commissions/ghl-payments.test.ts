import { readFileSync } from 'node:fs';
import path from 'node:path';
import { paymentFromDelivery } from '../../../activities/commissions/ghl-payments';
import { normalizeWorkflowWebhook } from '../../../api/ghl/workflow-webhook';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'ghl-webhooks', name), 'utf8'));
const opts = { webhookId: 'wh-1', occurredAt: '2026-11-01T10:00:00.000Z', attributionField: 'sales_rep_id' };

describe('payments in GHL deliveries', () => {
  it("records an invoice's running total paid, in minor units, keyed by the invoice and that total", () => {
    const partial = paymentFromDelivery('InvoicePartiallyPaid', fixture('events/InvoicePartiallyPaid.json'), opts);
    const paid = paymentFromDelivery('InvoicePaid', fixture('events/InvoicePaid.json'), opts);
    expect(partial).toEqual({
      kind: 'sale',
      sale: expect.objectContaining({ source: 'ghl_invoice', externalId: '6578278e879ad2646715ba9c@89900', amountMinor: 89_900, cumulativeMinor: 89_900, currency: 'USD', productId: 'c6tZZU0rJBf30ZXx9Gli', ghlContactId: '6578278e879ad2646715ba9c', rawWebhookId: 'wh-1' }),
    });
    expect(paid.kind === 'sale' && paid.sale).toMatchObject({ externalId: '6578278e879ad2646715ba9c@99900', cumulativeMinor: 99_900, paidAt: '2023-12-12T09:27:42.355Z' });
  });

  it('records a completed order once by its id, and ignores other order statuses', () => {
    const order = fixture('events/OrderStatusUpdate.json');
    const done = paymentFromDelivery('OrderStatusUpdate', order, opts);
    expect(done.kind === 'sale' && done.sale).toMatchObject({ source: 'ghl_order', externalId: order._id, amountMinor: 15_010, currency: 'USD', ghlContactId: order.contactId });
    expect(paymentFromDelivery('OrderStatusUpdate', { ...order, status: 'pending' }, opts)).toMatchObject({ kind: 'none' });
  });

  it("takes a workflow webhook's payment and the rep its customData names; a refunded status is a refund", () => {
    const normalized = normalizeWorkflowWebhook(fixture('workflow-webhook-payment-received.json'));
    if (!normalized.ok) throw new Error('fixture does not normalise');
    const sale = paymentFromDelivery('WorkflowWebhook', normalized.delivery, opts);
    expect(sale.kind === 'sale' && sale.sale).toMatchObject({
      source: 'ghl_workflow',
      externalId: '67f4181b8db15e123c9819cd',
      amountMinor: 113_100,
      currency: 'USD',
      paidAt: '2025-04-07T18:23:24.129Z',
      ghlContactId: 'hN4pD3V5Rbg59Y3veGaa',
      attributionHint: 'ghl-user-id-of-the-rep',
    });
    const byEmail = paymentFromDelivery('WorkflowWebhook', normalized.delivery, { ...opts, attributionField: 'sales_rep_email' });
    expect(byEmail.kind === 'sale' && byEmail.sale.attributionHint).toBe('sam.seller@example.com');
    const refunded = paymentFromDelivery('WorkflowWebhook', { ...normalized.delivery, payment: { ...normalized.delivery.payment!, status: 'refunded' } }, opts);
    expect(refunded).toEqual({ kind: 'refund', source: 'ghl_workflow', externalId: '67f4181b8db15e123c9819cd', refundExternalId: 'ghl:67f4181b8db15e123c9819cd:refunded', amountMinor: 113_100, currency: 'USD' });
    expect(paymentFromDelivery('WorkflowWebhook', { ...normalized.delivery, payment: undefined }, opts)).toMatchObject({ kind: 'none' });
  });

  it('refuses amounts that are not exact in the currency, and events that are not payments', () => {
    const invoice = fixture('events/InvoicePaid.json');
    expect(paymentFromDelivery('InvoicePaid', { ...invoice, amountPaid: 10.005 }, opts)).toMatchObject({ kind: 'none' });
    expect(paymentFromDelivery('InvoicePaid', { ...invoice, amountPaid: 0 }, opts)).toMatchObject({ kind: 'none' });
    expect(paymentFromDelivery('ContactCreate', {}, opts)).toMatchObject({ kind: 'none', reason: 'ContactCreate is not a payment event' });
  });
});
