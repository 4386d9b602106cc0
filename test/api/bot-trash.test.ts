// The bot trash over HTTP on the real stack: a deleted bot is listed apart and comes back,
// switched off, within the organization's retention window (trashRetentionDays).
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import type { RunningApp } from '../helpers/app';
import { useAppStack } from '../helpers/stack';
import { createTenant, type Tenant } from '../helpers/tenants';

const DAY_MS = 86_400_000;

describe('bot trash', () => {
  const stack = useAppStack();
  let sql: Sql;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;

  beforeAll(async () => {
    sql = stack.sql;
    app = stack.app;
    t = await createTenant(sql, 'bot-trash');
    other = await createTenant(sql, 'bot-trash-other');
  });

  const as = async (tenant: Tenant, role: keyof Tenant['users'], method: string, path: string, body?: unknown, orgId = tenant.orgId) =>
    call(app.url, method, `/api/v1/orgs/${orgId}${path}`, { token: await tokenFor(app.auth, tenant.users[role].userId), body });

  const createBot = async (name: string, mode = 'suggest') => {
    const res = await as(t, 'bot_trainer', 'POST', '/bots', { name, mode, channels: ['web'] });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('lists a deleted bot in the trash and restores it turned off', async () => {
    const name = `Desk ${randomUUID()}`;
    const id = await createBot(name);
    expect((await as(t, 'bot_trainer', 'DELETE', `/bots/${id}`)).status).toBe(204);
    expect((await as(t, 'viewer', 'GET', '/bots')).body.items.map((b: any) => b.id)).not.toContain(id);
    const trash = await as(t, 'viewer', 'GET', '/bots?deleted=true');
    expect(trash.status).toBe(200);
    const item = trash.body.items.find((b: any) => b.id === id);
    expect(item).toMatchObject({ name, mode: 'off', deletedAt: expect.any(String) });
    expect(Date.parse(item.restorableUntil) - Date.parse(item.deletedAt)).toBe(30 * DAY_MS);

    const restored = await as(t, 'bot_trainer', 'POST', `/bots/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, name, mode: 'off', channels: ['web'] });
    expect(restored.body.deletedAt).toBeUndefined();
    expect((await as(t, 'viewer', 'GET', '/bots')).body.items.map((b: any) => b.id)).toContain(id);

    const again = await as(t, 'bot_trainer', 'POST', `/bots/${id}/restore`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('This bot is not deleted');
    const log = await as(t, 'owner', 'GET', '/audit-log?table=bots&limit=100');
    const entries = log.body.items.filter((e: any) => e.rowId === id && e.operation === 'UPDATE' && e.changedColumns.includes('deleted_at'));
    expect(entries.map((e: any) => [e.actorUserId, e.diff.deleted_at.new === null])).toEqual([
      [t.users.bot_trainer.userId, true],
      [t.users.bot_trainer.userId, false],
    ]);
  });

  it('refuses to restore a bot whose name another live bot took meanwhile (409 on name)', async () => {
    const name = `Twin ${randomUUID()}`;
    const first = await createBot(name);
    await as(t, 'bot_trainer', 'DELETE', `/bots/${first}`);
    await createBot(name);
    const refused = await as(t, 'bot_trainer', 'POST', `/bots/${first}/restore`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([{ path: 'name', message: expect.any(String) }]);
    expect((await sql`select deleted_at from public.bots where id = ${first}`)[0]!.deleted_at).not.toBeNull();
  });

  it('restores within the trash retention period only, for the roles allowed to delete bots, in their organization', async () => {
    const tenant = await createTenant(sql, 'trash-bots');
    await sql`update public.organizations set settings = settings || '{"trashRetentionDays": 1}'::jsonb where id = ${tenant.orgId}`;
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, deleted_at) values (${tenant.orgId}, 'Old bot', now() - interval '2 days') returning id`;
    const late = await as(tenant, 'bot_trainer', 'POST', `/bots/${bot!.id}/restore`);
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/trash retention period/);

    await sql`update public.bots set deleted_at = now() - interval '1 hour' where id = ${bot!.id}`;
    expect((await as(tenant, 'viewer', 'POST', `/bots/${bot!.id}/restore`)).status).toBe(403);
    expect((await as(other, 'owner', 'POST', `/bots/${bot!.id}/restore`)).status).toBe(404);
    expect((await as(other, 'owner', 'POST', `/bots/${bot!.id}/restore`, undefined, tenant.orgId)).status).toBe(404);
    expect((await as(tenant, 'bot_trainer', 'POST', `/bots/${randomUUID()}/restore`)).status).toBe(404);
    expect((await as(tenant, 'bot_trainer', 'POST', `/bots/${bot!.id}/restore`)).status).toBe(200);
  });
});
