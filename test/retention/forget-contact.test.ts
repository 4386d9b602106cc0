import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { type RunningApp, startApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createFlowFixtures } from '../helpers/flows';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient } from '../helpers/worker';

/** Waits until Temporal no longer knows the execution (its deletion is processed in the background). */
async function gone(client: Client, workflowId: string): Promise<boolean> {
  for (let i = 0; i < 100; i += 1) {
    const found = await client.workflow
      .getHandle(workflowId)
      .describe()
      .then(() => true)
      .catch((err: Error) => {
        if (/not found/i.test(err.message)) return false;
        throw err;
      });
    if (!found) return true;
    await sleep(200);
  }
  return false;
}

describe('forget a contact (POST /contacts/:id/forget)', () => {
  let sql: Sql;
  let app: RunningApp;
  let temporal: { client: Client; close(): Promise<void> };
  beforeAll(async () => {
    sql = testSql();
    // No worker polls this queue: the conversation's workflow stays running until it is deleted.
    app = await startApp({ taskQueue: `forget-${randomUUID()}` });
    temporal = await connectClient();
  });
  afterAll(async () => {
    await temporal?.close();
    await app?.close();
    await sql?.end();
  });

  const token = (t: Tenant, role: keyof Tenant['users']) => tokenFor(app.auth, t.users[role].userId);

  async function person(t: Tenant) {
    const ghlId = `ghl-forget-${randomUUID()}`;
    const email = `ada-${randomUUID().slice(0, 8)}@example.test`;
    const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const [c] = await sql<{ id: string }[]>`
      insert into public.contacts (organization_id, ghl_contact_id, name, email, phone) values (${t.orgId}, ${ghlId}, 'Ada Lovelace', ${email}, ${phone}) returning id`;
    return { id: c!.id, ghlId, email, phone };
  }

  it("removes the contact's personal data everywhere, logs it without the data, and keeps it from coming back", async () => {
    const t = await createTenant(sql, 'forget');
    const ada = await person(t);
    const other = await person(t);

    // A conversation whose workflow is still running.
    const conversationWorkflowId = `conversation:${t.orgId}:${randomUUID()}`;
    await temporal.client.workflow.start('dataRetentionWorkflow', { taskQueue: `forget-idle-${randomUUID()}`, workflowId: conversationWorkflowId, args: [{ kinds: [] }] });
    const [bot] = await sql<{ id: string }[]>`insert into public.bots (organization_id, name) values (${t.orgId}, 'Helper') returning id`;
    const [session] = await sql<{ id: string }[]>`
      insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel, temporal_workflow_id)
      values (${t.orgId}, ${bot!.id}, ${ada.id}, 'sms', ${conversationWorkflowId}) returning id`;
    await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text) values
      (${t.orgId}, ${session!.id}, 'user', 'sms', 'my address is 12 Crescent Road'),
      (${t.orgId}, ${session!.id}, 'assistant', 'sms', 'Thanks!')`;

    // Flow runs: one started by Ada's event (input), one whose step output holds her phone, one about someone else.
    const flow = await createFlowFixtures(sql, t);
    const run = async (input: unknown) => {
      const [row] = await sql<{ id: string }[]>`
        insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type, status, input, temporal_workflow_id)
        values (${t.orgId}, ${flow.workflowId}, ${flow.versionId}, 1, 'event', 'succeeded', ${sql.json(input as never)}, ${`flow:${randomUUID()}`}) returning id`;
      return row!.id;
    };
    const byInput = await run({ contact: { id: ada.ghlId, email: ada.email.toUpperCase() } });
    const byStep = await run({ contact: { id: 'someone' } });
    await sql`insert into public.execution_steps (organization_id, execution_id, node_id, node_type, output)
      values (${t.orgId}, ${byStep}, 'lookup', 'ghl.getContact', ${sql.json({ phone: ada.phone })})`;
    const unrelated = await run({ contact: { id: other.ghlId, email: other.email } });

    await sql`insert into public.ghl_webhook_events (organization_id, webhook_id, type, location_id, body, processed_at) values
      (${t.orgId}, ${`w-${randomUUID()}`}, 'ContactUpdate', 'loc', ${sql.json({ type: 'ContactUpdate', id: ada.ghlId, email: ada.email })}, now()),
      (${t.orgId}, ${`w-${randomUUID()}`}, 'ContactUpdate', 'loc', ${sql.json({ type: 'ContactUpdate', id: other.ghlId })}, now())`;
    const [mentioning] = await sql<{ id: string }[]>`
      insert into public.audit_log (organization_id, table_name, operation, diff) values (${t.orgId}, 'sales_transactions', 'INSERT', ${sql.json({ note: { new: `paid by ${ada.email}` } })}) returning id`;

    // Who may forget: contacts:delete (owner, administrator), in their own organization.
    expect((await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/contacts/${ada.id}/forget`, { token: await token(t, 'sales') })).status).toBe(403);
    const stranger = await createTenant(sql, 'forget-stranger');
    const cross = await call(app.url, 'POST', `/api/v1/orgs/${stranger.orgId}/contacts/${ada.id}/forget`, { token: await token(stranger, 'owner') });
    expect(cross.status).toBe(404);
    expect(cross.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const res = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/contacts/${ada.id}/forget`, { token: await token(t, 'administrator') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      forgotten: true,
      removed: { conversations: 1, messages: 2, executions: 2, webhookEvents: 1, auditEntriesRedacted: 1 },
      temporalHistories: { failed: [] },
    });

    expect(await sql`select 1 from public.contacts where id = ${ada.id}`).toHaveLength(0);
    expect(await sql`select 1 from public.conversation_messages where session_id = ${session!.id}`).toHaveLength(0);
    const runs = await sql<{ id: string }[]>`select id from public.executions where id in ${sql([byInput, byStep, unrelated])}`;
    expect(runs.map((r) => r.id)).toEqual([unrelated]);
    const events = await sql<{ body: unknown }[]>`select body from public.ghl_webhook_events where organization_id = ${t.orgId}`;
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(ada.ghlId);
    const [redacted] = await sql<{ diff: unknown }[]>`select diff from public.audit_log where id = ${mentioning!.id}`;
    expect(redacted!.diff).toEqual({ redacted: 'contact forgotten' });
    // Nothing of Ada is left in the organization's tables that hold free-form data.
    const leftovers = await sql`
      select 1 from public.audit_log where organization_id = ${t.orgId} and lower(diff::text) like ${`%${ada.email}%`}
      union all select 1 from public.executions where organization_id = ${t.orgId} and input::text like ${`%${ada.ghlId}%`}`;
    expect(leftovers).toHaveLength(0);
    expect((await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/contacts/${ada.id}`, { token: await token(t, 'owner') })).status).toBe(404);

    // The trail says it happened, by whom, and how much, never who.
    const trail = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/audit-log?table=contacts`, { token: await token(t, 'owner') });
    expect(trail.status).toBe(200);
    const entry = (trail.body.items as { rowId: string; changedColumns: string[]; actorUserId: string }[]).find((i) => i.rowId === ada.id);
    expect(entry).toMatchObject({ changedColumns: ['forgotten'], actorUserId: t.users.administrator.userId });
    expect(JSON.stringify(entry)).not.toContain(ada.email);
    expect(JSON.stringify(entry)).not.toContain('Lovelace');

    // Temporal's copy goes too.
    expect(await gone(temporal.client, conversationWorkflowId)).toBe(true);

    // A later sync or webhook does not bring Ada back into this organization; another organization is unaffected.
    const again = await sql`insert into public.contacts (organization_id, ghl_contact_id, name) values (${t.orgId}, ${ada.ghlId}, 'Ada Lovelace') returning id`;
    expect(again).toHaveLength(0);
    const elsewhere = await sql`insert into public.contacts (organization_id, ghl_contact_id, name) values (${stranger.orgId}, ${ada.ghlId}, 'Ada Lovelace') returning id`;
    expect(elsewhere).toHaveLength(1);
    // The other contact is untouched.
    expect(await sql`select 1 from public.contacts where id = ${other.id}`).toHaveLength(1);

    // Forgetting again: there is nothing left to forget.
    expect((await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/contacts/${ada.id}/forget`, { token: await token(t, 'owner') })).status).toBe(404);
  });
});
