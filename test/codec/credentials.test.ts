// Integration credentials sealed with the organization's data key (codec/credentials.ts), in the
// real database, read as the app's login role with worker claims as the API and worker do; the
// operator command that moves master-key envelopes over; and a GHL call from a worker activity
// with a credential connected through the API.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { GhlCredentials } from '../../activities/integrations/credentials';
import { withGhl } from '../../activities/integrations/ghl-access';
import { CredentialKeys } from '../../codec/credentials';
import { DataKeyStore } from '../../codec/keys';
import type { Sql } from '../../db/client';
import { integrationContext, open, parseKeyRing, seal } from '../../db/secrets';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { parseDataKeysCommand } from '../../scripts/data-keys';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { appSql, testSql } from '../helpers/db';
import { TEST_ENCRYPTION_KEY } from '../helpers/integrations';
import { createOrg, createTenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';
import { scratchKeysDatabase, TEST_MASTER_RING } from './setup';

const ROOT = path.resolve(__dirname, '..', '..');
const run = (args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/data-keys.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });

const token = (label: string): GhlCredentials => ({ kind: 'private_token', accessToken: `pit-${label}-${randomBytes(8).toString('hex')}` });

/** The envelope with one of its dot-separated parts replaced. */
const withPart = (envelope: string, index: number, value: string) => {
  const parts = envelope.split('.');
  parts[index] = value;
  return parts.join('.');
};

