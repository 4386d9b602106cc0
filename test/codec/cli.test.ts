// The operator commands for data keys (scripts/data-keys.ts), run as a process the way an
// operator runs them: rotating an organization's key, and re-wrapping every data key under a
// new master key (on a database of its own: it touches every key).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { DataKeyStore, PLATFORM_SCOPE } from '../../codec/keys';
import type { Sql } from '../../db/client';
import { parseKeyRing } from '../../db/secrets';
import { parseDataKeysCommand } from '../../scripts/data-keys';
import { appSql, testSql } from '../helpers/db';
import { TEST_ENCRYPTION_KEY, TEST_KEY_RING } from '../helpers/integrations';
import { stackEnv } from '../helpers/stack-env';
import { createOrg } from '../helpers/tenants';
import { scratchKeysDatabase } from './setup';

const ROOT = path.resolve(__dirname, '..', '..');
const run = (args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/data-keys.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });

describe('data key commands', () => {
  let owner: Sql;
  let app: Sql;
  beforeAll(() => {
    owner = testSql();
    app = appSql();
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
  });

  it('reads its command line, refusing anything else with the usage', () => {
    const org = '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b';
    expect(parseDataKeysCommand(['rotate', org])).toEqual({ kind: 'rotate', scope: org });
    expect(parseDataKeysCommand(['rotate', 'platform'])).toEqual({ kind: 'rotate', scope: 'platform' });
    expect(parseDataKeysCommand(['rewrap', '--limit', '10'])).toEqual({ kind: 'rewrap', limit: 10 });
    for (const bad of [[], ['rotate'], ['rotate', 'acme'], ['rewrap', '--limit', '0'], ['delete', org]]) expect(() => parseDataKeysCommand(bad)).toThrow(/usage: data-keys.ts/);
  });

  it("rotates an organization's key: new payloads use the new version, the old one still decrypts", async () => {
    const orgId = await createOrg(owner, 'cli-rotate');
    const store = new DataKeyStore({ sql: app, ring: TEST_KEY_RING });
    const before = (await store.activeKey(orgId))!;
    const { stdout } = await run(['rotate', orgId], { DATABASE_URL: stackEnv.appDatabaseUrl, FLOWLINE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
    expect(stdout).toContain(`${orgId} now encrypts with version ${before.version + 1}`);
    const fresh = new DataKeyStore({ sql: app, ring: TEST_KEY_RING });
    expect((await fresh.activeKey(orgId))!.version).toBe(before.version + 1);
    expect((await fresh.keyById(before.keyId))!.key.equals(before.key)).toBe(true);
  });

  it('re-wraps every data key under a new master key, after which the old master key can go', async () => {
    const db = await scratchKeysDatabase();
    try {
      const oldKey = randomBytes(32).toString('base64');
      const newKey = randomBytes(32).toString('base64');
      const orgs = await Promise.all([1, 2].map((i) => createOrg(db.owner, `cli-rewrap-${i}`)));
      const old = new DataKeyStore({ sql: db.app, ring: parseKeyRing(`k1:${oldKey}`) });
      const keys = [await old.activeKey(PLATFORM_SCOPE), ...(await Promise.all(orgs.map((o) => old.activeKey(o))))];
      const { stdout } = await run(['rewrap'], { DATABASE_URL: db.appUrl, MIGRATION_DATABASE_URL: db.ownerUrl, FLOWLINE_ENCRYPTION_KEY: `k2:${newKey},k1:${oldKey}` });
      expect(stdout).toMatch(/rewrapped [1-9]\d* with master key "k2", remaining 0/);
      const onlyNew = new DataKeyStore({ sql: db.app, ring: parseKeyRing(`k2:${newKey}`) });
      for (const k of keys) expect((await onlyNew.keyById(k!.keyId))!.key.equals(k!.key)).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
