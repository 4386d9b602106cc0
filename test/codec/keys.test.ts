import { randomBytes, randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { parseKeyRing } from '../../db/secrets';
import { type Tx, withClaims } from '../../db/tenant';
import { DataKeyStore, parseKeyId, PLATFORM_SCOPE, rewrapDataKeys } from '../../codec/keys';
import { appSql, testSql } from '../helpers/db';
import { createOrg, createTenant, type Tenant } from '../helpers/tenants';
import { fixedKey, scratchKeysDatabase, TEST_MASTER_RING } from './setup';

const masterKey = () => randomBytes(32).toString('base64');

/*
 * Data keys in the real database, read and written as the app's login role with worker
 * claims, as the worker and the API do.
 */
describe('data keys', () => {
  let owner: Sql;
  let app: Sql;
  let a: Tenant;
  let b: Tenant;
  const ring = TEST_MASTER_RING;
  const store = () => new DataKeyStore({ sql: app, ring });

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    a = await createTenant(owner, 'codec-keys-a');
    b = await createTenant(owner, 'codec-keys-b');
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
  });

  it('creates an organization key on first use and answers the same one afterwards, from another process too', async () => {
    const first = await store().activeKey(a.orgId);
    expect(first).toMatchObject({ scope: a.orgId, version: 1, keyId: `${a.orgId}:1` });
    expect(first!.key).toHaveLength(32);
    const again = await store().activeKey(a.orgId);
    expect(again!.key.equals(first!.key)).toBe(true);
    // Stored wrapped, never as the key itself.
    const [row] = await owner`select wrapped_key, master_key_id from public.organization_data_keys where organization_id = ${a.orgId}`;
    expect(row?.master_key_id).toBe(TEST_MASTER_RING.currentKeyId);
    expect(row?.wrapped_key).not.toContain(first!.key.toString('base64'));
  });

  it('gives two organizations different keys', async () => {
    const ka = await store().activeKey(a.orgId);
    const kb = await store().activeKey(b.orgId);
    expect(kb!.keyId).toBe(`${b.orgId}:1`);
    expect(kb!.key.equals(ka!.key)).toBe(false);
  });

  it('has a platform key, and none for an organization id that names no organization', async () => {
    const platform = await store().activeKey(PLATFORM_SCOPE);
    expect(platform!.keyId).toMatch(/^platform:\d+$/);
    expect(await store().activeKey(randomUUID())).toBeUndefined();
    await expect(store().activeKey('not-an-org')).rejects.toThrow(/Not an organization id/);
  });

  it('creates exactly one active key when 20 processes use a new organization at once', async () => {
    const orgId = await createOrg(owner, 'codec-keys-race');
    const keys = await Promise.all(Array.from({ length: 20 }, () => store().activeKey(orgId)));
    expect(new Set(keys.map((k) => k!.keyId))).toEqual(new Set([`${orgId}:1`]));
    expect(new Set(keys.map((k) => k!.key.toString('hex'))).size).toBe(1);
    const rows = await owner`select version, status from public.organization_data_keys where organization_id = ${orgId}`;
    expect(rows).toEqual([{ version: 1, status: 'active' }]);
  });

  it('rotates: a new active version, the old one retired and still loadable by id', async () => {
    const orgId = await createOrg(owner, 'codec-keys-rotate');
    const s = store();
    const before = await s.activeKey(orgId);
    const after = await s.rotate(orgId);
    expect(after.version).toBe(before!.version + 1);
    expect(after.key.equals(before!.key)).toBe(false);
    expect((await store().activeKey(orgId))!.keyId).toBe(after.keyId);
    expect((await store().keyById(before!.keyId))!.key.equals(before!.key)).toBe(true);
    const rows = await owner`select version, status from public.organization_data_keys where organization_id = ${orgId} order by version`;
    expect(rows).toEqual([
      { version: 1, status: 'retired' },
      { version: 2, status: 'active' },
    ]);
  });

  it('answers undefined for a key id that does not exist or does not parse', async () => {
    expect(await store().keyById(`${a.orgId}:999`)).toBeUndefined();
    expect(await store().keyById('nonsense')).toBeUndefined();
    expect(parseKeyId(`${a.orgId}:3`)).toEqual({ scope: a.orgId, version: 3 });
    expect(parseKeyId('platform:1')).toEqual({ scope: 'platform', version: 1 });
    expect(parseKeyId('platform:0')).toBeUndefined();
  });

  describe('who reads wrapped keys', () => {
    const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'authenticated', sub: userId }, fn);
    const asWorker = <T>(orgId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'worker', org_id: orgId }, fn);
    const refusal = (p: Promise<unknown>) => p.then(() => 'allowed', (e: { code?: string }) => e.code);

    beforeAll(async () => {
      await store().activeKey(a.orgId);
    });

    it('people never do, not even the owner of the organization', async () => {
      const userId = a.users.owner.userId;
      expect(await refusal(asUser(userId, (tx) => tx`select * from public.organization_data_keys`))).toBe('42501');
      expect(await refusal(asUser(userId, (tx) => tx`select * from public.platform_data_keys`))).toBe('42501');
      expect(await refusal(asUser(userId, (tx) => tx`select * from app.data_keys(${a.orgId})`))).toBe('42501');
      expect(await refusal(asUser(userId, (tx) => tx`select * from app.platform_data_keys()`))).toBe('42501');
    });

    it('the worker does for the organization it acts for, not for another', async () => {
      const own = await asWorker(a.orgId, (tx) => tx`select version from app.data_keys(${a.orgId})`);
      expect(own.length).toBeGreaterThan(0);
      expect(await refusal(asWorker(b.orgId, (tx) => tx`select * from app.data_keys(${a.orgId})`))).toBe('42501');
      expect(await refusal(asWorker(b.orgId, (tx) => tx`select app.add_data_key(${a.orgId}, 99, 'x', 'm1')`))).toBe('42501');
      // And never the tables themselves.
      expect(await refusal(asWorker(a.orgId, (tx) => tx`select * from public.organization_data_keys`))).toBe('42501');
    });
  });
});

