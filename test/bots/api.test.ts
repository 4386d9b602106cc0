// Bots and their knowledge base over HTTP, as the roles that use them, on the real stack.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import type { RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { useAppStack } from '../helpers/stack';
import { createContact } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';

describe('bots and knowledge API', () => {
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
    t = await createTenant(sql, 'bots-api');
    other = await createTenant(sql, 'bots-api-other');
    trainer = await tokenFor(app.auth, t.users.bot_trainer.userId);
    viewer = await tokenFor(app.auth, t.users.viewer.userId);
    stranger = await tokenFor(app.auth, other.users.owner.userId);
  });
  afterAll(async () => {
    await sql?.end();
  });

  const api = (token: string, method: string, p: string, body?: unknown, orgId = t.orgId) => call(app.url, method, `/api/v1/orgs/${orgId}${p}`, { token, body });

  it('creates, changes and soft-deletes a bot, with field errors and per-role refusals', async () => {
    const created = await api(trainer, 'POST', '/bots', {
      name: 'Front desk',
      mode: 'suggest',
      channels: ['sms', 'web'],
      goals: [{ id: 'book', name: 'Book a consultation' }],
      guardrails: { maxToolCallsPerTurn: 3 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Front desk', mode: 'suggest', channels: ['sms', 'web'], goals: [{ id: 'book', name: 'Book a consultation', description: '' }], knowledgeDocuments: 0 });
    expect(created.body.guardrails).toMatchObject({ maxToolCallsPerTurn: 3, allowedTools: expect.arrayContaining(['book_appointment']) });

    const bad = await api(trainer, 'POST', '/bots', { name: 'X', channels: ['pigeon'], goals: [{ id: 'a b', name: '' }] });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['channels.0', 'goals.0.id', 'goals.0.name']);
    expect((await api(trainer, 'POST', '/bots', { name: 'front DESK' })).status).toBe(409);
    expect((await api(viewer, 'POST', '/bots', { name: 'Nope' })).status).toBe(403);

    const id = created.body.id as string;
    expect(created.body.calendarId).toBeNull();
    expect((await api(trainer, 'PATCH', `/bots/${id}`, { mode: 'auto', persona: 'Warm and brief.', calendarId: ' cal-1 ' })).body).toMatchObject({ mode: 'auto', persona: 'Warm and brief.', calendarId: 'cal-1' });
    expect((await api(trainer, 'PATCH', `/bots/${id}`, { calendarId: '' })).body.errors).toEqual([expect.objectContaining({ path: 'calendarId' })]);
    expect((await api(trainer, 'PATCH', `/bots/${id}`, { calendarId: null })).body.calendarId).toBeNull();
    expect((await api(viewer, 'GET', `/bots/${id}`)).status).toBe(200);
    expect((await api(stranger, 'GET', `/bots/${id}`, undefined, other.orgId)).status).toBe(404);
    expect((await api(stranger, 'GET', `/bots/${id}`)).status).toBe(404);

    expect((await api(trainer, 'DELETE', `/bots/${id}`)).status).toBe(204);
    expect((await api(trainer, 'GET', `/bots/${id}`)).status).toBe(404);
    const [row] = await sql<{ deleted_at: Date | null; mode: string }[]>`select deleted_at, mode from public.bots where id = ${id}`;
    expect(row!.deleted_at).not.toBeNull();
    expect(row!.mode).toBe('off');
    // The name is free again once the bot is deleted.
    expect((await api(trainer, 'POST', '/bots', { name: 'Front desk' })).status).toBe(201);
  });

  it('takes an FAQ, chunks it once, previews its chunks, and finds the right answer among the first three', async () => {
    const bot = (await api(trainer, 'POST', '/bots', { name: 'Studio FAQ' })).body as { id: string };
    const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'bots', 'faq.md'), 'utf8');
    const added = await api(trainer, 'POST', `/bots/${bot.id}/knowledge`, { title: 'Studio FAQ', sourceKind: 'faq', text, fileName: 'faq.md' });
    expect(added.status).toBe(201);
    expect(added.body.created).toBe(true);
    expect(added.body.document).toMatchObject({ title: 'Studio FAQ', sourceKind: 'faq', fileName: 'faq.md', status: 'ready' });
    expect(added.body.document.chunkCount).toBeGreaterThanOrEqual(20);
    const again = await api(trainer, 'POST', `/bots/${bot.id}/knowledge`, { title: 'Same text', sourceKind: 'faq', text });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, document: { id: added.body.document.id } });

    const chunks = await api(viewer, 'GET', `/bots/${bot.id}/knowledge/${added.body.document.id}/chunks`);
    expect(chunks.body.items).toHaveLength(added.body.document.chunkCount);
    expect(chunks.body.items.map((c: { position: number }) => c.position)).toEqual([...chunks.body.items.keys()]);

    const [first] = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'bots', 'faq-questions.json'), 'utf8')) as Array<{ question: string; expected: string }>;
    const found = await api(viewer, 'POST', `/bots/${bot.id}/knowledge/search`, { query: first!.question, limit: 3 });
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { heading: string | null }) => i.heading ?? '')).toEqual(expect.arrayContaining([expect.stringContaining(first!.expected)]));
    expect(found.body.items.every((i: { score: number }) => i.score > 0)).toBe(true);

    expect((await api(viewer, 'POST', `/bots/${bot.id}/knowledge`, { title: 'x', sourceKind: 'text', text: 'hello' })).status).toBe(403);
    expect((await api(stranger, 'GET', `/bots/${bot.id}/knowledge`)).status).toBe(404);
    expect((await api(trainer, 'DELETE', `/bots/${bot.id}/knowledge/${added.body.document.id}`)).status).toBe(204);
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.knowledge_chunks where document_id = ${added.body.document.id}`;
    expect(count!.n).toBe(0);
  });

  it('refuses empty, binary and oversized documents with the field, storing nothing', async () => {
    const bot = (await api(trainer, 'POST', '/bots', { name: 'Strict' })).body as { id: string };
    for (const text of ['   \n ', 'abc\u0000def']) {
      const res = await api(trainer, 'POST', `/bots/${bot.id}/knowledge`, { title: 'Doc', sourceKind: 'text', text });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe('text');
    }
    // Bigger than the API takes in one request body: refused before it is read.
    const huge = await api(trainer, 'POST', `/bots/${bot.id}/knowledge`, { title: 'Doc', sourceKind: 'text', text: 'x'.repeat(2_000_001) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect((await api(trainer, 'POST', `/bots/${bot.id}/knowledge`, { title: 'Doc', sourceKind: 'pdf', text: 'x' })).status).toBe(422);
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.knowledge_documents where bot_id = ${bot.id}`;
    expect(count!.n).toBe(0);
  });

  it("answers a contact's message through the bot's conversation (the fallback when no model answers), and refuses what is not the org's", async () => {
    const bot = (await api(trainer, 'POST', '/bots', { name: 'Chatty', guardrails: { fallbackMessage: 'One moment, a person will answer.' } })).body as { id: string };
    const contactId = await createContact(sql, t.orgId, 'Chat Contact');
    // This stack's worker has no model to call: the bot answers with its fallback message.
    const reply = await api(trainer, 'POST', `/bots/${bot.id}/chat`, { contactId, text: 'Hello there' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ reply: 'One moment, a person will answer.', status: 'active' });
    const [stored] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.conversation_messages m join public.conversation_sessions s on s.id = m.session_id
      where s.bot_id = ${bot.id} and s.contact_id = ${contactId}`;
    expect(stored!.n).toBe(2);

    expect((await api(trainer, 'POST', `/bots/${bot.id}/chat`, { contactId, text: '   ' })).status).toBe(422);
    expect((await api(viewer, 'POST', `/bots/${bot.id}/chat`, { contactId, text: 'Hi' })).status).toBe(403);
    const foreignContact = await createContact(sql, other.orgId, 'Elsewhere');
    const wrongContact = await api(trainer, 'POST', `/bots/${bot.id}/chat`, { contactId: foreignContact, text: 'Hi' });
    expect(wrongContact.status).toBe(422);
    expect(wrongContact.body.errors[0].path).toBe('contactId');
    expect((await api(stranger, 'POST', `/bots/${bot.id}/chat`, { contactId: foreignContact, text: 'Hi' }, other.orgId)).status).toBe(404);
  });
});
