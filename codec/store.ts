import type { Sql } from '../db/client';
import { withClaims } from '../db/tenant';

/**
 * Storage of wrapped data keys (db/migrations/20261207000200_data_keys.sql). The worker role
 * reads and adds an organization's keys through SECURITY DEFINER functions, acting for that
 * organization; the platform key is read acting for none. Re-wrapping under a new master key
 * reads every organization's keys, so it runs as the migration owner (`ownerSql`).
 */

/** An organization id, or the platform (payloads that name no organization). */
export type KeyScope = string;
export const PLATFORM_SCOPE = 'platform';

export interface WrappedKeyRow {
  version: number;
  wrapped_key: string;
  master_key_id: string;
  status: 'active' | 'retired';
}

// A worker transaction for the organization; for the platform key it acts for none
// (app.worker_org() is null), which the platform functions do not need.
const asWorker = <T>(sql: Sql, scope: KeyScope, fn: Parameters<typeof withClaims<T>>[2]) =>
  withClaims(sql, { role: 'worker', org_id: scope === PLATFORM_SCOPE ? '' : scope }, fn);

/** Every version of the scope's key, newest first. */
export function loadWrappedKeys(sql: Sql, scope: KeyScope): Promise<WrappedKeyRow[]> {
  return asWorker(sql, scope, async (tx) =>
    scope === PLATFORM_SCOPE
      ? tx<WrappedKeyRow[]>`select version, wrapped_key, master_key_id, status from app.platform_data_keys()`
      : tx<WrappedKeyRow[]>`select version, wrapped_key, master_key_id, status from app.data_keys(${scope})`,
  );
}

/**
 * Adds `version` as the scope's active key (retiring the previous one). True when added;
 * false when that version or a newer active one exists already (another process won); null
 * when the organization does not exist.
 */
export function addWrappedKey(sql: Sql, scope: KeyScope, version: number, wrappedKey: string, masterKeyId: string): Promise<boolean | null> {
  return asWorker(sql, scope, async (tx) => {
    const [row] =
      scope === PLATFORM_SCOPE
        ? await tx<{ added: boolean | null }[]>`select app.add_platform_data_key(${version}, ${wrappedKey}, ${masterKeyId}) as added`
        : await tx<{ added: boolean | null }[]>`select app.add_data_key(${scope}, ${version}, ${wrappedKey}, ${masterKeyId}) as added`;
    return row!.added;
  });
}

export interface RewrapRow {
  scope: KeyScope;
  version: number;
  wrapped_key: string;
  master_key_id: string;
}

/** Owner only: up to `limit` keys (of every scope) not yet wrapped by `masterKeyId`. */
export function keysNotWrappedBy(ownerSql: Sql, masterKeyId: string, limit: number): Promise<RewrapRow[]> {
  return ownerSql<RewrapRow[]>`
    select scope, version, wrapped_key, master_key_id from (
      select organization_id::text as scope, version, wrapped_key, master_key_id from public.organization_data_keys
      where master_key_id <> ${masterKeyId}
      union all
      select ${PLATFORM_SCOPE}::text as scope, version, wrapped_key, master_key_id from public.platform_data_keys
      where master_key_id <> ${masterKeyId}
    ) k
    order by scope, version
    limit ${limit}`;
}

/**
 * Owner only: replaces one key's wrapping, if it is still the one read (a concurrent run that
 * re-wrapped it first wins; the key material is the same either way). True when replaced.
 */
export async function replaceWrapping(ownerSql: Sql, row: RewrapRow, wrappedKey: string, masterKeyId: string): Promise<boolean> {
  const result =
    row.scope === PLATFORM_SCOPE
      ? await ownerSql`
          update public.platform_data_keys set wrapped_key = ${wrappedKey}, master_key_id = ${masterKeyId}
          where version = ${row.version} and wrapped_key = ${row.wrapped_key}`
      : await ownerSql`
          update public.organization_data_keys set wrapped_key = ${wrappedKey}, master_key_id = ${masterKeyId}
          where organization_id = ${row.scope} and version = ${row.version} and wrapped_key = ${row.wrapped_key}`;
  return result.count === 1;
}