// Re-wrapping touches every key in the database: a database of its own, so the other test
// files' keys (and the shared platform key) keep their master key.
describe('master key rotation', () => {
  let db: Awaited<ReturnType<typeof scratchKeysDatabase>>;
  let owner: Sql;
  let app: Sql;
  beforeAll(async () => {
    db = await scratchKeysDatabase();
    ({ owner, app } = db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('rotates the master key: a run stopped halfway leaves every key readable, running it again finishes', async () => {
    const oldRing = parseKeyRing(`m1:${fixedKey('codec master rotation old key')}`);
    const orgs = await Promise.all([1, 2, 3, 4].map((i) => createOrg(owner, `codec-keys-master-${i}`)));
    const original = new Map<string, Buffer>();
    const s = new DataKeyStore({ sql: app, ring: oldRing });
    original.set((await s.activeKey(PLATFORM_SCOPE))!.keyId, (await s.activeKey(PLATFORM_SCOPE))!.key);
    for (const orgId of orgs) {
      original.set((await s.activeKey(orgId))!.keyId, (await s.activeKey(orgId))!.key);
      const rotated = await s.rotate(orgId);
      original.set(rotated.keyId, rotated.key);
    }
    const both = parseKeyRing(`m2:${masterKey()},m1:${fixedKey('codec master rotation old key')}`);

    const half = await rewrapDataKeys(owner, both, { limit: 3, batchSize: 2 });
    expect(half.rewrapped).toBe(3);
    expect(half.remaining).toBe(original.size - 3);
    const wrappedBy = await owner`
      select master_key_id, count(*)::int as n from (
        select master_key_id from public.organization_data_keys union all select master_key_id from public.platform_data_keys) k
      group by 1 order by 1`;
    expect(wrappedBy).toEqual([
      { master_key_id: 'm1', n: original.size - 3 },
      { master_key_id: 'm2', n: 3 },
    ]);
    // Mid-rotation, every key opens with the ring holding both master keys.
    const during = new DataKeyStore({ sql: app, ring: both });
    for (const [keyId, key] of original) expect((await during.keyById(keyId))!.key.equals(key)).toBe(true);

    const rest = await rewrapDataKeys(owner, both);
    expect(rest.remaining).toBe(0);
    expect(rest.rewrapped).toBe(original.size - 3);
    expect(await rewrapDataKeys(owner, both)).toEqual({ rewrapped: 0, remaining: 0 });

    // Done: the old master key may leave the ring, and every key still opens, unchanged.
    const m2Only = parseKeyRing(`m2:${[...both.keys.entries()][0]![1].toString('base64')}`);
    const afterwards = new DataKeyStore({ sql: app, ring: m2Only });
    for (const [keyId, key] of original) expect((await afterwards.keyById(keyId))!.key.equals(key)).toBe(true);
    const [left] = await owner`select count(*)::int as n from public.organization_data_keys where master_key_id <> 'm2'`;
    expect(left?.n).toBe(0);
  });
});
