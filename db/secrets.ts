/*
 * Secrets at rest (integration credentials): AES-256-GCM envelopes naming the key that sealed
 * them, so keys rotate without a flag day. The envelope is bound to what it protects (the
 * "context", e.g. the organization and the integration) as associated data: a ciphertext copied
 * to another row, or another tenant, does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface KeyRing {
  /** The key new envelopes are sealed with. */
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class SecretsError extends Error {
  override name = 'SecretsError';
}

/**
 * FLOWLINE_ENCRYPTION_KEY: one base64 key of 32 bytes (key id "k1"), or a ring
 * "k2:<base64>,k1:<base64>" whose first entry seals and every entry opens.
 */
export function parseKeyRing(value: string): KeyRing {
  const entries = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (entries.length === 0) throw new SecretsError('FLOWLINE_ENCRYPTION_KEY is empty');
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? (entries.length === 1 ? 'k1' : '') : entry.slice(0, colon);
    const material = colon === -1 ? entry : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) throw new SecretsError(`FLOWLINE_ENCRYPTION_KEY entry ${index + 1}: name each key ("id:base64") when there are several`);
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32) throw new SecretsError(`FLOWLINE_ENCRYPTION_KEY key "${id}" must be 32 bytes of base64 (openssl rand -base64 32)`);
    if (keys.has(id)) throw new SecretsError(`FLOWLINE_ENCRYPTION_KEY names key "${id}" twice`);
    keys.set(id, key);
  }
  return { currentKeyId: [...keys.keys()][0]!, keys };
}

export interface Sealed {
  envelope: string;
  keyId: string;
}

/** Seals a JSON value for `context` with the ring's current key. */
export function seal(ring: KeyRing, context: string, value: unknown): Sealed {
  const key = ring.keys.get(ring.currentKeyId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const parts = [VERSION, ring.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')];
  return { envelope: parts.join('.'), keyId: ring.currentKeyId };
}

/** Opens an envelope sealed for `context` by any key of the ring; a wrong key, context or a tampered byte throws. */
export function open<T = unknown>(ring: KeyRing, context: string, envelope: string): T {
  const [version, keyId, iv, tag, ciphertext, ...rest] = envelope.split('.');
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || rest.length > 0) throw new SecretsError('Not a sealed secret');
  const key = ring.keys.get(keyId);
  if (!key) throw new SecretsError(`The secret was sealed with key "${keyId}", which FLOWLINE_ENCRYPTION_KEY no longer holds`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw new SecretsError('The secret does not open: wrong key or context, or it was altered');
  }
}

/** Re-seals with the current key when an older one sealed it; undefined when it is current already. */
export function reseal(ring: KeyRing, context: string, envelope: string): Sealed | undefined {
  if (envelope.split('.')[1] === ring.currentKeyId) return undefined;
  return seal(ring, context, open(ring, context, envelope));
}

/** The context an integration's credentials are sealed for. */
export const integrationContext = (orgId: string, integrationId: string) => `integration:${orgId}:${integrationId}`;
