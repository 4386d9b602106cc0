import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret for a local run: the variable when set, otherwise one generated on first start and
 * kept in the data directory (mode 0600), so what it protects survives restarts.
 */
function localSecret(dataDir: string, file: string, variable: string, fromEnv: string | undefined, generate: () => string, valid: (s: string) => boolean) {
  if (fromEnv) return { secret: fromEnv, source: variable };
  const full = path.join(dataDir, file);
  if (existsSync(full)) {
    const stored = readFileSync(full, 'utf8').trim();
    if (valid(stored)) return { secret: stored, source: full };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = generate();
  writeFileSync(full, `${secret}\n`, { mode: 0o600 });
  return { secret, source: `${full} (new)` };
}

/** The JWT secret (sessions survive restarts). */
export function localJwtSecret(dataDir: string, fromEnv: string | undefined): { secret: string; source: string } {
  return localSecret(dataDir, 'jwt-secret', 'JWT_SECRET', fromEnv, () => randomBytes(48).toString('base64url'), (s) => s.length >= 32);
}

/** The key that seals integration credentials (they stay readable across restarts). */
export function localEncryptionKey(dataDir: string, fromEnv: string | undefined): { secret: string; source: string } {
  return localSecret(dataDir, 'encryption-key', 'FLOWLINE_ENCRYPTION_KEY', fromEnv, () => randomBytes(32).toString('base64'), (s) => s.length > 0);
}
