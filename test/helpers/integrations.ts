import { randomBytes, randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { integrationContext, parseKeyRing, seal } from '../../db/secrets';

/**
 * The key ring test apps and workers seal credentials and wrap payload data keys with: one per
 * test run (global setup), so workers in other processes open what this one sealed.
 */
export const TEST_ENCRYPTION_KEY = process.env.FLOWLINE_TEST_ENCRYPTION_KEY ?? randomBytes(32).toString('base64');
export const TEST_KEY_RING = parseKeyRing(TEST_ENCRYPTION_KEY);

/** A connected GHL location for an organization, inserted as the owner (fixtures only). */
export async function createIntegration(sql: Sql, orgId: string, opts: { locationId?: string; token?: string } = {}): Promise<{ id: string; locationId: string }> {
  const id = randomUUID();
  const locationId = opts.locationId ?? `loc-${randomUUID().slice(0, 12)}`;
  const sealed = seal(TEST_KEY_RING, integrationContext(orgId, id), { kind: 'private_token', accessToken: opts.token ?? 'pit-fixture-token' });
  await sql`
    insert into public.integrations (id, organization_id, provider, auth_type, external_account_id, credentials, credentials_key_id)
    values (${id}, ${orgId}, 'ghl', 'private_token', ${locationId}, ${sealed.envelope}, ${sealed.keyId})`;
  return { id, locationId };
}

export async function createContact(sql: Sql, orgId: string, name = 'Ada Lovelace'): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.contacts (organization_id, ghl_contact_id, name, email, tags)
    values (${orgId}, ${`c-${randomUUID().slice(0, 12)}`}, ${name}, ${`${randomUUID().slice(0, 6)}@example.test`}, ${['lead']}) returning id`;
  return row!.id;
}
