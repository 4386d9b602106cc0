/*
 * Data keys for payload encryption: one AES-256 key per organization (and one for the
 * platform), stored wrapped by the master key ring that already protects integration secrets
 * (FLOWLINE_ENCRYPTION_KEY, db/secrets.ts). Keys are versioned: rotating adds a version that
 * encrypts from then on, and older versions keep decrypting what they encrypted. Unwrapped keys
 * live in process memory only, for a short time.
 */
import { randomBytes } from 'node:crypto';
import type { Sql } from '../db/client';
import { type KeyRing, open, seal } from '../db/secrets';
import { addWrappedKey, keysNotWrappedBy, loadWrappedKeys, type KeyScope, PLATFORM_SCOPE, replaceWrapping, type WrappedKeyRow } from './store';

export { type KeyScope, PLATFORM_SCOPE } from './store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_BYTES = 32;

export class DataKeyError extends Error {
  override name = 'DataKeyError';
}

export interface DataKey {
  scope: KeyScope;
  version: number;
  /** `<scope>:<version>`: what an encrypted payload names in its metadata. */
  keyId: string;
  key: Buffer;
}

export const isOrgScope = (value: string): boolean => UUID.test(value);

/** The context a data key is sealed for: a wrapped key moved to another scope or version does not open. */
export const dataKeyContext = (scope: KeyScope, version: number) => `data-key:${scope}:${version}`;

export const formatKeyId = (scope: KeyScope, version: number) => `${scope}:${version}`;

/** `<orgId>:<version>` or `platform:<version>`; undefined for anything else. */
export function parseKeyId(keyId: string): { scope: KeyScope; version: number } | undefined {
  const colon = keyId.lastIndexOf(':');
  if (colon === -1) return undefined;
  const scope = keyId.slice(0, colon);
  const versionText = keyId.slice(colon + 1);
  if (!/^[1-9][0-9]{0,8}$/.test(versionText)) return undefined;
  if (scope !== PLATFORM_SCOPE && !isOrgScope(scope)) return undefined;
  return { scope, version: Number(versionText) };
}

interface ScopeKeys {
  active: DataKey | undefined;
  byVersion: Map<number, DataKey>;
  /** Highest version stored (active or retired): a new version is one more. */
  latest: number;
}

export interface DataKeyStoreOptions {
  /** A pool of the app's login role (flowline_app): keys are read as the worker role. */
  sql: Sql;
  /** FLOWLINE_ENCRYPTION_KEY: its first key wraps new data keys, every key unwraps. */
  ring: KeyRing;
  /**
   * How long unwrapped keys stay in memory (default 5 minutes). It also bounds how long another
   * process keeps encrypting with a version rotated away here (still decryptable: retired
   * versions are kept).
   */
  ttlMs?: number;
}

export class DataKeyStore {
  private readonly ttlMs: number;
  private readonly cache = new Map<KeyScope, { keys: Promise<ScopeKeys | undefined>; expiresAt: number }>();
  /** Organization ids found to name no organization, until when (not asked again meanwhile). */
  private readonly unknownOrgs = new Map<KeyScope, number>();

  constructor(private readonly options: DataKeyStoreOptions) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
  }

  /**
   * The key new payloads of this scope are encrypted with, created on first use (exactly one,
   * however many processes ask at once). Undefined when `scope` is an organization id that does
   * not exist (such a payload belongs to no tenant: the caller uses the platform key).
   */
  async activeKey(scope: KeyScope): Promise<DataKey | undefined> {
    assertScope(scope);
    const known = await this.scopeKeys(scope);
    if (known?.active) return known.active;
    if ((this.unknownOrgs.get(scope) ?? 0) > Date.now()) return undefined;
    // No active key yet (or the organization does not exist): create version latest + 1.
    const fresh = await this.scopeKeys(scope, { reload: true });
    if (fresh?.active) return fresh.active;
    const added = await this.addVersion(scope, (fresh?.latest ?? 0) + 1);
    if (added === null) {
      this.unknownOrgs.set(scope, Date.now() + this.ttlMs);
      return undefined;
    }
    const after = await this.scopeKeys(scope, { reload: true });
    if (!after?.active) throw new DataKeyError(`No active data key for ${scope} after creating one`);
    return after.active;
  }

  /** The key a payload names, for decryption (any version, active or retired); undefined when unknown. */
  async keyById(keyId: string): Promise<DataKey | undefined> {
    const parsed = parseKeyId(keyId);
    if (!parsed) return undefined;
    const cached = (await this.scopeKeys(parsed.scope))?.byVersion.get(parsed.version);
    if (cached) return cached;
    // Possibly created by another process since this one last looked.
    return (await this.scopeKeys(parsed.scope, { reload: true }))?.byVersion.get(parsed.version);
  }

  /**
   * Makes a new version the scope's active key; the previous one is retired but still
   * decrypts. Answers the key that is active afterwards (another process's, when two rotate at
   * once).
   */
  async rotate(scope: KeyScope): Promise<DataKey> {
    assertScope(scope);
    const current = await this.scopeKeys(scope, { reload: true });
    const added = await this.addVersion(scope, (current?.latest ?? 0) + 1);
    if (added === null) throw new DataKeyError(`Organization ${scope} does not exist`);
    const after = await this.scopeKeys(scope, { reload: true });
    if (!after?.active) throw new DataKeyError(`No active data key for ${scope} after rotating`);
    return after.active;
  }

  /** Forgets every unwrapped key held in memory. */
  clear(): void {
    this.cache.clear();
    this.unknownOrgs.clear();
  }

  private async addVersion(scope: KeyScope, version: number): Promise<boolean | null> {
    const sealed = seal(this.options.ring, dataKeyContext(scope, version), randomBytes(KEY_BYTES).toString('base64'));
    return addWrappedKey(this.options.sql, scope, version, sealed.envelope, sealed.keyId);
  }

  private scopeKeys(scope: KeyScope, opts: { reload?: boolean } = {}): Promise<ScopeKeys | undefined> {
    const now = Date.now();
    const hit = this.cache.get(scope);
    if (hit && !opts.reload && hit.expiresAt > now) return hit.keys;
    const loaded = loadWrappedKeys(this.options.sql, scope).then((rows) => this.unwrapAll(scope, rows));
    // Stale if the database fails: keys already unwrapped keep encrypting and decrypting through
    // a Postgres restart (a codec error stops the Temporal worker). Key material never changes
    // for a version, so a stale entry can only miss a newer version, never be wrong.
    const keys = hit && !opts.reload ? loaded.catch(() => hit.keys) : loaded;
    const entry = { keys, expiresAt: now + this.ttlMs };
    this.cache.set(scope, entry);
    // A failed load with nothing to fall back on is not remembered: the next call tries again.
    keys.catch(() => {
      if (this.cache.get(scope) === entry) {
        if (hit) this.cache.set(scope, hit);
        else this.cache.delete(scope);
      }
    });
    return keys;
  }

  private unwrapAll(scope: KeyScope, rows: WrappedKeyRow[]): ScopeKeys | undefined {
    if (rows.length === 0) return { active: undefined, byVersion: new Map(), latest: 0 };
    const byVersion = new Map<number, DataKey>();
    let active: DataKey | undefined;
    for (const row of rows) {
      const key = unwrap(this.options.ring, scope, row);
      byVersion.set(row.version, key);
      if (row.status === 'active') active = key;
    }
    return { active, byVersion, latest: Math.max(...rows.map((r) => r.version)) };
  }
}

