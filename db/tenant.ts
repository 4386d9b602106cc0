import type postgres from 'postgres';
import type { Sql } from './client';

/**
 * Who a transaction acts as. Users: Supabase-shaped JWT claims. Workers: the organization an
 * activity acts for. RLS policies read these through auth.uid() / auth.jwt().
 */
export type Claims =
  | { role: 'authenticated'; sub: string; email?: string; [claim: string]: unknown }
  | { role: 'worker'; org_id: string }
  | { role: 'anon' };

export type Tx = postgres.TransactionSql;

/**
 * Runs `fn` in a transaction as the non-bypass role for these claims, so RLS applies to every
 * statement in it. Both settings are transaction-local: a pooled connection never carries a
 * previous caller's identity.
 */
export async function withClaims<T>(sql: Sql, claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const role = claims.role;
  const result = await sql.begin(async (tx) => {
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true), set_config('role', ${role}, true)`;
    return fn(tx);
  });
  return result as T;
}
