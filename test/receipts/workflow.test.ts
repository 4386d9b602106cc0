// The receipt workflow on the real Temporal dev server, against the fake vision model: read,
// auto-confirmed or reviewed, confirmed with edits into a sale (new or corrected), rejected,
// and what happens when the model answers nonsense or fails.
import { until } from '../helpers/until';
import { distinctPng, fixture, startReceiptStack, type ReceiptOrg, type ReceiptStack } from './stack';

describe('receipt workflow', () => {
  let s: ReceiptStack;
  let o: ReceiptOrg;
  beforeAll(async () => {
    s = await startReceiptStack();
    o = await s.org();
  });
  afterAll(() => s?.close());

  const opportunity = (i: number) => [...s.ghl.state.opportunities.values()].filter((x) => x.locationId === s.ghl.locationId)[i]!.id;

  /** The receipt once it has left the model (or `status`). */
  const settled = (id: string, status?: string) =>
    until(`receipt ${id} to settle${status ? ` as ${status}` : ''}`, async () => {
      const r = await s.api(o, o.tokens.admin, 'GET', `/receipts/${id}`);
      if (status) return r.body.status === status ? r.body : undefined;
      return ['uploaded', 'processing'].includes(r.body.status) ? undefined : r.body;
    });

  const setSettings = (body: Record<string, unknown>) => s.api(o, o.tokens.admin, 'PUT', '/receipt-settings', body);

  it('auto-confirms a confident receipt whose lines add up when the organization allows it, and records its sale and commission', async () => {
    expect((await setSettings({ autoConfirm: true, minConfidenceBps: 8000 })).status).toBe(200);
    try {
      const up = await s.upload(o, o.tokens.sales, distinctPng(fixture('coffee-shop.png')), { opportunityId: opportunity(0) });
      expect(up.status).toBe(201);
      const r = await settled(up.body.receipt.id, 'confirmed');
      expect(r).toMatchObject({ autoConfirmed: true, reviewedBy: null, lowConfidenceFields: [] });
      expect(r.extracted.totalMinor).toBeGreaterThan(0);
      expect(r.sale).toMatchObject({ amountMinor: r.extracted.totalMinor, currency: r.extracted.currency, source: 'receipt' });
      const [sale] = await s.sql<{ workflow_id: string; ghl_opportunity_id: string; contact_id: string | null }[]>`
        select workflow_id, ghl_opportunity_id, contact_id from public.sales_transactions where id = ${r.saleId}`;
      expect(sale).toMatchObject({ ghl_opportunity_id: opportunity(0), workflow_id: `commission:${o.t.orgId}:receipt:${r.id}` });
      const commission = await s.temporal.client.workflow.getHandle(sale!.workflow_id).describe();
      expect(commission.type).toBe('commissionWorkflow');
    } finally {
      await setSettings({ autoConfirm: false });
    }
  });

  it('sends a receipt whose lines do not add up to review; confirming with edits corrects the opportunity’s sale', async () => {
    const opp = opportunity(1);
    const created = await s.api(o, o.tokens.admin, 'POST', '/sales-transactions', {
      externalId: `inv-${opp}`, source: 'manual', amountMinor: 10_000, currency: 'USD', ghlOpportunityId: opp, teamMemberId: o.t.teamMemberId,
    });
    expect(created.status).toBe(201);
    const up = await s.upload(o, o.tokens.sales, fixture('hardware-store.jpg'), { opportunityId: opp, fileName: 'hardware.jpg' });
    expect(up.status).toBe(201);
    const r = await settled(up.body.receipt.id);
    expect(r.status).toBe('needs_review');
    expect(r.reviewReasons.join(' ')).toMatch(/line items add up to/);
    // A decision from someone allowed: the reviewer's total wins, the rest stays as read.
    const confirmed = await s.api(o, o.tokens.admin, 'POST', `/receipts/${r.id}/confirm`, { edits: { totalMinor: 12_345, currency: 'USD' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', autoConfirmed: false, reviewedBy: o.t.users.administrator.userId, saleId: created.body.id });
    expect(confirmed.body.extracted).toMatchObject({ totalMinor: 12_345, currency: 'USD', vendor: r.extracted.vendor });
    const [sale] = await s.sql<{ amount_minor: string; original_amount_minor: string; workflow_id: string }[]>`
      select amount_minor::text, original_amount_minor::text, workflow_id from public.sales_transactions where id = ${created.body.id}`;
    expect(sale).toMatchObject({ amount_minor: '12345', original_amount_minor: '10000' });
    expect(sale!.workflow_id).toMatch(new RegExp(`^commission-correction:${o.t.orgId}:receipt:${r.id}:`));
    await until('the correction to run', async () => {
      const d = await s.temporal.client.workflow.getHandle(sale!.workflow_id).describe().catch(() => undefined);
      return d?.type === 'saleCorrectionWorkflow' ? d : undefined;
    });
    // Decided once: a second decision is refused.
    const twice = await s.api(o, o.tokens.admin, 'POST', `/receipts/${r.id}/confirm`, {});
    expect(twice.status).toBe(409);
    const outcome = await s.temporal.client.workflow.getHandle(r.workflowId).result();
    expect(outcome).toEqual({ status: 'confirmed', saleId: created.body.id });
  });

  it('rejects a receipt with a reason and records no sale', async () => {
    const up = await s.upload(o, o.tokens.sales, distinctPng(fixture('coffee-shop.png')), { opportunityId: opportunity(2) });
    const r = await settled(up.body.receipt.id, 'needs_review');
    const rejected = await s.api(o, o.tokens.owner, 'POST', `/receipts/${r.id}/reject`, { reason: 'Personal purchase, not the client’s' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: 'Personal purchase, not the client’s', saleId: null, reviewedBy: o.t.users.owner.userId });
    expect(await s.temporal.client.workflow.getHandle(r.workflowId).result()).toEqual({ status: 'rejected', saleId: null });
  });

  it('keeps the raw answer for a person when the model never answers valid JSON, and records the sale they confirm', async () => {
    s.llm.enqueue('Sure! The total is $12.00', 'Sure! The total is $12.00', 'Sure! The total is $12.00');
    const up = await s.upload(o, o.tokens.sales, distinctPng(fixture('coffee-shop.png')), { opportunityId: opportunity(2) });
    const r = await settled(up.body.receipt.id);
    expect(r).toMatchObject({ status: 'needs_review', rawAnswer: 'Sure! The total is $12.00', extracted: null });
    expect(r.reviewReasons[0]).toMatch(/did not answer in the expected form/);
    const missing = await s.api(o, o.tokens.admin, 'POST', `/receipts/${r.id}/confirm`, { edits: { vendor: 'Cafe' } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: any) => e.path)).toEqual(['edits.totalMinor', 'edits.currency']);
    const ok = await s.api(o, o.tokens.admin, 'POST', `/receipts/${r.id}/confirm`, { edits: { vendor: 'Cafe', totalMinor: 1200, currency: 'usd', date: '2026-11-20' } });
    expect(ok.status).toBe(200);
    expect(ok.body.sale).toMatchObject({ amountMinor: 1200, currency: 'USD', source: 'receipt' });
    const [sale] = await s.sql<{ paid_at: Date }[]>`select paid_at from public.sales_transactions where id = ${ok.body.saleId}`;
    expect(sale!.paid_at.toISOString()).toBe('2026-11-20T12:00:00.000Z');
  });

  it('shows a failure with its reason after the model keeps failing, and reads the receipt again on retry', async () => {
    s.llm.enqueue({ status: 500, message: 'The server had an error' }, { status: 503, message: 'Overloaded' }, { status: 500, message: 'The server had an error' });
    const up = await s.upload(o, o.tokens.sales, distinctPng(fixture('coffee-shop.png')), { opportunityId: opportunity(2) });
    const failed = await settled(up.body.receipt.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/500|error/i);
    expect((await s.api(o, o.tokens.sales, 'POST', `/receipts/${failed.id}/retry`)).status).toBe(403);
    const retried = await s.api(o, o.tokens.admin, 'POST', `/receipts/${failed.id}/retry`);
    expect(retried.status).toBe(200);
    const read = await settled(failed.id, 'needs_review');
    expect(read.extracted.totalMinor).toBeGreaterThan(0);
    expect(read.failureReason).toBeNull();
  });

  it('fails at once, without retrying, on a request the model refuses', async () => {
    s.llm.enqueue({ status: 400, message: 'Invalid image data', param: 'messages' });
    const before = s.llm.requests.length;
    const up = await s.upload(o, o.tokens.sales, distinctPng(fixture('coffee-shop.png')), { opportunityId: opportunity(2) });
    const failed = await settled(up.body.receipt.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/Invalid image data/);
    // The 400 was not retried (the queued error was the only answer used).
    expect(s.llm.requests.length - before).toBe(0);
  });
});