function assertScope(scope: KeyScope): void {
  if (scope !== PLATFORM_SCOPE && !isOrgScope(scope)) throw new DataKeyError(`Not an organization id or "${PLATFORM_SCOPE}": ${JSON.stringify(scope)}`);
}

function unwrap(ring: KeyRing, scope: KeyScope, row: WrappedKeyRow): DataKey {
  const keyId = formatKeyId(scope, row.version);
  let material: string;
  try {
    material = open<string>(ring, dataKeyContext(scope, row.version), row.wrapped_key);
  } catch (err) {
    throw new DataKeyError(`Data key ${keyId} does not unwrap: ${(err as Error).message}`);
  }
  const key = Buffer.from(material, 'base64');
  if (key.length !== KEY_BYTES) throw new DataKeyError(`Data key ${keyId} is not ${KEY_BYTES} bytes`);
  return { scope, version: row.version, keyId, key };
}

export interface RewrapResult {
  /** Keys this run re-wrapped with the ring's current master key. */
  rewrapped: number;
  /** Keys still wrapped by another master key (0 when the rotation is complete). */
  remaining: number;
}

/**
 * Master-key rotation: re-wraps every data key with the ring's current (first) master key.
 * Put the new master key first in FLOWLINE_ENCRYPTION_KEY and keep the old one after it
 * ("k2:<new>,k1:<old>") on every process, then run this (as the migration owner). Each key is
 * re-wrapped in its own statement and the key material never changes, so a run stopped
 * halfway leaves every key readable with the ring, and running it again finishes the rest.
 * Once `remaining` is 0 the old master key may leave the ring. `limit` caps the keys handled
 * in one run (batches of `batchSize`).
 */
export async function rewrapDataKeys(ownerSql: Sql, ring: KeyRing, options: { limit?: number; batchSize?: number } = {}): Promise<RewrapResult> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const batchSize = options.batchSize ?? 100;
  let rewrapped = 0;
  // Rows another run changed under this one are skipped, not retried: they are done already.
  const skipped = new Set<string>();
  while (rewrapped < limit) {
    const rows = (await keysNotWrappedBy(ownerSql, ring.currentKeyId, batchSize + skipped.size)).filter(
      (r) => !skipped.has(formatKeyId(r.scope, r.version)),
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      if (rewrapped >= limit) break;
      const context = dataKeyContext(row.scope, row.version);
      let material: string;
      try {
        material = open<string>(ring, context, row.wrapped_key);
      } catch (err) {
        throw new DataKeyError(`Data key ${formatKeyId(row.scope, row.version)} does not unwrap with the ring: ${(err as Error).message}`);
      }
      const sealed = seal(ring, context, material);
      if (await replaceWrapping(ownerSql, row, sealed.envelope, sealed.keyId)) rewrapped += 1;
      else skipped.add(formatKeyId(row.scope, row.version));
    }
  }
  const [left] = await ownerSql<{ n: number }[]>`
    select (select count(*) from public.organization_data_keys where master_key_id <> ${ring.currentKeyId})::int
         + (select count(*) from public.platform_data_keys where master_key_id <> ${ring.currentKeyId})::int as n`;
  return { rewrapped, remaining: left!.n };
}
