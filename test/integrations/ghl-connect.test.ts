import { randomBytes } from 'node:crypto';
import { refreshToken } from '../../activities/ghl';
import type { GhlCredentials } from '../../activities/integrations/credentials';
import { withGhl } from '../../activities/integrations/ghl-access';
import type { Sql } from '../../db/client';
import { CredentialKeys } from '../../codec/credentials';
import { DataKeyStore } from '../../codec/keys';
import { integrationContext, open, parseKeyRing, seal } from '../../db/secrets';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { appSql, testSql } from '../helpers/db';
import { TEST_KEY_RING } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { startWorker, type RunningWorker } from '../helpers/worker';

describe('connecting a GHL location (against the fake GHL)', () => {
  let sql: Sql;
  let keysSql: Sql;
  let worker: RunningWorker;
  let app: RunningApp;
  let fake: FakeGhl;
  beforeAll(async () => {
    sql = testSql();
    keysSql = appSql();
    fake = await startFakeGhl();
    worker = await startWorker({ ghl: { baseUrl: fake.url } });
    app = await startApp({
      taskQueue: worker.taskQueue,
      ghl: {
        baseUrl: fake.url,
        oauth: { clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret, authorizeUrl: `${fake.url}/oauth/chooselocation` },
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await fake?.close();
    await keysSql?.end();
    await sql?.end();
  });

  // Sealed with the organization's data key, read as the worker reads it.
  const sealedCredentials = async (orgId: string, id: string) => {
    const [row] = await sql<{ credentials: string; credentials_key_id: string }[]>`select credentials, credentials_key_id from public.integrations where id = ${id}`;
    return { ...row!, opened: await new CredentialKeys({ sql: keysSql, ring: TEST_KEY_RING }).open<GhlCredentials>(orgId, id, row!.credentials) };
  };
  const asOwner = async (t: Tenant) => ({ token: await tokenFor(app.auth, t.users.owner.userId) });

  it('connects with a private token, never returns it, tests it, imports the team with a preview, and marks the integration broken once GHL revokes the token', async () => {
    const t = await createTenant(sql, 'ghl-pit');
    const auth = await asOwner(t);
    const created = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/ghl/private-token`, {
      ...auth,
      body: { locationId: fake.locationId, token: fake.privateToken, companyId: fake.companyId, name: 'Sandbox' },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const listed = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/integrations`, auth);
    expect(JSON.stringify(listed.body)).not.toContain(fake.privateToken);
    expect(listed.body.oauth).toEqual({ available: true, reason: null });
    const stored = await sealedCredentials(t.orgId, id);
    expect(stored.credentials).not.toContain(fake.privateToken);
    expect(stored.opened).toEqual({ kind: 'private_token', accessToken: fake.privateToken });
    // The same location cannot be connected twice.
    const again = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/ghl/private-token`, { ...auth, body: { locationId: fake.locationId, token: fake.privateToken } });
    expect(again.status).toBe(409);

    const tested = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/${id}/test`, auth);
    expect(tested.body).toMatchObject({ ok: true, integration: { status: 'connected' } });

    // One team member already exists with a GHL user's email: the import links it rather than duplicating.
    const sam = [...fake.state.users.values()].find((u) => u.firstName === 'Sam')!;
    await sql`insert into public.team_members (organization_id, full_name, email) values (${t.orgId}, 'Sam S.', ${sam.email})`;
    const preview = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/integrations/${id}/team-import`, auth);
    expect(preview.status).toBe(200);
    const byAction = (a: string) => preview.body.items.filter((i: { action: string }) => i.action === a);
    expect(byAction('create')).toHaveLength(fake.state.users.size - 1);
    expect(byAction('update')).toEqual([
      expect.objectContaining({ ghlUserId: sam.id, changes: expect.arrayContaining([{ field: 'externalId', from: null, to: sam.id }, { field: 'fullName', from: 'Sam S.', to: 'Sam Seller' }]) }),
    ]);
    const imported = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/${id}/team-import`, auth);
    expect(imported.body).toEqual({ created: fake.state.users.size - 1, updated: 1, unchanged: 0 });
    const team = await sql<{ external_id: string }[]>`select external_id from public.team_members where organization_id = ${t.orgId} and external_id = any (${[...fake.state.users.keys()]})`;
    expect(team.map((m) => m.external_id).sort()).toEqual([...fake.state.users.keys()].sort());
    const rerun = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/integrations/${id}/team-import`, auth);
    expect(rerun.body.items.every((i: { action: string }) => i.action === 'unchanged')).toBe(true);

    // GHL revokes the token: the test says so and the integration shows why.
    fake.oauth.revoke(fake.privateToken);
    const broken = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/${id}/test`, auth);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.integration.status).toBe('broken');
    expect(broken.body.integration.statusDetail).toMatch(/401/);
  });

  it('connects by OAuth end to end, refreshes an expiring token and stores the rotated refresh token, and the old one no longer works', async () => {
    const t = await createTenant(sql, 'ghl-oauth');
    const auth = await asOwner(t);
    // The fake has one location: free it from the organization an earlier test connected it to.
    await sql`delete from public.integrations where external_account_id = ${fake.locationId}`;
    fake.oauth.setAccessTokenTtl(60); // inside the refresh margin: the first use refreshes
    const start = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/integrations/ghl/oauth/start`, auth);
    expect(start.status).toBe(200);
    const consent = await fetch(start.body.url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location')!);
    expect(callback.pathname).toBe('/api/v1/integrations/ghl/oauth/callback');
    const back = await fetch(callback, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const landing = new URL(back.headers.get('location')!, app.url);
    expect(landing.pathname).toBe(`/orgs/${t.orgId}/integrations`);
    const id = landing.searchParams.get('connected')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const first = await sealedCredentials(t.orgId, id);
    expect(first.opened.kind).toBe('oauth');

    // A state for another organization, or a forged one, connects nothing.
    const forged = new URL(callback);
    forged.searchParams.set('state', `${forged.searchParams.get('state')}x`);
    expect((await fetch(forged, { redirect: 'manual' })).status).toBe(400);

    const workerSql = appSql();
    try {
      const settings = { keyRing: TEST_KEY_RING, baseUrl: fake.url, oauth: { clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret } };
      const found = await withGhl(workerSql, settings, t.orgId, id, ({ client }) => client.contacts.search({ pageLimit: 1 }));
      expect(found.contacts.length).toBe(1);
    } finally {
      await workerSql.end();
    }
    const second = await sealedCredentials(t.orgId, id);
    if (first.opened.kind !== 'oauth' || second.opened.kind !== 'oauth') throw new Error('expected OAuth credentials');
    expect(second.opened.refreshToken).not.toBe(first.opened.refreshToken);
    expect(second.opened.accessToken).not.toBe(first.opened.accessToken);
    await expect(refreshToken({ baseUrl: fake.url, clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret, refreshToken: first.opened.refreshToken })).rejects.toMatchObject({ kind: 'auth' });
    fake.oauth.setAccessTokenTtl(86_399);
  });

  it('re-seals credentials with a new key, which a ring without the old key still opens', async () => {
    const t = await createTenant(sql, 'ghl-rotate');
    const k2 = randomBytes(32).toString('base64');
    const old = [...TEST_KEY_RING.keys.entries()][0]!;
    // Every process shares the organization's data key: made here with the run's ring, as the test worker's.
    const dataKey = (await new DataKeyStore({ sql: keysSql, ring: TEST_KEY_RING }).activeKey(t.orgId))!;
    const rotating = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: fake.url, keyRing: parseKeyRing(`k2:${k2},${old[0]}:${old[1].toString('base64')}`) } });
    try {
      const auth = { token: await tokenFor(rotating.auth, t.users.owner.userId) };
      const created = await call(rotating.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/ghl/private-token`, { ...auth, body: { locationId: `rot-${t.orgId}`, token: 'pit-rotate-0123456789' } });
      // New envelopes use the organization's data key; one still sealed by an old master key is re-sealed by the rotate action.
      expect(created.body.keyId).toBe(dataKey.keyId);
      const sealedOld = seal(TEST_KEY_RING, integrationContext(t.orgId, created.body.id), { kind: 'private_token', accessToken: 'pit-rotate-0123456789' });
      await sql`update public.integrations set credentials = ${sealedOld.envelope}, credentials_key_id = ${sealedOld.keyId} where id = ${created.body.id}`;
      const rotated = await call(rotating.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/${created.body.id}/rotate`, auth);
      expect(rotated.body.keyId).toBe('k2');
      const [row] = await sql<{ credentials: string }[]>`select credentials from public.integrations where id = ${created.body.id}`;
      expect(open(parseKeyRing(`k2:${k2}`), integrationContext(t.orgId, created.body.id), row!.credentials)).toEqual({ kind: 'private_token', accessToken: 'pit-rotate-0123456789' });
    } finally {
      await rotating.close();
    }
  });

  it('lets only members allowed to manage integrations connect one, and a viewer never sees the workflow webhook URL', async () => {
    const t = await createTenant(sql, 'ghl-rbac');
    const denied = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/ghl/private-token`, {
      token: await tokenFor(app.auth, t.users.sales.userId),
      body: { locationId: 'loc-sales', token: 'pit-0123456789abc' },
    });
    expect(denied.status).toBe(403);
    await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/ghl/private-token`, { ...(await asOwner(t)), body: { locationId: `loc-${t.orgId}`, token: 'pit-0123456789abc' } });
    const seen = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/integrations`, { token: await tokenFor(app.auth, t.users.viewer.userId) });
    expect(seen.body.items).toHaveLength(1);
    expect(seen.body.items[0].workflowWebhookPath).toBeNull();
  });
});