describe('integration credentials sealed with the organization data key', () => {
  let owner: Sql;
  let app: Sql;
  const ring = TEST_MASTER_RING;
  const keys = () => new CredentialKeys({ sql: app, ring });

  beforeAll(() => {
    owner = testSql();
    app = appSql();
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
  });

  it("seals a v2 envelope naming the organization's active data key, which opens to the same credentials", async () => {
    const orgId = await createOrg(owner, 'creds-round-trip');
    const integrationId = randomUUID();
    const value = token('round-trip');
    const sealer = await keys().sealer(orgId);
    expect(sealer.keyId).toBe(`${orgId}:1`);
    const sealed = sealer.seal(integrationId, value);
    expect(sealed.keyId).toBe(`${orgId}:1`);
    expect(sealed.envelope.startsWith(`v2.${orgId}:1.`)).toBe(true);
    expect(sealed.envelope).not.toContain(value.accessToken);
    // Another process opens it (the same data key, from the database).
    expect(await keys().open(orgId, integrationId, sealed.envelope)).toEqual(value);
    // The master ring alone does not: the credentials hang off the data key.
    expect(() => open(ring, integrationContext(orgId, integrationId), sealed.envelope)).toThrow(`data key "${orgId}:1"`);
  });

  it('refuses a v2 envelope copied to another organization or integration, relabelled, or altered', async () => {
    const [a, b] = await Promise.all([createOrg(owner, 'creds-copy-a'), createOrg(owner, 'creds-copy-b')]);
    const integrationId = randomUUID();
    const { envelope } = (await keys().sealer(a)).seal(integrationId, token('copy'));
    await expect(keys().open(b, integrationId, envelope)).rejects.toThrow(`The credentials name data key "${a}:1", which is not a key of organization ${b}`);
    await expect(keys().open(a, randomUUID(), envelope)).rejects.toThrow(/does not open/);
    // Relabelled with the other organization's key id: that key does not open it.
    await keys().sealer(b);
    await expect(keys().open(b, integrationId, withPart(envelope, 1, `${b}:1`))).rejects.toThrow(/does not open/);
    // Relabelled with another version of the same organization's key.
    await new DataKeyStore({ sql: app, ring }).rotate(a);
    await expect(keys().open(a, integrationId, withPart(envelope, 1, `${a}:2`))).rejects.toThrow(/does not open/);
    // One changed character of the ciphertext.
    const ciphertext = envelope.split('.')[4]!;
    const flipped = `${ciphertext[0] === 'A' ? 'B' : 'A'}${ciphertext.slice(1)}`;
    await expect(keys().open(a, integrationId, withPart(envelope, 4, flipped))).rejects.toThrow(/does not open/);
    expect(await keys().open(a, integrationId, envelope)).toBeDefined();
  });

  it('names the key when the envelope names one that is unknown, missing or malformed', async () => {
    const orgId = await createOrg(owner, 'creds-unknown');
    const integrationId = randomUUID();
    const { envelope } = (await keys().sealer(orgId)).seal(integrationId, token('unknown'));
    await expect(keys().open(orgId, integrationId, withPart(envelope, 1, `${orgId}:99`))).rejects.toThrow(
      `The credentials were sealed with data key "${orgId}:99", which does not exist (deleted, or never created)`,
    );
    await expect(keys().open(orgId, integrationId, withPart(envelope, 1, 'k1'))).rejects.toThrow(`data key "k1", which is not a key of organization ${orgId}`);
    await expect(keys().open(orgId, integrationId, withPart(envelope, 1, ''))).rejects.toThrow('Not a sealed secret');
    await expect(keys().open(orgId, integrationId, 'v2.only-two')).rejects.toThrow('Not a sealed secret');
  });

  it("uses the new version for the next write once the organization's key rotates; older versions still open", async () => {
    const orgId = await createOrg(owner, 'creds-rotate');
    const integrationId = randomUUID();
    const k = keys();
    const first = (await k.sealer(orgId)).seal(integrationId, token('v1-key'));
    // Rotated by another process (the operator command): this one's next write sees it at once.
    const rotated = await new DataKeyStore({ sql: app, ring }).rotate(orgId);
    expect(rotated.keyId).toBe(`${orgId}:2`);
    const nextSealer = await k.sealer(orgId);
    expect(nextSealer.keyId).toBe(`${orgId}:2`);
    const second = nextSealer.seal(integrationId, token('v2-key'));
    expect(second.envelope.startsWith(`v2.${orgId}:2.`)).toBe(true);
    expect(await k.open(orgId, integrationId, first.envelope)).toEqual(await keys().open(orgId, integrationId, first.envelope));
    expect((await k.open<GhlCredentials>(orgId, integrationId, second.envelope)).accessToken).toMatch(/^pit-v2-key-/);
    // Re-sealing moves an envelope of a retired version to the active one, and leaves a current one alone.
    const moved = (await k.reseal(orgId, integrationId, first.envelope))!;
    expect(moved.keyId).toBe(`${orgId}:2`);
    expect(await k.open(orgId, integrationId, moved.envelope)).toEqual(await k.open(orgId, integrationId, first.envelope));
    expect(await k.reseal(orgId, integrationId, second.envelope)).toBeUndefined();
  });

  it('still opens v1 envelopes sealed by the master ring, and re-seals them under a new master key', async () => {
    const orgId = await createOrg(owner, 'creds-v1');
    const integrationId = randomUUID();
    const value = token('legacy');
    const legacy = seal(ring, integrationContext(orgId, integrationId), value);
    expect(legacy.envelope.startsWith('v1.')).toBe(true);
    expect(await keys().open(orgId, integrationId, legacy.envelope)).toEqual(value);
    await expect(keys().open(randomUUID(), integrationId, legacy.envelope)).rejects.toThrow(/does not open/);
    const k2 = randomBytes(32).toString('base64');
    const rotatingRing = parseKeyRing(`k2:${k2},${ring.currentKeyId}:${ring.keys.get(ring.currentKeyId)!.toString('base64')}`);
    const resealed = (await new CredentialKeys({ sql: app, ring: rotatingRing }).reseal(orgId, integrationId, legacy.envelope))!;
    expect(resealed.keyId).toBe('k2');
    expect(open(parseKeyRing(`k2:${k2}`), integrationContext(orgId, integrationId), resealed.envelope)).toEqual(value);
  });

  it("makes an organization's credentials unreadable once its data keys are deleted (crypto-shredding)", async () => {
    const orgId = await createOrg(owner, 'creds-shred');
    const integrationId = randomUUID();
    const { envelope } = (await keys().sealer(orgId)).seal(integrationId, token('shred'));
    expect(await keys().open(orgId, integrationId, envelope)).toBeDefined();
    await owner`delete from public.organization_data_keys where organization_id = ${orgId}`;
    await expect(keys().open(orgId, integrationId, envelope)).rejects.toThrow(`data key "${orgId}:1", which does not exist`);
    // A key made afresh for the organization (version 1 again) is another key: still unreadable.
    await keys().sealer(orgId);
    await expect(keys().open(orgId, integrationId, envelope)).rejects.toThrow(/does not open/);
  });
});

