// PDF uploads to a bot's knowledge base over HTTP, on the real stack: text extracted page by
// page, chunks headed with their page, and every PDF without text refused with nothing stored.
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import type { RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { makePdf } from '../helpers/pdf';
import { useAppStack } from '../helpers/stack';
import { createTenant, type Tenant } from '../helpers/tenants';

describe('PDF knowledge uploads', () => {
  const stack = useAppStack();
  let sql: Sql;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let trainer: string;
  let viewer: string;
  let stranger: string;
  beforeAll(async () => {
    sql = testSql();
    app = stack.app;
    t = await createTenant(sql, 'bots-pdf');
    other = await createTenant(sql, 'bots-pdf-other');
    trainer = await tokenFor(app.auth, t.users.bot_trainer.userId);
    viewer = await tokenFor(app.auth, t.users.viewer.userId);
    stranger = await tokenFor(app.auth, other.users.owner.userId);
  });
  afterAll(async () => {
    await sql?.end();
  });

  const api = (token: string, method: string, p: string, body?: unknown, orgId = t.orgId) => call(app.url, method, `/api/v1/orgs/${orgId}${p}`, { token, body });
  const upload = (token: string, botId: string, pdf: Uint8Array, query = '', orgId = t.orgId, contentType = 'application/pdf') =>
    call(app.url, 'POST', `/api/v1/orgs/${orgId}/bots/${botId}/knowledge/pdf${query}`, { token, rawBody: pdf, headers: { 'content-type': contentType } });
  const newBot = async (name: string) => ((await api(trainer, 'POST', '/bots', { name })).body as { id: string }).id;
  const documentsOf = async (botId: string) =>
    (await sql<{ n: number }[]>`select (select count(*) from public.knowledge_documents where bot_id = ${botId})::int + (select count(*) from public.knowledge_chunks where bot_id = ${botId})::int as n`)[0]!.n;

  const brochure = makePdf([
    ['Lumen Studio brochure', 'We photograph weddings and portraits across the region.'],
    ['Parking is free in the courtyard behind the studio on Rue des Lilas.', 'Bring two outfits for a portrait session.'],
  ]);

  it('extracts a PDF page by page: chunks name their page and search finds a sentence of page 2', async () => {
    const botId = await newBot('Brochure bot');
    const added = await upload(trainer, botId, brochure, '?fileName=brochure.pdf');
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ created: true, document: { title: 'brochure', sourceKind: 'pdf', fileName: 'brochure.pdf', status: 'ready', sizeBytes: brochure.length } });
    const documentId = added.body.document.id as string;

    const chunks = await api(viewer, 'GET', `/bots/${botId}/knowledge/${documentId}/chunks`);
    expect(chunks.body.items.map((c: { heading: string }) => c.heading)).toEqual(['Page 1', 'Page 2']);
    expect(chunks.body.items[1].content).toContain('Parking is free in the courtyard behind the studio');

    const found = await api(viewer, 'POST', `/bots/${botId}/knowledge/search`, { query: 'Where can I park my car?', limit: 1 });
    expect(found.body.items).toEqual([expect.objectContaining({ documentId, heading: 'Page 2', content: expect.stringContaining('Parking is free') })]);

    // The same PDF again is the same document.
    const again = await upload(trainer, botId, brochure, '?title=Brochure%20copy');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, document: { id: documentId } });
  });

  it('refuses damaged, password-protected, text-less and non-PDF files with a problem on the body, storing nothing', async () => {
    const botId = await newBot('Picky bot');
    const refused = [
      { pdf: Buffer.from('%PDF-1.7\nthis is not really a PDF\n%%EOF\n'), detail: /damaged/ },
      { pdf: brochure.subarray(0, 200), detail: /damaged/ },
      { pdf: makePdf([['Secret price list']], { encrypted: true }), detail: /password/ },
      { pdf: makePdf([[], []]), detail: /no text/ },
      { pdf: Buffer.from('PK\u0003\u0004 a zip file, not a PDF'), detail: /not a PDF/ },
      { pdf: Buffer.alloc(0), detail: /empty/ },
    ];
    for (const { pdf, detail } of refused) {
      const res = await upload(trainer, botId, pdf);
      expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 422, detail: expect.stringMatching(detail) });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body' })]);
    }
    const wrongType = await upload(trainer, botId, brochure, '', t.orgId, 'application/octet-stream');
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('content-type')).toContain('application/problem+json');
    expect(await documentsOf(botId)).toBe(0);
  });

  it("refuses an oversized PDF, a viewer, and another organization's bot", async () => {
    const botId = await newBot('Guarded bot');
    const huge = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await upload(trainer, botId, huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.errors).toEqual([expect.objectContaining({ path: 'body' })]);
    expect((await upload(viewer, botId, brochure)).status).toBe(403);
    // The stranger's own organization in the path, or this one: the bot is nowhere to be found.
    expect((await upload(stranger, botId, brochure, '', other.orgId)).status).toBe(404);
    expect((await upload(stranger, botId, brochure)).status).toBe(404);
    expect(await documentsOf(botId)).toBe(0);
  });
});
