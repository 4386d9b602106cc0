// A bot's knowledge over HTTP when an embeddings model is configured: stored with embeddings, searched by both rankings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openAiEmbedder } from '../../activities/bots/embeddings';
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';

describe('knowledge API with embeddings', () => {
  let sql: Sql;
  let llm: FakeLlm;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let trainer: string;
  let stranger: string;
  beforeAll(async () => {
    sql = testSql();
    llm = await startFakeLlm();
    const embedder = openAiEmbedder({ baseURL: llm.url, apiKey: llm.apiKey, timeoutMs: 10_000, model: 'text-embedding-3-small', log: { warn: () => undefined } });
    // No workflow is started here: the task queue is only a name.
    app = await startApp({ taskQueue: 'knowledge-hybrid-api', embedder });
    t = await createTenant(sql, 'hybrid-api');
    other = await createTenant(sql, 'hybrid-api-other');
    trainer = await tokenFor(app.auth, t.users.bot_trainer.userId);
    stranger = await tokenFor(app.auth, other.users.owner.userId);
  });
  afterAll(async () => {
    await app?.close();
    await llm?.close();
    await sql?.end();
  });

  const api = (token: string, method: string, p: string, body?: unknown, orgId = t.orgId) => call(app.url, method, `/api/v1/orgs/${orgId}${p}`, { token, body });

  it('embeds an added document and ranks a paraphrase first; another organization gets 404', async () => {
    const bot = (await api(trainer, 'POST', '/bots', { name: 'Studio FAQ' })).body as { id: string };
    const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'bots', 'faq.md'), 'utf8');
    const added = await api(trainer, 'POST', `/bots/${bot.id}/knowledge`, { title: 'Studio FAQ', sourceKind: 'faq', text });
    expect(added.status).toBe(201);
    const [stored] = await sql<{ n: number; embedded: number }[]>`
      select count(*)::int as n, count(*) filter (where embedding_model = 'text-embedding-3-small')::int as embedded
      from public.knowledge_chunks where document_id = ${added.body.document.id}`;
    expect(stored).toEqual({ n: added.body.document.chunkCount, embedded: added.body.document.chunkCount });

    const found = await api(trainer, 'POST', `/bots/${bot.id}/knowledge/search`, { query: 'how big is the retainer?', limit: 3 });
    expect(found.status).toBe(200);
    expect(found.body.items[0].heading).toMatch(/How much is the deposit\?$/);
    // Reciprocal rank fusion scores: at most 2 / (60 + 1).
    expect(found.body.items.every((i: { score: number }) => i.score > 0 && i.score <= 2 / 61)).toBe(true);

    expect((await api(stranger, 'POST', `/bots/${bot.id}/knowledge/search`, { query: 'deposit' })).status).toBe(404);
    expect((await api(stranger, 'POST', `/bots/${bot.id}/knowledge/search`, { query: 'deposit' }, other.orgId)).status).toBe(404);
  });
});
