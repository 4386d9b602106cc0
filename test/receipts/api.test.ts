// Receipt uploads over HTTP on the real stack: what is refused (and that nothing is then
// stored), duplicates, who may do what, and that another organization sees nothing.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { makePdf } from '../helpers/pdf';
import { until } from '../helpers/until';
import { distinctPng, fixture, startReceiptStack, type ReceiptOrg, type ReceiptStack } from './stack';

describe('receipts API', () => {
  let s: ReceiptStack;
  let o: ReceiptOrg;
  beforeAll(async () => {
    s = await startReceiptStack();
    o = await s.org();
  });
  afterAll(() => s?.close());

  const png = () => distinctPng(fixture('coffee-shop.png'));
  const filesOf = (orgId: string) => {
    try {
      return readdirSync(path.join(s.dir, orgId)).filter((f) => !f.startsWith('.')).length;
    } catch {
      return 0;
    }
  };
  const rowsOf = async (orgId: string) => Number((await s.sql<{ n: string }[]>`select count(*)::text as n from public.opportunity_receipts where organization_id = ${orgId}`)[0]!.n);

  describe('refuses bad files with a clear reason and stores nothing', () => {
    const good = fixture('coffee-shop.png');
    const cases: [string, () => Buffer, number, RegExp][] = [
      ['a text file', () => Buffer.from('just some text, not a receipt'), 415, /JPEG, PNG or WebP image, or a PDF/],
      ['a GIF', () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 415, /none of these/],
      ['an empty file', () => Buffer.alloc(0), 422, /empty/],
      ['a truncated PNG', () => good.subarray(0, Math.floor(good.length / 2)), 422, /PNG could not be read/],
      ['a PNG with a bad checksum', () => Buffer.concat([good.subarray(0, 40), Buffer.from([good[40]! ^ 0xff]), good.subarray(41)]), 422, /PNG could not be read/],
      ['a JPEG cut after its header', () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), 422, /JPEG could not be read/],
      ['a PDF without text', () => makePdf([[]]), 422, /upload the scan as an image/],
      ['a damaged PDF', () => Buffer.from('%PDF-1.7\nthis is not a pdf body\n%%EOF'), 422, /PDF/],
      ['a file over the limit', () => Buffer.concat([good, Buffer.alloc(2 * 1024 * 1024)]), 413, /larger than 2 MB/],
    ];
    it.each(cases)('%s', async (_name, bytes, status, detail) => {
      const before = { rows: await rowsOf(o.t.orgId), files: filesOf(o.t.orgId) };
      const res = await s.upload(o, o.tokens.sales, bytes(), { contentType: 'image/png' });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.detail ?? res.body.title).toMatch(detail);
      expect({ rows: await rowsOf(o.t.orgId), files: filesOf(o.t.orgId) }).toEqual(before);
    });

    it('refuses a body that is not multipart, and multipart without the file', async () => {
      const json = await s.api(o, o.tokens.sales, 'POST', `/opportunities/${o.opportunityId}/receipts`, { file: 'x' });
      expect(json.status).toBe(415);
      const form = new FormData();
      form.append('contactId', o.contactId);
      const res = await fetch(`${s.app.url}/api/v1/orgs/${o.t.orgId}/opportunities/${o.opportunityId}/receipts`, { method: 'POST', headers: { authorization: `Bearer ${o.tokens.sales}` }, body: form });
      expect(res.status).toBe(422);
      expect(((await res.json()) as any).errors).toEqual([{ path: 'file', message: 'Required' }]);
    });
  });

  it('takes the type from the content, not the header, links the GHL contact, and streams the file back to those allowed', async () => {
    const pdf = makePdf([['Corner Bakery', 'Date: 2026-11-20', 'Bread 4.50', 'TOTAL USD 4.50']]);
    const res = await s.upload(o, o.tokens.sales, pdf, { contentType: 'image/png', fileName: 'bakery.png' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ duplicate: false, receipt: { contentType: 'application/pdf', fileName: 'bakery.png', opportunityId: o.opportunityId, contactId: o.contactId, sizeBytes: pdf.length } });
    expect(res.body.receipt.workflowId).toBe(`receipt:${o.t.orgId}:${res.body.receipt.id}`);
    const file = await fetch(`${s.app.url}/api/v1/orgs/${o.t.orgId}/receipts/${res.body.receipt.id}/file`, { headers: { authorization: `Bearer ${o.tokens.viewer}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    const anonymous = await fetch(`${s.app.url}/api/v1/orgs/${o.t.orgId}/receipts/${res.body.receipt.id}/file`);
    expect(anonymous.status).toBe(401);
  });

  it('answers the same bytes with the first receipt and stores and reads them once', async () => {
    const bytes = png();
    const first = await s.upload(o, o.tokens.sales, bytes);
    expect(first.status).toBe(201);
    const files = filesOf(o.t.orgId);
    const again = await s.upload(o, o.tokens.sales, bytes, { fileName: 'copy.png' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, receipt: { id: first.body.receipt.id, fileName: 'receipt.png' } });
    expect(filesOf(o.t.orgId)).toBe(files);
    // The workflow reads it once, whatever the uploads.
    await until('the receipt to be read', async () => {
      const r = await s.api(o, o.tokens.admin, 'GET', `/receipts/${first.body.receipt.id}`);
      return r.body.status === 'uploaded' || r.body.status === 'processing' ? undefined : r.body;
    });
    const base64 = bytes.toString('base64');
    expect(s.llm.requests.filter((r) => JSON.stringify(r.messages).includes(base64))).toHaveLength(1);
  });

  it('refuses bytes someone else uploaded to a rep who may not see them, without showing them', async () => {
    const bytes = png();
    const admins = await s.upload(o, o.tokens.admin, bytes);
    expect(admins.status).toBe(201);
    const rep = await s.upload(o, o.tokens.sales, bytes);
    expect(rep.status).toBe(409);
    expect(JSON.stringify(rep.body)).not.toContain(admins.body.receipt.id);
    expect(rep.body.detail ?? rep.body.title).toMatch(/already uploaded in this organization by someone else/);
  });

  it('applies the role matrix: viewers and bot trainers cannot upload, reps cannot decide or delete, and a rep sees only their own receipts', async () => {
    const viewer = await s.upload(o, o.tokens.viewer, png());
    expect(viewer.status).toBe(403);
    const trainer = await s.upload(o, o.tokens.trainer, png());
    expect(trainer.status).toBe(403);
    const mine = await s.upload(o, o.tokens.sales, png());
    expect(mine.status).toBe(201);
    const id = mine.body.receipt.id as string;
    expect((await s.api(o, o.tokens.sales, 'POST', `/receipts/${id}/confirm`, {})).status).toBe(403);
    expect((await s.api(o, o.tokens.sales, 'POST', `/receipts/${id}/reject`, { reason: 'no' })).status).toBe(403);
    expect((await s.api(o, o.tokens.sales, 'DELETE', `/receipts/${id}`)).status).toBe(403);
    const adminsOwn = await s.upload(o, o.tokens.admin, png());
    const repList = await s.api(o, o.tokens.sales, 'GET', `/receipts?opportunityId=${o.opportunityId}`);
    expect(repList.body.items.map((r: any) => r.id)).toContain(id);
    expect(repList.body.items.map((r: any) => r.id)).not.toContain(adminsOwn.body.receipt.id);
    expect((await s.api(o, o.tokens.sales, 'GET', `/receipts/${adminsOwn.body.receipt.id}`)).status).toBe(404);
    const viewerList = await s.api(o, o.tokens.viewer, 'GET', `/receipts?opportunityId=${o.opportunityId}`);
    expect(viewerList.body.items.map((r: any) => r.id)).toEqual(expect.arrayContaining([id, adminsOwn.body.receipt.id]));
  });

  it('keeps tenants apart: another location’s opportunity is not found, and another org sees no receipt, file or decision', async () => {
    const theirs = { ...[...s.ghl.state.opportunities.values()][0]!, id: 'opp-of-another-location', locationId: 'another-location' };
    s.ghl.state.opportunities.set(theirs.id, theirs);
    const res = await s.upload(o, o.tokens.sales, png(), { opportunityId: theirs.id });
    expect(res.status).toBe(404);
    expect(res.body.detail ?? res.body.title).toMatch(/No such opportunity/);
    const missing = await s.upload(o, o.tokens.sales, png(), { opportunityId: 'no-such-opportunity' });
    expect(missing.status).toBe(404);

    const mine = await s.upload(o, o.tokens.admin, png());
    const id = mine.body.receipt.id as string;
    const other = await s.otherOrg('rcpt-other');
    // Their own org's routes: the receipt id names nothing there.
    expect((await s.api(other, other.tokens.owner, 'GET', `/receipts/${id}`)).status).toBe(404);
    expect((await fetch(`${s.app.url}/api/v1/orgs/${other.t.orgId}/receipts/${id}/file`, { headers: { authorization: `Bearer ${other.tokens.owner}` } })).status).toBe(404);
    expect((await s.api(other, other.tokens.owner, 'DELETE', `/receipts/${id}`)).status).toBe(404);
    expect((await s.api(other, other.tokens.owner, 'POST', `/receipts/${id}/reject`, { reason: 'not ours' })).status).toBe(404);
    expect((await s.api(other, other.tokens.owner, 'GET', `/receipts?opportunityId=${o.opportunityId}`)).body.items).toEqual([]);
    // Our org's routes with their token: not a member, so the organization is not found.
    expect((await s.api(o, other.tokens.owner, 'GET', `/receipts/${id}`)).status).toBe(404);
    expect((await s.upload(o, other.tokens.owner, png())).status).toBe(404);
    // Not connected to GHL: no opportunity is theirs, and the answer says how to get one.
    const unconnected = await s.upload(other, other.tokens.owner, png());
    expect(unconnected.status).toBe(404);
    expect(unconnected.body.detail ?? unconnected.body.title).toMatch(/connect GoHighLevel first/);
  });

  it('deletes softly: the receipt leaves lists and reads, its review ends, and the same bytes may come again', async () => {
    const bytes = png();
    const up = await s.upload(o, o.tokens.admin, bytes);
    const id = up.body.receipt.id as string;
    expect((await s.api(o, o.tokens.admin, 'DELETE', `/receipts/${id}`)).status).toBe(204);
    expect((await s.api(o, o.tokens.admin, 'GET', `/receipts/${id}`)).status).toBe(404);
    expect((await s.api(o, o.tokens.admin, 'DELETE', `/receipts/${id}`)).status).toBe(404);
    const [row] = await s.sql<{ deleted_at: Date | null }[]>`select deleted_at from public.opportunity_receipts where id = ${id}`;
    expect(row!.deleted_at).not.toBeNull();
    await until('the review to end', async () => {
      const d = await s.temporal.client.workflow.getHandle(`receipt:${o.t.orgId}:${id}`).describe();
      return d.status.name === 'RUNNING' ? undefined : d.status.name;
    });
    const again = await s.upload(o, o.tokens.admin, bytes);
    expect(again.status).toBe(201);
    expect(again.body.receipt.id).not.toBe(id);
  });

  it('validates settings and decisions with field paths', async () => {
    const bad = await s.api(o, o.tokens.admin, 'PUT', '/receipt-settings', { minConfidenceBps: 12_000 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('minConfidenceBps');
    expect((await s.api(o, o.tokens.sales, 'PUT', '/receipt-settings', { autoConfirm: true })).status).toBe(403);
    const up = await s.upload(o, o.tokens.admin, png());
    const reject = await s.api(o, o.tokens.admin, 'POST', `/receipts/${up.body.receipt.id}/reject`, { reason: '' });
    expect(reject.status).toBe(422);
    expect(reject.body.errors[0].path).toBe('reason');
    const edits = await s.api(o, o.tokens.admin, 'POST', `/receipts/${up.body.receipt.id}/confirm`, { edits: { totalMinor: 12.5 } });
    expect(edits.status).toBe(422);
    expect(edits.body.errors[0].path).toBe('edits.totalMinor');
  });
});
