/*
 * Integration credentials (GHL tokens) sealed with their organization's data key, the same
 * hierarchy as Temporal payloads: master key ring (FLOWLINE_ENCRYPTION_KEY) -> per-organization
 * data key (codec/keys.ts) -> credentials. A `v2` envelope names the data key version that
 * sealed it (`<orgId>:<version>`) and is bound to the organization and integration; rotating
 * the organization's key makes the next write use the new version while older versions keep
 * opening what they sealed. A master-key rotation re-wraps the data keys only. Credentials
 * sealed before this (`v1`, by the master ring) still open, and `sealCredentialsWithDataKeys`
 * moves them over. Deleting an organization's data keys makes its credentials unreadable.
 */
import type { Sql } from '../db/client';
import { envelopeKey, integrationContext, type KeyRing, open, openWithDataKey, reseal, type Sealed, sealWithDataKey, SecretsError } from '../db/secrets';
import { withClaims } from '../db/tenant';
import { DataKeyStore, parseKeyId } from './keys';

/** Seals credentials of one organization with its data key version resolved beforehand. */
export interface CredentialSealer {
  /** `<orgId>:<version>`: stored as the row's credentials_key_id. */
  keyId: string;
  seal(integrationId: string, value: unknown): Sealed;
}

export class CredentialKeys {
  /** Opens: keys cached as the codec caches them; an unknown version is looked up again. */
  private readonly reads: DataKeyStore;
  /** Seals: the active version read afresh, so a rotation anywhere is used by the next write. */
  private readonly writes: DataKeyStore;

  constructor(private readonly options: { sql: Sql; ring: KeyRing; ttlMs?: number }) {
    this.reads = new DataKeyStore({ sql: options.sql, ring: options.ring, ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }) });
    this.writes = new DataKeyStore({ sql: options.sql, ring: options.ring, ttlMs: 0 });
  }

  /**
   * A sealer for the organization's active data key (created on first use). Resolve it before
   * opening a transaction: the key is read on a connection of its own.
   */
  async sealer(orgId: string): Promise<CredentialSealer> {
    const key = await this.writes.activeKey(orgId);
    if (!key) throw new SecretsError(`Organization ${orgId} does not exist: there is no data key to seal its credentials with`);
    return { keyId: key.keyId, seal: (integrationId, value) => sealWithDataKey(key.key, key.keyId, integrationContext(orgId, integrationId), value) };
  }

  /** Opens credentials of the organization's integration: `v2` with its data key, `v1` with the master ring. */
  async open<T = unknown>(orgId: string, integrationId: string, envelope: string): Promise<T> {
    const context = integrationContext(orgId, integrationId);
    const { version, keyId } = envelopeKey(envelope);
    if (version === 'v1') return open<T>(this.options.ring, context, envelope);
    const named = parseKeyId(keyId);
    if (!named || named.scope !== orgId) throw new SecretsError(`The credentials name data key "${keyId}", which is not a key of organization ${orgId}`);
    const key = await this.reads.keyById(keyId);
    if (!key) throw new SecretsError(`The credentials were sealed with data key "${keyId}", which does not exist (deleted, or never created)`);
    return openWithDataKey<T>(key.key, context, envelope);
  }

  /**
   * After a master-key rotation: a `v1` envelope sealed by an older master key is re-sealed by
   * the current one (`db/secrets.ts` `reseal`); a `v2` envelope sealed by a retired data key
   * version is re-sealed by the active one. Undefined when nothing changes.
   */
  async reseal(orgId: string, integrationId: string, envelope: string): Promise<Sealed | undefined> {
    const { version, keyId } = envelopeKey(envelope);
    if (version === 'v1') return reseal(this.options.ring, integrationContext(orgId, integrationId), envelope);
    const sealer = await this.sealer(orgId);
    if (sealer.keyId === keyId) return undefined;
    return sealer.seal(integrationId, await this.open(orgId, integrationId, envelope));
  }

  /** Forgets every unwrapped key held in memory. */
  clear(): void {
    this.reads.clear();
    this.writes.clear();
  }
}

// One per pool and ring, as the payload codec has one per process: what every caller reuses.
const perPool = new WeakMap<Sql, WeakMap<KeyRing, CredentialKeys>>();

/** The process's credential keys for this pool (the app's login role) and master key ring. */
export function credentialKeys(sql: Sql, ring: KeyRing): CredentialKeys {
  let byRing = perPool.get(sql);
  if (!byRing) perPool.set(sql, (byRing = new WeakMap()));
  let keys = byRing.get(ring);
  if (!keys) byRing.set(ring, (keys = new CredentialKeys({ sql, ring })));
  return keys;
}

export interface SealCredentialsResult {
  /** Integrations this run moved from the master ring (`v1`) to their organization's data key. */
  sealed: number;
  /** Integrations still sealed by the master ring (0 when done). */
  remaining: number;
}

/**
 * Moves credentials still sealed by the master ring (`v1`) to their organization's data key
 * (`v2`), `batchSize` integrations at a time, at most `limit`. `ownerSql` (the migration owner)
 * only lists which integrations are left; each one is re-sealed as the worker acting for its
 * organization (`appSql`, the app's login role), under the row lock a token refresh takes, in
 * its own transaction. A run stopped halfway leaves every credential readable; running it
 * again finishes the rest.
 */
export async function sealCredentialsWithDataKeys(
  ownerSql: Sql,
  appSql: Sql,
  ring: KeyRing,
  options: { limit?: number; batchSize?: number } = {},
): Promise<SealCredentialsResult> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const batchSize = options.batchSize ?? 100;
  const keys = new CredentialKeys({ sql: appSql, ring });
  let sealed = 0;
  // Rows another writer changed under this run (a refresh wrote v2 already) are done.
  const skipped = new Set<string>();
  while (sealed < limit) {
    const rows = (
      await ownerSql<{ organization_id: string; id: string }[]>`
        select organization_id, id from public.integrations where credentials like 'v1.%'
        order by organization_id, id limit ${batchSize + skipped.size}`
    ).filter((r) => !skipped.has(r.id));
    if (rows.length === 0) break;
    for (const row of rows) {
      if (sealed >= limit) break;
      const sealer = await keys.sealer(row.organization_id);
      const done = await withClaims(appSql, { role: 'worker', org_id: row.organization_id }, async (tx) => {
        const [current] = await tx<{ credentials: string }[]>`
          select credentials from public.integrations where id = ${row.id} and organization_id = ${row.organization_id} for no key update`;
        if (!current || envelopeKey(current.credentials).version !== 'v1') return false;
        let value: unknown;
        try {
          value = open(ring, integrationContext(row.organization_id, row.id), current.credentials);
        } catch (err) {
          throw new SecretsError(`Integration ${row.id} of organization ${row.organization_id} does not open with the ring: ${(err as Error).message}`);
        }
        const next = sealer.seal(row.id, value);
        await tx`update public.integrations set credentials = ${next.envelope}, credentials_key_id = ${next.keyId}
          where id = ${row.id} and organization_id = ${row.organization_id}`;
        return true;
      });
      if (done) sealed += 1;
      else skipped.add(row.id);
    }
  }
  const [left] = await ownerSql<{ n: number }[]>`select count(*)::int as n from public.integrations where credentials like 'v1.%'`;
  return { sealed, remaining: left!.n };
}
