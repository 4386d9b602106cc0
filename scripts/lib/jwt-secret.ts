import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The JWT secret for a local run: JWT_SECRET when set, otherwise one generated on first start
 * and kept in the data directory (mode 0600), so sessions survive restarts.
 */
export function localJwtSecret(dataDir: string, fromEnv: string | undefined): { secret: string; source: string } {
  if (fromEnv) return { secret: fromEnv, source: 'JWT_SECRET' };
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return { secret: stored, source: file };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: `${file} (new)` };
}
