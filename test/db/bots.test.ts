import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import { appSql, testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';

/*
 * The bots schema (bots, graphs, knowledge, conversations), logged in as the app's role with
 * claims, as the API and worker act.
 */
describe('bots schema', () => {
  let owner: Sql;
  let app: Sql;
  let a: Tenant;
  let b: Tenant;
  interface Rows {
    botId: string;
    graphId: string;
    documentId: string;
    chunkId: string;
    contactId: string;
    sessionId: string;
    messageId: string;
  }
  let rowsA: Rows;
  let rowsB: Rows;

  const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'authenticated', sub: userId }, fn);
  const asWorker = <T>(orgId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'worker', org_id: orgId }, fn);
  const refused = (code: string) => expect.objectContaining({ code });
  /** Rows a statement touched, or the SQLSTATE that refused it: both mean "not written" when 0 or 42501. */
  const touched = (p: Promise<unknown[]>) => p.then((rows) => rows.length, (e: { code?: string }) => e.code);
  const sha = () => randomUUID().replaceAll('-', '').repeat(2);

  /** One row in every bots table, written as the migration owner. */
  async function seed(orgId: string): Promise<Rows> {
    const one = async (q: Promise<{ id: string }[]>) => (await q)[0]!.id;
    const botId = await one(owner`insert into public.bots (organization_id, name) values (${orgId}, ${`bot ${randomUUID()}`}) returning id`);
    const graphId = await one(owner`insert into public.chatbot_workflows (organization_id, bot_id) values (${orgId}, ${botId}) returning id`);
    const documentId = await one(owner`
      insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes)
      values (${orgId}, ${botId}, 'FAQ', 'faq', ${sha()}, 10) returning id`);
    const chunkId = await one(owner`
      insert into public.knowledge_chunks (organization_id, bot_id, document_id, position, heading, content)
      values (${orgId}, ${botId}, ${documentId}, 0, 'Deposits', 'A deposit of 30% books the date.') returning id`);
    const contactId = await one(owner`insert into public.contacts (organization_id, ghl_contact_id) values (${orgId}, ${`c-${randomUUID()}`}) returning id`);
    const sessionId = await one(owner`
      insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel) values (${orgId}, ${botId}, ${contactId}, 'sms') returning id`);
    const messageId = await one(owner`
      insert into public.conversation_messages (organization_id, session_id, role, text) values (${orgId}, ${sessionId}, 'user', 'hello') returning id`);
    return { botId, graphId, documentId, chunkId, contactId, sessionId, messageId };
  }

  const TABLES: Array<[string, keyof Rows]> = [
    ['bots', 'botId'],
    ['chatbot_workflows', 'graphId'],
    ['knowledge_documents', 'documentId'],
    ['knowledge_chunks', 'chunkId'],
    ['conversation_sessions', 'sessionId'],
    ['conversation_messages', 'messageId'],
  ];

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    a = await createTenant(owner, 'bots-a');
    b = await createTenant(owner, 'bots-b');
    rowsA = await seed(a.orgId);
    rowsB = await seed(b.orgId);
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  describe.each(TABLES)('%s', (table, key) => {
    it("is invisible and unwritable to another organization's owner", async () => {
      const id = rowsA[key];
      const seen = await asUser(b.users.owner.userId, (tx) => tx.unsafe(`select id from public.${table} where id = $1`, [id]));
      expect(seen).toHaveLength(0);
      const updated = await touched(asUser(b.users.owner.userId, (tx) => tx.unsafe(`update public.${table} set organization_id = organization_id where id = $1 returning id`, [id])));
      expect([0, '42501']).toContain(updated);
      const deleted = await touched(asUser(b.users.owner.userId, (tx) => tx.unsafe(`delete from public.${table} where id = $1 returning id`, [id])));
      expect([0, '42501']).toContain(deleted);
      expect(await owner.unsafe(`select id from public.${table} where id = $1`, [id])).toHaveLength(1);
    });

    it("is invisible and unwritable to a worker acting for another organization", async () => {
      const id = rowsA[key];
      expect(await asWorker(b.orgId, (tx) => tx.unsafe(`select id from public.${table} where id = $1`, [id]))).toHaveLength(0);
      const updated = await touched(asWorker(b.orgId, (tx) => tx.unsafe(`update public.${table} set organization_id = organization_id where id = $1 returning id`, [id])));
      expect([0, '42501']).toContain(updated);
    });

    it('is visible to its own organization and its own worker', async () => {
      const id = rowsA[key];
      expect(await asUser(a.users.owner.userId, (tx) => tx.unsafe(`select id from public.${table} where id = $1`, [id]))).toHaveLength(1);
      expect(await asWorker(a.orgId, (tx) => tx.unsafe(`select id from public.${table} where id = $1`, [id]))).toHaveLength(1);
    });
  });

  it('refuses rows written into another organization, by users and by workers', async () => {
    await expect(asUser(b.users.owner.userId, (tx) => tx`insert into public.bots (organization_id, name) values (${a.orgId}, 'intruder')`)).rejects.toEqual(refused('42501'));
    await expect(asWorker(b.orgId, (tx) => tx`
      insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes)
      values (${a.orgId}, ${rowsA.botId}, 'x', 'text', ${sha()}, 1)`)).rejects.toEqual(refused('42501'));
    await expect(asWorker(b.orgId, (tx) => tx`
      insert into public.conversation_messages (organization_id, session_id, role, text) values (${a.orgId}, ${rowsA.sessionId}, 'assistant', 'hi')`)).rejects.toEqual(refused('42501'));
  });

  it("never lets a row of one organization point at another organization's parent", async () => {
    // Written as the owner (RLS bypassed): the composite foreign keys alone refuse it.
    await expect(owner`
      insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes)
      values (${b.orgId}, ${rowsA.botId}, 'x', 'text', ${sha()}, 1)`).rejects.toEqual(refused('23503'));
    await expect(owner`
      insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel) values (${b.orgId}, ${rowsB.botId}, ${rowsA.contactId}, 'sms')`).rejects.toEqual(refused('23503'));
    await expect(owner`
      insert into public.conversation_messages (organization_id, session_id, role) values (${b.orgId}, ${rowsA.sessionId}, 'user')`).rejects.toEqual(refused('23503'));
    // A chunk belongs to a document of its own bot.
    await expect(owner`
      insert into public.knowledge_chunks (organization_id, bot_id, document_id, position, content)
      values (${b.orgId}, ${rowsB.botId}, ${rowsA.documentId}, 9, 'x')`).rejects.toEqual(refused('23503'));
  });

  it('lets a bot trainer manage bots and knowledge, and a viewer only read them', async () => {
    const trainer = a.users.bot_trainer.userId;
    const botId = await asUser(trainer, async (tx) => {
      const [bot] = await tx<{ id: string; created_by: string }[]>`
        insert into public.bots (organization_id, name, mode, channels, guardrails, created_by)
        values (${a.orgId}, 'Trainer bot', 'suggest', ${['sms', 'web']}, ${tx.json({ max_tool_calls_per_turn: 3 })}, ${randomUUID()})
        returning id, created_by`;
      expect(bot!.created_by).toBe(trainer);
      await tx`insert into public.chatbot_workflows (organization_id, bot_id) values (${a.orgId}, ${bot!.id})`;
      const [doc] = await tx<{ id: string }[]>`
        insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes)
        values (${a.orgId}, ${bot!.id}, 'Prices', 'markdown', ${sha()}, 5) returning id`;
      await tx`insert into public.knowledge_chunks (organization_id, bot_id, document_id, position, content) values (${a.orgId}, ${bot!.id}, ${doc!.id}, 0, 'Prices')`;
      await tx`update public.bots set mode = 'auto' where id = ${bot!.id}`;
      await tx`delete from public.knowledge_documents where id = ${doc!.id}`;
      return bot!.id;
    });

    const viewer = a.users.viewer.userId;
    expect(await asUser(viewer, (tx) => tx`select id from public.bots where id = ${botId}`)).toHaveLength(1);
    await expect(asUser(viewer, (tx) => tx`insert into public.bots (organization_id, name) values (${a.orgId}, 'viewer bot')`)).rejects.toEqual(refused('42501'));
    await expect(asUser(viewer, (tx) => tx`
      insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes)
      values (${a.orgId}, ${botId}, 'x', 'text', ${sha()}, 1)`)).rejects.toEqual(refused('42501'));
    expect(await asUser(viewer, (tx) => tx`update public.bots set mode = 'off' where id = ${botId} returning id`)).toHaveLength(0);
    expect(await asUser(viewer, (tx) => tx`delete from public.bots where id = ${botId} returning id`)).toHaveLength(0);
    // Sales reps have no bots permission at all.
    expect(await asUser(a.users.sales.userId, (tx) => tx`select id from public.bots where id = ${botId}`)).toHaveLength(0);
  });

  it('audits changes to bots and knowledge documents', async () => {
    const [bot] = await asUser(a.users.bot_trainer.userId, (tx) => tx<{ id: string }[]>`
      insert into public.bots (organization_id, name) values (${a.orgId}, 'Audited bot') returning id`);
    await asUser(a.users.bot_trainer.userId, (tx) => tx`update public.bots set instructions = 'Be brief.' where id = ${bot!.id}`);
    const trail = await owner<{ operation: string; changed_columns: string[] }[]>`
      select operation, changed_columns from public.audit_log where table_name = 'bots' and row_id = ${bot!.id} order by created_at`;
    expect(trail.map((r) => r.operation)).toEqual(['INSERT', 'UPDATE']);
    expect(trail[1]!.changed_columns).toEqual(['instructions']);
  });

  it('lets a trainer take over a conversation and reply as a human agent, but not speak as the bot', async () => {
    const trainer = a.users.bot_trainer.userId;
    await asUser(trainer, (tx) => tx`update public.conversation_sessions set status = 'handed_off', handed_off_at = now() where id = ${rowsA.sessionId}`);
    const [msg] = await asUser(trainer, (tx) => tx<{ author_user_id: string }[]>`
      insert into public.conversation_messages (organization_id, session_id, role, text) values (${a.orgId}, ${rowsA.sessionId}, 'human_agent', 'Hi, Anna here') returning author_user_id`);
    expect(msg!.author_user_id).toBe(trainer);
    await expect(asUser(trainer, (tx) => tx`
      insert into public.conversation_messages (organization_id, session_id, role, text) values (${a.orgId}, ${rowsA.sessionId}, 'assistant', 'fake')`)).rejects.toEqual(refused('42501'));
    await expect(asUser(a.users.viewer.userId, (tx) => tx`
      insert into public.conversation_messages (organization_id, session_id, role, text) values (${a.orgId}, ${rowsA.sessionId}, 'human_agent', 'x')`)).rejects.toEqual(refused('42501'));
  });

  it('lets a worker read bots and knowledge, ingest knowledge, and write sessions and messages, but not edit bots', async () => {
    let sentId = '';
    await expect(asWorker(a.orgId, (tx) => tx`update public.bots set mode = 'auto' where id = ${rowsA.botId}`)).rejects.toEqual(refused('42501'));
    await asWorker(a.orgId, async (tx) => {
      const [doc] = await tx<{ id: string }[]>`
        insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes)
        values (${a.orgId}, ${rowsA.botId}, 'Worker doc', 'text', ${sha()}, 3) returning id`;
      await tx`insert into public.knowledge_chunks (organization_id, bot_id, document_id, position, content) values (${a.orgId}, ${rowsA.botId}, ${doc!.id}, 0, 'abc')`;
      await tx`update public.knowledge_documents set status = 'ready', chunk_count = 1 where id = ${doc!.id}`;
      await tx`update public.conversation_sessions set auto_messages_sent = auto_messages_sent + 1, last_message_at = now() where id = ${rowsA.sessionId}`;
      const [m] = await tx<{ id: string }[]>`
        insert into public.conversation_messages (organization_id, session_id, role, text, trace, idempotency_key)
        values (${a.orgId}, ${rowsA.sessionId}, 'assistant', 'Hello!', ${tx.json({ retrieved: [] })}, ${`reply-${randomUUID()}`}) returning id`;
      // Sent: the channel's id of the reply is recorded with its delivery, once.
      await tx`update public.conversation_messages set delivered_at = now(), external_message_id = ${`ghl-${randomUUID()}`} where id = ${m!.id}`;
      sentId = m!.id;
    });
    await expect(asWorker(a.orgId, (tx) => tx`update public.conversation_messages set text = 'rewritten' where id = ${rowsA.messageId}`)).rejects.toEqual(refused('FL409'));
    await expect(asWorker(a.orgId, (tx) => tx`update public.conversation_messages set external_message_id = 'another' where id = ${sentId}`)).rejects.toEqual(refused('FL409'));
  });

  it('keeps one open conversation per bot and contact', async () => {
    const contactId = (await owner<{ id: string }[]>`insert into public.contacts (organization_id, ghl_contact_id) values (${a.orgId}, ${`c-${randomUUID()}`}) returning id`)[0]!.id;
    const open = (channel: string) => asWorker(a.orgId, (tx) => tx<{ id: string }[]>`
      insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel) values (${a.orgId}, ${rowsA.botId}, ${contactId}, ${channel}) returning id`);
    const [first] = await open('sms');
    await expect(open('email')).rejects.toEqual(refused('23505'));
    await asWorker(a.orgId, (tx) => tx`update public.conversation_sessions set status = 'closed', closed_at = now(), closed_reason = 'idle' where id = ${first!.id}`);
    await expect(open('email')).resolves.toHaveLength(1);
  });

  it('dedupes inbound messages by GHL id and replies by idempotency key, per organization', async () => {
    const insert = (orgId: string, sessionId: string, cols: { external?: string; key?: string }) => asWorker(orgId, (tx) => tx`
      insert into public.conversation_messages (organization_id, session_id, role, text, external_message_id, idempotency_key)
      values (${orgId}, ${sessionId}, 'user', 'hi', ${cols.external ?? null}, ${cols.key ?? null})`);
    const external = `ghl-msg-${randomUUID()}`;
    await insert(a.orgId, rowsA.sessionId, { external });
    await expect(insert(a.orgId, rowsA.sessionId, { external })).rejects.toEqual(refused('23505'));
    await insert(b.orgId, rowsB.sessionId, { external });
    const key = `conversation:${a.orgId}:turn-1`;
    await insert(a.orgId, rowsA.sessionId, { key });
    await expect(insert(a.orgId, rowsA.sessionId, { key })).rejects.toEqual(refused('23505'));
    // Messages without either key are never in conflict.
    await insert(a.orgId, rowsA.sessionId, {});
    await insert(a.orgId, rowsA.sessionId, {});
  });

  it('keeps one document per content and bot', async () => {
    const hash = sha();
    const add = (botId: string) => owner`
      insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, content_sha256, size_bytes)
      values (${a.orgId}, ${botId}, 'Same', 'text', ${hash}, 4)`;
    await add(rowsA.botId);
    await expect(add(rowsA.botId)).rejects.toEqual(refused('23505'));
    const otherBot = (await owner<{ id: string }[]>`insert into public.bots (organization_id, name) values (${a.orgId}, ${`other ${randomUUID()}`}) returning id`)[0]!.id;
    await add(otherBot);
  });

  it('never changes a published bot graph', async () => {
    const [published] = await asUser(a.users.bot_trainer.userId, (tx) => tx<{ id: string; published: boolean }[]>`
      insert into public.chatbot_workflows (organization_id, bot_id, version, ir, hash)
      values (${a.orgId}, ${rowsA.botId}, 1, ${tx.json({ nodes: [] })}, 'h1') returning id, published`);
    expect(published!.published).toBe(true);
    await expect(asUser(a.users.bot_trainer.userId, (tx) => tx`update public.chatbot_workflows set hash = 'h2' where id = ${published!.id}`)).rejects.toEqual(refused('FL409'));
    await asUser(a.users.bot_trainer.userId, (tx) => tx`update public.chatbot_workflows set definition = ${tx.json({ nodes: [{ id: 'n1' }], edges: [] })} where id = ${rowsA.graphId}`);
  });

  it('ranks chunks by the generated tsvector, headings first', async () => {
    const rows = await asWorker(a.orgId, (tx) => tx<{ id: string }[]>`
      select id from public.knowledge_chunks where bot_id = ${rowsA.botId} and tsv @@ websearch_to_tsquery('english', 'deposit')`);
    expect(rows.map((r) => r.id)).toContain(rowsA.chunkId);
  });
});
