// A bot's conversations and their transcripts over HTTP, as the roles that read them.
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import type { RunningApp } from '../helpers/app';
import { createContact } from '../helpers/integrations';
import { useAppStack } from '../helpers/stack';
import { createTenant, type Tenant } from '../helpers/tenants';

describe('bot conversations API', () => {
  const stack = useAppStack();
  let sql: Sql;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let viewer: string;
  let trainer: string;
  let sales: string;
  let stranger: string;
  let botId: string;
  let older: string;
  let newer: string;
  let quiet: string;
  let adaId: string;

  const api = (token: string, p: string, orgId = t.orgId) => call(app.url, 'GET', `/api/v1/orgs/${orgId}${p}`, { token });

  beforeAll(async () => {
    sql = stack.sql;
    app = stack.app;
    t = await createTenant(sql, 'conv-api');
    other = await createTenant(sql, 'conv-api-other');
    viewer = await tokenFor(app.auth, t.users.viewer.userId);
    trainer = await tokenFor(app.auth, t.users.bot_trainer.userId);
    sales = await tokenFor(app.auth, t.users.sales.userId);
    stranger = await tokenFor(app.auth, other.users.owner.userId);

    // Fixtures written as the database owner: three sessions of one bot, one of another.
    const [bot] = await sql<{ id: string }[]>`insert into public.bots (organization_id, name) values (${t.orgId}, 'Front desk') returning id`;
    botId = bot!.id;
    const [otherBot] = await sql<{ id: string }[]>`insert into public.bots (organization_id, name) values (${t.orgId}, 'Other bot') returning id`;
    adaId = await createContact(sql, t.orgId, 'Ada Lovelace');
    const grace = await createContact(sql, t.orgId, 'Grace Hopper');
    const linus = await createContact(sql, t.orgId, 'Linus');
    const session = async (bot: string, contact: string, status: string, lastMessageAt: string | null) => {
      const [row] = await sql<{ id: string }[]>`
        insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel, status, last_message_at, closed_at, closed_reason)
        values (${t.orgId}, ${bot}, ${contact}, 'web', ${status}, ${lastMessageAt}, ${status === 'closed' ? new Date() : null}, ${status === 'closed' ? 'idle' : null})
        returning id`;
      return row!.id;
    };
    older = await session(botId, adaId, 'closed', '2026-11-01T10:00:00.123456Z');
    newer = await session(botId, grace, 'handed_off', '2026-11-02T10:00:00.000001Z');
    quiet = await session(botId, linus, 'active', null);
    await session(otherBot!.id, adaId, 'active', '2026-11-03T10:00:00Z');
    await sql`update public.conversation_sessions set goal_state = ${sql.json({ book_call: { reached: true } })} where id = ${older}`;

    const trace = {
      prompt: [{ role: 'system', content: 'You are Front desk.' }],
      retrieved: [{ chunkId: '00000000-0000-4000-8000-000000000001', score: 0.82, heading: 'Do you travel?' }],
      toolCalls: [{ id: 'call_1', name: 'add_tag', arguments: { tag: 'travel' }, result: { ok: true } }],
      model: 'sandbox',
    };
    const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 9, 0, s));
    await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text, created_at)
      values (${t.orgId}, ${older}, 'user', 'web', 'Do you travel?', ${at(1)})`;
    await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text, tool_calls, trace, created_at)
      values (${t.orgId}, ${older}, 'assistant', 'web', 'Yes, anywhere in the state.', ${sql.json(trace.toolCalls)}, ${sql.json(trace)}, ${at(2)})`;
    await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text, created_at)
      values (${t.orgId}, ${older}, 'user', 'web', 'Thanks!', ${at(3)})`;
    await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text)
      values (${t.orgId}, ${newer}, 'user', 'web', 'A person please')`;
  });

  it("lists a bot's sessions newest first with contact names and message counts, paged and by contact", async () => {
    const res = await api(viewer, `/bots/${botId}/conversations`);
    expect(res.status).toBe(200);
    // A session without messages sorts by when it started (now): first.
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual([quiet, newer, older]);
    expect(res.body.items[2]).toEqual({
      id: older,
      botId,
      contactId: adaId,
      contactName: 'Ada Lovelace',
      channel: 'web',
      status: 'closed',
      lastMessageAt: '2026-11-01T10:00:00.123Z',
      messageCount: 3,
      goalState: { book_call: { reached: true } },
      createdAt: expect.any(String),
    });
    expect(res.body.items[1]).toMatchObject({ contactName: 'Grace Hopper', status: 'handed_off', messageCount: 1 });
    expect(res.body.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const pageRes = await api(trainer, `/bots/${botId}/conversations?limit=1${q}`);
      expect(pageRes.status).toBe(200);
      expect(pageRes.body.items).toHaveLength(1);
      seen.push(pageRes.body.items[0].id);
      cursor = pageRes.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([quiet, newer, older]);

    const ada = await api(viewer, `/bots/${botId}/conversations?contactId=${adaId}`);
    expect(ada.body.items.map((s: { id: string }) => s.id)).toEqual([older]);
    expect((await api(viewer, `/bots/${botId}/conversations?cursor=nope`)).status).toBe(422);
    expect((await api(viewer, `/bots/${botId}/conversations?limit=0`)).status).toBe(422);
  });

  it('reads a transcript in order with the trace of each reply', async () => {
    const res = await api(viewer, `/conversations/${older}/messages`);
    expect(res.status).toBe(200);
    expect(res.body.conversation).toMatchObject({ id: older, botId, status: 'closed', messageCount: 3, goalState: { book_call: { reached: true } } });
    expect(res.body.items.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
      ['user', 'Do you travel?'],
      ['assistant', 'Yes, anywhere in the state.'],
      ['user', 'Thanks!'],
    ]);
    const reply = res.body.items[1];
    expect(reply.toolCalls).toEqual([{ id: 'call_1', name: 'add_tag', arguments: { tag: 'travel' }, result: { ok: true } }]);
    expect(reply.trace).toMatchObject({ model: 'sandbox', retrieved: [{ score: 0.82, heading: 'Do you travel?' }] });
    expect(res.body.items[0].trace).toBeNull();
    expect(res.body.items[0].createdAt).toBe('2026-11-01T09:00:01.000Z');
  });

  it('refuses roles without conversations:read and answers 404 for what is not the org', async () => {
    expect((await api(sales, `/bots/${botId}/conversations`)).status).toBe(403);
    expect((await api(sales, `/conversations/${older}/messages`)).status).toBe(403);
    // Another organization's member: neither through their own org nor through this one.
    expect((await api(stranger, `/bots/${botId}/conversations`, other.orgId)).status).toBe(404);
    expect((await api(stranger, `/conversations/${older}/messages`, other.orgId)).status).toBe(404);
    expect((await api(stranger, `/bots/${botId}/conversations`)).status).toBe(404);
    expect((await api(stranger, `/conversations/${older}/messages`)).status).toBe(404);
    expect((await api(viewer, `/conversations/00000000-0000-4000-8000-000000000000/messages`)).status).toBe(404);
    expect((await api(viewer, `/bots/not-a-uuid/conversations`)).status).toBe(404);
  });
});
