import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from '../../db/client';

/** The role the API and worker log in as (db/migrations/*_login_role.sql). */
export const APP_LOGIN_ROLE = 'flowline_app';

/** FLOWLINE_APP_DB_PASSWORD, else one generated once and kept in the data directory (0600). */
export function appLoginPassword(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'app-db-password');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) return stored;
  }
  mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Sets the login role's password (as the migration owner) and answers the URL to connect with. */
export async function enableAppLogin(ownerSql: Sql, ownerUrl: string, password: string, role = APP_LOGIN_ROLE): Promise<string> {
  // DDL takes no bind parameters: quote the literal in SQL itself.
  const [row] = await ownerSql<{ stmt: string }[]>`select format('alter role %I login password %L', ${role}::text, ${password}::text) as stmt`;
  await ownerSql.unsafe(row!.stmt);
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  return url.toString();
}