describe('the seal-credentials command', () => {
  it('reads its command line', () => {
    expect(parseDataKeysCommand(['seal-credentials'])).toEqual({ kind: 'seal-credentials' });
    expect(parseDataKeysCommand(['seal-credentials', '--limit', '2'])).toEqual({ kind: 'seal-credentials', limit: 2 });
    for (const bad of [['seal-credentials', '--limit'], ['seal-credentials', '--limit', '0'], ['seal-credentials', 'now']]) expect(() => parseDataKeysCommand(bad)).toThrow(/usage: data-keys.ts/);
  });

  it('moves v1 credentials to their organization data key in runs that can stop and resume; a master-key rotation then needs only the data keys', async () => {
    // A database of its own: the command touches every organization's credentials.
    const db = await scratchKeysDatabase();
    try {
      const orgs = await Promise.all([1, 2].map((i) => createOrg(db.owner, `creds-cli-${i}`)));
      const stored: { orgId: string; id: string; value: GhlCredentials }[] = [];
      for (const [i, orgId] of [orgs[0]!, orgs[0]!, orgs[1]!].entries()) {
        const id = randomUUID();
        const value = token(`cli-${i}`);
        const sealed = seal(TEST_MASTER_RING, integrationContext(orgId, id), value);
        await db.owner`
          insert into public.integrations (id, organization_id, provider, auth_type, external_account_id, credentials, credentials_key_id)
          values (${id}, ${orgId}, 'ghl', 'private_token', ${`loc-cli-${randomUUID()}`}, ${sealed.envelope}, ${sealed.keyId})`;
        stored.push({ orgId, id, value });
      }
      const env = { DATABASE_URL: db.appUrl, MIGRATION_DATABASE_URL: db.ownerUrl, FLOWLINE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
      // Stopped after two: the third is still v1 and still opens.
      expect((await run(['seal-credentials', '--limit', '2'], env)).stdout).toContain('credentials: sealed 2 with organization data keys, remaining 1');
      expect((await run(['seal-credentials'], env)).stdout).toContain('sealed 1 with organization data keys, remaining 0');
      expect((await run(['seal-credentials'], env)).stdout).toContain('sealed 0 with organization data keys, remaining 0');
      const rows = await db.owner<{ id: string; credentials: string; credentials_key_id: string }[]>`
        select id, credentials, credentials_key_id from public.integrations where id = any (${stored.map((s) => s.id)})`;
      for (const s of stored) {
        const row = rows.find((r) => r.id === s.id)!;
        expect(row.credentials_key_id).toBe(`${s.orgId}:1`);
        expect(row.credentials.startsWith(`v2.${s.orgId}:1.`)).toBe(true);
        expect(await new CredentialKeys({ sql: db.app, ring: TEST_MASTER_RING }).open(s.orgId, s.id, row.credentials)).toEqual(s.value);
      }

      // Master-key rotation: re-wrapping the data keys is all; the credentials are not touched.
      const newKey = randomBytes(32).toString('base64');
      const rewrap = await run(['rewrap'], { ...env, FLOWLINE_ENCRYPTION_KEY: `k2:${newKey},k1:${TEST_ENCRYPTION_KEY}` });
      expect(rewrap.stdout).toMatch(/remaining 0/);
      const after = await db.owner<{ id: string; credentials: string }[]>`select id, credentials from public.integrations where id = any (${stored.map((s) => s.id)})`;
      const onlyNew = new CredentialKeys({ sql: db.app, ring: parseKeyRing(`k2:${newKey}`) });
      for (const s of stored) {
        const row = after.find((r) => r.id === s.id)!;
        expect(row.credentials).toBe(rows.find((r) => r.id === s.id)!.credentials);
        expect(await onlyNew.open(s.orgId, s.id, row.credentials)).toEqual(s.value);
      }
    } finally {
      await db.drop();
    }
  });
});

describe('a GHL call from a worker activity with credentials connected through the API', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let worker: RunningWorker;
  let api: RunningApp;
  let temporal: Awaited<ReturnType<typeof connectClient>>;
  let keysSql: Sql;
  beforeAll(async () => {
    sql = testSql();
    keysSql = appSql();
    fake = await startFakeGhl({ seed: { contacts: 7 } });
    worker = await startWorker({ ghl: { baseUrl: fake.url } });
    api = await startApp({
      taskQueue: worker.taskQueue,
      ghl: { baseUrl: fake.url, oauth: { clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret, authorizeUrl: `${fake.url}/oauth/chooselocation` } },
    });
    temporal = await connectClient();
  });
  afterAll(async () => {
    await temporal?.close();
    await api?.close();
    await worker?.stop();
    await fake?.close();
    await keysSql?.end();
    await sql?.end();
  });

  it('stores a v2 credential on connect, and the contacts sync activity in the worker opens it to call GHL', async () => {
    const t = await createTenant(sql, 'creds-e2e');
    const auth = { token: await tokenFor(api.auth, t.users.owner.userId) };
    const created = await call(api.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/ghl/private-token`, {
      ...auth,
      body: { locationId: fake.locationId, token: fake.privateToken, name: 'Data key' },
    });
    expect(created.status).toBe(201);
    expect(created.body.keyId).toMatch(new RegExp(`^${t.orgId}:[1-9]\\d*$`));
    const [row] = await sql<{ credentials: string }[]>`select credentials from public.integrations where id = ${created.body.id}`;
    expect(row!.credentials.startsWith(`v2.${created.body.keyId}.`)).toBe(true);
    expect(row!.credentials).not.toContain(fake.privateToken);

    const started = await call(api.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/${created.body.id}/sync-contacts`, auth);
    expect(started.status).toBe(202);
    await temporal.client.workflow.getHandle(started.body.workflowId).result();
    const [synced] = await sql<{ n: number }[]>`select count(*)::int as n from public.contacts where organization_id = ${t.orgId} and deleted_at is null`;
    expect(synced!.n).toBe(fake.state.contacts.size);

    // Replacing the token writes v2 as well.
    const replaced = await call(api.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/${created.body.id}/private-token`, { ...auth, body: { token: fake.privateToken } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.keyId).toBe(created.body.keyId);
    const tested = await call(api.url, 'POST', `/api/v1/orgs/${t.orgId}/integrations/${created.body.id}/test`, auth);
    expect(tested.body).toMatchObject({ ok: true });
  });

  it('seals OAuth tokens on connect and their refresh in the worker with the active data key version', async () => {
    const t = await createTenant(sql, 'creds-oauth');
    const auth = { token: await tokenFor(api.auth, t.users.owner.userId) };
    // The fake has one location: free it from the organization the test above connected it to.
    await sql`delete from public.integrations where external_account_id = ${fake.locationId}`;
    fake.oauth.setAccessTokenTtl(60); // inside the refresh margin: the first use refreshes
    try {
      const start = await call(api.url, 'GET', `/api/v1/orgs/${t.orgId}/integrations/ghl/oauth/start`, auth);
      const consent = await fetch(start.body.url, { redirect: 'manual' });
      const back = await fetch(new URL(consent.headers.get('location')!), { redirect: 'manual' });
      const id = new URL(back.headers.get('location')!, api.url).searchParams.get('connected')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const stored = async () => (await sql<{ credentials: string; credentials_key_id: string }[]>`select credentials, credentials_key_id from public.integrations where id = ${id}`)[0]!;
      const first = await stored();
      const keyId = first.credentials_key_id;
      expect(keyId).toMatch(new RegExp(`^${t.orgId}:[1-9]\\d*$`));
      expect(first.credentials.startsWith(`v2.${keyId}.`)).toBe(true);

      // The organization's key rotates; the refresh a worker activity makes writes with the new version.
      const rotated = await new DataKeyStore({ sql: keysSql, ring: TEST_MASTER_RING }).rotate(t.orgId);
      const found = await withGhl(keysSql, { keyRing: TEST_MASTER_RING, baseUrl: fake.url, oauth: { clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret } }, t.orgId, id, ({ client }) =>
        client.contacts.search({ pageLimit: 1 }),
      );
      expect(found.contacts.length).toBe(1);
      const second = await stored();
      expect(second.credentials_key_id).toBe(rotated.keyId);
      expect(second.credentials.startsWith(`v2.${rotated.keyId}.`)).toBe(true);
      const keys = new CredentialKeys({ sql: keysSql, ring: TEST_MASTER_RING });
      const before = await keys.open<GhlCredentials>(t.orgId, id, first.credentials);
      const after = await keys.open<GhlCredentials>(t.orgId, id, second.credentials);
      if (before.kind !== 'oauth' || after.kind !== 'oauth') throw new Error('expected OAuth credentials');
      expect(after.refreshToken).not.toBe(before.refreshToken);
    } finally {
      fake.oauth.setAccessTokenTtl(86_399);
    }
  });
});
