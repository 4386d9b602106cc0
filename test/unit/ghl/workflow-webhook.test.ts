import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeWorkflowWebhook, workflowWebhookTokenMatches } from '../../../api/ghl/workflow-webhook';

const FIXTURE = path.join(__dirname, '../../fixtures/ghl-webhooks/workflow-webhook-payment-received.json');
const paymentReceived = (): Record<string, any> => JSON.parse(readFileSync(FIXTURE, 'utf8'));

function normalized(body: unknown) {
  const result = normalizeWorkflowWebhook(body);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.delivery;
}

describe('normalizeWorkflowWebhook', () => {
  it('maps the "Payment received" delivery', () => {
    const delivery = normalized(paymentReceived());
    expect(delivery).toEqual({
      locationId: 'YxsRH9X4UhvisCDtoa6x',
      contact: {
        ghlContactId: 'hN4pD3V5Rbg59Y3veGaa',
        firstName: 'Jordan',
        lastName: 'Rivera',
        name: 'Jordan Rivera',
        email: 'jordan.rivera@example.com',
        phone: '+15555550123',
        tags: ['lead', 'wedding'],
        assignedTo: null,
        customFields: { 'Wedding Package': 'PEARL' },
        dateAdded: '2025-04-07T17:30:43.734Z',
      },
      payment: {
        amountMinor: 113100,
        currency: 'USD',
        transactionId: '67f4181b8db15e123c9819cd',
        status: 'succeeded',
        subTotalMinor: 113100,
        discountMinor: 0,
        taxMinor: 0,
        source: 'form',
        method: 'gateway',
        gateway: 'stripe',
        createdAt: '2025-04-07T18:23:24.129Z',
      },
      customData: { sales_rep_email: 'sam.seller@example.com', sales_rep_id: 'ghl-user-id-of-the-rep' },
      workflow: { id: 'e497b541-bb4a-48ad-b314-765a96add50b', name: 'Payment received -> Flowline' },
      deliveryKey: expect.stringMatching(/^ghl-wf-txn:[0-9a-f]{64}$/),
      deliveryKeySource: 'transaction',
    });
    expect(Number.isInteger(delivery.payment?.amountMinor)).toBe(true);
  });

  it('parses formatted decimal strings exactly', () => {
    const body = paymentReceived();
    body.payment.total_amount = '1,250.50';
    body.payment.tax_amount = 0.1;
    expect(normalized(body).payment).toMatchObject({ amountMinor: 125050, taxMinor: 10 });
  });

  it('uses the currency minor unit: JPY has none', () => {
    const body = paymentReceived();
    body.payment.currency_code = 'jpy';
    body.payment.total_amount = '1,250';
    expect(normalized(body).payment).toMatchObject({ amountMinor: 1250, currency: 'JPY' });
  });

  it.each([
    ['a fractional yen amount', { currency_code: 'JPY', total_amount: '1250.50' }, 'payment.total_amount'],
    ['more decimals than the currency has', { total_amount: 12.345 }, 'payment.total_amount'],
    ['a locale-formatted amount', { total_amount: '1.250,50' }, 'payment.total_amount'],
    ['a missing total', { total_amount: undefined }, 'payment.total_amount'],
    ['a missing currency', { currency_code: undefined }, 'payment.currency_code'],
    ['a bad sub-total', { sub_total_amount: 'abc' }, 'payment.sub_total_amount'],
  ])('refuses %s with its field path', (_name, patch, pathName) => {
    const body = paymentReceived();
    body.payment = { ...body.payment, ...patch };
    const result = normalizeWorkflowWebhook(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(pathName);
  });

  it.each([
    ['contact_id', 'contact_id'],
    ['location', 'location'],
    ['workflow', 'workflow'],
  ])('refuses a delivery without %s', (key, pathName) => {
    const body = paymentReceived();
    delete body[key];
    const result = normalizeWorkflowWebhook(body);
    expect(result).toMatchObject({ ok: false, errors: [{ path: pathName }] });
  });

  it('keeps the delivery key across redeliveries and key order, and changes it per transaction and workflow', () => {
    const body = paymentReceived();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const key = normalized(body).deliveryKey;
    expect(normalized(reordered).deliveryKey).toBe(key);
    // Other fields do not enter a transaction key (a later redelivery may carry newer contact data).
    expect(normalized({ ...body, email: 'new@example.com' }).deliveryKey).toBe(key);
    expect(normalized({ ...body, payment: { ...body.payment, transaction_id: 'txn-2' } }).deliveryKey).not.toBe(key);
    expect(normalized({ ...body, workflow: { id: 'wf-2', name: 'x' } }).deliveryKey).not.toBe(key);
  });

  it('keys a delivery without a payment by its canonical body', () => {
    const { payment: _p, ...body } = paymentReceived();
    const delivery = normalized(body);
    expect(delivery.payment).toBeUndefined();
    expect(delivery.deliveryKeySource).toBe('body');
    expect(delivery.deliveryKey).toMatch(/^ghl-wf-body:[0-9a-f]{64}$/);
    const reverse = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());
    const reordered = { ...reverse(body), location: reverse(body.location) };
    expect(normalized(reordered).deliveryKey).toBe(delivery.deliveryKey);
    expect(normalized({ ...body, customData: { note: 'other' } }).deliveryKey).not.toBe(delivery.deliveryKey);
  });

  it('defaults customData and accepts tags as an array', () => {
    const { customData: _c, ...body } = paymentReceived();
    const delivery = normalized({ ...body, tags: [' a ', 'b', 'a', ''] });
    expect(delivery.customData).toEqual({});
    expect(delivery.contact.tags).toEqual(['a', 'b']);
  });
});

describe('workflowWebhookTokenMatches', () => {
  it('matches only the same token', () => {
    expect(workflowWebhookTokenMatches('s3cret-token', 's3cret-token')).toBe(true);
    expect(workflowWebhookTokenMatches('s3cret-tokeN', 's3cret-token')).toBe(false);
    expect(workflowWebhookTokenMatches('s3cret', 's3cret-token')).toBe(false);
    expect(workflowWebhookTokenMatches('', '')).toBe(false);
  });
});
