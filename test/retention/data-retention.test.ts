import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localReceiptStorage } from '../../activities/receipts/storage';
import type { Sql } from '../../db/client';
import { testSql } from '../helpers/db';
import { createFlowFixtures } from '../helpers/flows';
import { createContact } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

/** Every file under dir, recursively, relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.startsWith('.')) out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

describe('data retention (dataRetentionWorkflow on the dev server)', () => {
  let sql: Sql;
  let worker: RunningWorker;
  let archiveDir: string;
  let receiptsDir: string;
  beforeAll(async () => {
    sql = testSql();
    archiveDir = mkdtempSync(path.join(os.tmpdir(), 'flowline-archive-'));
    receiptsDir = mkdtempSync(path.join(os.tmpdir(), 'flowline-receipts-'));
    worker = await startWorker({
      archive: localReceiptStorage(archiveDir),
      receipts: { storage: localReceiptStorage(receiptsDir), model: 'gpt-4o-mini' },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await sql?.end();
    rmSync(archiveDir, { recursive: true, force: true });
    rmSync(receiptsDir, { recursive: true, force: true });
  });

  async function run(orgId: string, batch?: number): Promise<Record<string, { deleted: number; archived: number; filesRemoved: number }>> {
    const { client, close } = await connectClient();
    try {
      return await client.workflow.execute('dataRetentionWorkflow', {
        taskQueue: worker.taskQueue,
        workflowId: `retention-test-${randomUUID()}`,
        args: [{ orgId, ...(batch ? { batch } : {}) }],
      });
    } finally {
      await close();
    }
  }

  async function closedConversation(t: Tenant, closedDaysAgo: number, text: string): Promise<string> {
    const [bot] = await sql<{ id: string }[]>`insert into public.bots (organization_id, name) values (${t.orgId}, ${`Bot ${randomUUID()}`}) returning id`;
    const contactId = await createContact(sql, t.orgId);
    const [s] = await sql<{ id: string }[]>`
      insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel, status, closed_at, closed_reason)
      values (${t.orgId}, ${bot!.id}, ${contactId}, 'web', 'closed', now() - make_interval(days => ${closedDaysAgo}), 'idle') returning id`;
    await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text) values (${t.orgId}, ${s!.id}, 'user', 'web', ${text})`;
    return s!.id;
  }

  async function auditEntry(orgId: string, daysAgo: number, marker: string): Promise<string> {
    const [row] = await sql<{ id: string }[]>`
      insert into public.audit_log (organization_id, table_name, operation, diff, created_at)
      values (${orgId}, 'workflows', 'UPDATE', ${sql.json({ name: { new: marker } })}, now() - make_interval(days => ${daysAgo})) returning id`;
    return row!.id;
  }

  it("deletes what outlived each organization's retention, archives first where asked, and keeps the rest", async () => {
    const a = await createTenant(sql, 'retain-archive');
    const b = await createTenant(sql, 'retain-defaults');
    await sql`update public.organizations set settings = settings || ${sql.json({ conversationRetentionDays: 30, auditRetentionDays: 90, trashRetentionDays: 7, archiveBeforeDelete: true })}
      where id = ${a.orgId}`;

    const aOldConversation = await closedConversation(a, 40, 'please call me about the roof');
    const aRecentConversation = await closedConversation(a, 10, 'recent');
    const bFortyDays = await closedConversation(b, 40, 'kept by the 365-day default');
    // An open conversation is never old enough, whatever its age.
    const [openBot] = await sql<{ id: string }[]>`insert into public.bots (organization_id, name) values (${a.orgId}, 'Open') returning id`;
    const [open] = await sql<{ id: string }[]>`
      insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel, created_at)
      values (${a.orgId}, ${openBot!.id}, ${await createContact(sql, a.orgId)}, 'web', now() - interval '900 days') returning id`;

    const aOldAudit = await auditEntry(a.orgId, 100, 'old-a');
    const aRecentAudit = await auditEntry(a.orgId, 20, 'recent-a');
    const bHundredDays = await auditEntry(b.orgId, 100, 'kept-b');

    await sql`insert into public.ghl_webhook_events (organization_id, webhook_id, type, location_id, body, received_at, processed_at) values
      (${a.orgId}, 'old-processed', 'ContactCreate', 'loc', '{}', now() - interval '40 days', now() - interval '40 days'),
      (${a.orgId}, 'old-waiting', 'ContactCreate', 'loc', '{}', now() - interval '40 days', null),
      (${a.orgId}, 'recent', 'ContactCreate', 'loc', '{}', now() - interval '2 days', now())`;

    const [trashedBot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, deleted_at) values (${a.orgId}, 'Trashed long ago', now() - interval '8 days') returning id`;
    const [restorableBot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, deleted_at) values (${a.orgId}, 'Trashed yesterday', now() - interval '1 day') returning id`;
    const trashedContact = await createContact(sql, a.orgId, 'Gone Contact');
    await sql`update public.contacts set deleted_at = now() - interval '8 days' where id = ${trashedContact}`;

    const receiptId = randomUUID();
    const storageKey = `${a.orgId}/${receiptId}`;
    await localReceiptStorage(receiptsDir).put(storageKey, Buffer.from('%PDF-1.4 receipt'), 'application/pdf');
    await sql`insert into public.opportunity_receipts (id, organization_id, ghl_opportunity_id, uploaded_by, file_name, content_type, size_bytes, sha256, storage_key, status, deleted_at)
      values (${receiptId}, ${a.orgId}, 'opp-1', ${a.users.owner.userId}, 'r.pdf', 'application/pdf', 16, ${'a'.repeat(64)}, ${storageKey}, 'uploaded', now() - interval '8 days')`;

    const flowA = await createFlowFixtures(sql, a);
    await sql`update public.workflows set deleted_at = now() - interval '8 days' where id = ${flowA.workflowId}`;
    const [gone, paid] = await sql<{ id: string }[]>`
      insert into public.team_members (organization_id, full_name, deleted_at) values
        (${a.orgId}, 'Left long ago', now() - interval '8 days'),
        (${a.orgId}, 'Left, but was paid', now() - interval '8 days')
      returning id`;
    await sql`insert into public.commission_payouts (organization_id, team_member_id, period_start, period_end, currency, total_minor)
      values (${a.orgId}, ${paid!.id}, '2026-01-01', '2026-01-31', 'USD', 12500)`;

    // Small batches: the run loops until nothing is left.
    const result = await run(a.orgId, 1);
    expect(result.conversations).toEqual({ deleted: 1, archived: 1, filesRemoved: 0 });
    expect(result.audit_log!.deleted).toBe(1);
    expect(result.webhook_events).toEqual({ deleted: 1, archived: 0, filesRemoved: 0 });
    expect(result.trash_bots!.deleted).toBe(1);
    expect(result.trash_contacts!.deleted).toBe(1);
    expect(result.trash_receipts).toEqual({ deleted: 1, archived: 1, filesRemoved: 1 });
    expect(result.trash_workflows!.deleted).toBe(1);
    expect(result.trash_team_members!.deleted).toBe(1);

    const sessions = await sql<{ id: string }[]>`select id from public.conversation_sessions where id in ${sql([aOldConversation, aRecentConversation, bFortyDays, open!.id])}`;
    expect(sessions.map((r) => r.id).sort()).toEqual([aRecentConversation, bFortyDays, open!.id].sort());
    const messages = await sql`select 1 from public.conversation_messages where session_id = ${aOldConversation}`;
    expect(messages).toHaveLength(0);
    const audit = await sql<{ id: string }[]>`select id from public.audit_log where id in ${sql([aOldAudit, aRecentAudit, bHundredDays])}`;
    expect(audit.map((r) => r.id).sort()).toEqual([aRecentAudit, bHundredDays].sort());
    const events = await sql<{ webhook_id: string }[]>`select webhook_id from public.ghl_webhook_events where organization_id = ${a.orgId} order by webhook_id`;
    expect(events.map((e) => e.webhook_id)).toEqual(['old-waiting', 'recent']);
    const bots = await sql<{ id: string }[]>`select id from public.bots where id in ${sql([trashedBot!.id, restorableBot!.id])}`;
    expect(bots.map((r) => r.id)).toEqual([restorableBot!.id]);
    expect(await sql`select 1 from public.contacts where id = ${trashedContact}`).toHaveLength(0);
    expect(await sql`select 1 from public.opportunity_receipts where id = ${receiptId}`).toHaveLength(0);
    expect(await localReceiptStorage(receiptsDir).getBytes(storageKey)).toBeNull();
    // The workflow went with its runs; the member with a payout stays, because the books name them.
    expect(await sql`select 1 from public.workflows where id = ${flowA.workflowId}`).toHaveLength(0);
    expect(await sql`select 1 from public.executions where id = ${flowA.executionId}`).toHaveLength(0);
    const members = await sql<{ id: string }[]>`select id from public.team_members where id in ${sql([gone!.id, paid!.id])}`;
    expect(members.map((m) => m.id)).toEqual([paid!.id]);

    // The archive: JSON lines per organization and kind, with the conversation's messages.
    const files = filesUnder(archiveDir);
    expect(files.every((f) => f.startsWith(`${a.orgId}/`))).toBe(true);
    const conversationFile = files.find((f) => f.startsWith(`${a.orgId}/conversations/`));
    expect(conversationFile).toMatch(/^[0-9a-f-]+\/conversations\/\d{4}\/\d{2}\/\d{2}\/\d{8}T\d{6}Z-[0-9a-f-]+\.jsonl$/);
    const lines = readFileSync(path.join(archiveDir, conversationFile!), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'conversations', organizationId: a.orgId, row: { id: aOldConversation, status: 'closed' } });
    expect(lines[0].row.messages.map((m: { text: string }) => m.text)).toEqual(['please call me about the roof']);
    const auditFile = files.find((f) => f.startsWith(`${a.orgId}/audit-log/`));
    expect(readFileSync(path.join(archiveDir, auditFile!), 'utf8')).toContain('old-a');
    expect(files.some((f) => f.startsWith(`${a.orgId}/webhook-events/`))).toBe(false);

    // Organization b archives nothing: its settings are the defaults, and nothing of it was old enough.
    const resultB = await run(b.orgId);
    expect(Object.values(resultB).every((r) => r.deleted === 0)).toBe(true);
  });

  it('keeps the audit log append-only for everyone outside the retention and forget functions', async () => {
    const t = await createTenant(sql, 'append-only');
    const id = await auditEntry(t.orgId, 1000, 'untouchable');
    // The migration owner, without the maintenance setting.
    await expect(sql`delete from public.audit_log where id = ${id}`).rejects.toThrow(/append-only/);
    // The setting alone is not enough: only the owner running the retention function passes.
    await expect(
      sql.begin(async (tx) => {
        await tx`select set_config('app.audit_maintenance', 'on', true)`;
        await tx`select set_config('role', 'worker', true)`;
        await tx`delete from public.audit_log where id = ${id}`;
      }),
    ).rejects.toThrow(/permission denied|append-only/);
    // A worker may not call the table directly, only the function, and people may not call it at all.
    await expect(
      sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify({ role: 'authenticated', sub: t.users.owner.userId })}, true), set_config('role', 'authenticated', true)`;
        await tx`select * from app.retention_take_audit_log(10, ${t.orgId}::uuid)`;
      }),
    ).rejects.toThrow(/permission denied/);
    expect(await sql`select 1 from public.audit_log where id = ${id}`).toHaveLength(1);
  });
});
