/*
 * Secrets at rest: AES-256-GCM envelopes naming the key that sealed them, so keys rotate
 * without a flag day. The envelope is bound to what it protects (the "context", e.g. the
 * organization and the integration) as associated data: a ciphertext copied to another row, or
 * another tenant, does not open.
 *
 * Two envelope versions:
 * - `v1.<masterKeyId>.<iv>.<tag>.<ciphertext>`: sealed by the master key ring
 *   (FLOWLINE_ENCRYPTION_KEY). Data keys are wrapped this way; integration credentials were
 *   until they moved to their organization's data key, and old ones still open.
 * - `v2.<orgId>:<version>.<iv>.<tag>.<ciphertext>`: sealed by a data key (codec/keys.ts), the
 *   organization's, for integration credentials (codec/credentials.ts). The associated data is
 *   the context and the key id, so neither can be changed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const DATA_KEY_VERSION = 'v2';
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
  return { envelope: encrypt(VERSION, ring.currentKeyId, key, context, value), keyId: ring.currentKeyId };
}

/** Opens an envelope sealed for `context` by any key of the ring; a wrong key, context or a tampered byte throws. */
export function open<T = unknown>(ring: KeyRing, context: string, envelope: string): T {
  const parts = splitEnvelope(envelope);
  if (parts.version === DATA_KEY_VERSION) throw new SecretsError(`The secret is sealed with data key "${parts.keyId}", not with a master key: open it with its organization's data keys`);
  const key = ring.keys.get(parts.keyId);
  if (!key) throw new SecretsError(`The secret was sealed with key "${parts.keyId}", which FLOWLINE_ENCRYPTION_KEY no longer holds`);
  return decrypt<T>(key, context, parts);
}

/**
 * Re-seals with the current master key when an older one sealed it; undefined when it is
 * current already, or sealed with a data key (which a master-key rotation does not touch).
 */
export function reseal(ring: KeyRing, context: string, envelope: string): Sealed | undefined {
  const parts = splitEnvelope(envelope);
  if (parts.version === DATA_KEY_VERSION || parts.keyId === ring.currentKeyId) return undefined;
  return seal(ring, context, open(ring, context, envelope));
}

/** The version and key id an envelope names; a SecretsError when it is not an envelope. */
export function envelopeKey(envelope: string): { version: 'v1' | 'v2'; keyId: string } {
  const { version, keyId } = splitEnvelope(envelope);
  return { version, keyId };
}

/** Seals a JSON value for `context` with a data key (`keyId` = `<scope>:<version>`): a `v2` envelope. */
export function sealWithDataKey(key: Buffer, keyId: string, context: string, value: unknown): Sealed {
  return { envelope: encrypt(DATA_KEY_VERSION, keyId, key, dataKeyAad(context, keyId), value), keyId };
}

/** Opens a `v2` envelope with the data key it names (the caller looked it up by `envelopeKey`). */
export function openWithDataKey<T = unknown>(key: Buffer, context: string, envelope: string): T {
  const parts = splitEnvelope(envelope);
  if (parts.version !== DATA_KEY_VERSION) throw new SecretsError('Not a secret sealed with a data key');
  return decrypt<T>(key, dataKeyAad(context, parts.keyId), parts);
}

// The key id is bound too: an envelope relabelled with another version or scope does not open.
const dataKeyAad = (context: string, keyId: string) => `${context}|data-key:${keyId}`;

interface EnvelopeParts {
  version: 'v1' | 'v2';
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

function splitEnvelope(envelope: string): EnvelopeParts {
  const [version, keyId, iv, tag, ciphertext, ...rest] = envelope.split('.');
  if ((version !== VERSION && version !== DATA_KEY_VERSION) || !keyId || !iv || !tag || ciphertext === undefined || rest.length > 0) throw new SecretsError('Not a sealed secret');
  return { version, keyId, iv, tag, ciphertext };
}

function encrypt(version: string, keyId: string, key: Buffer, aad: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [version, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

function decrypt<T>(key: Buffer, aad: string, parts: EnvelopeParts): T {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts.iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(parts.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(parts.ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw new SecretsError('The secret does not open: wrong key or context, or it was altered');
  }
}

/** The context an integration's credentials are sealed for. */
export const integrationContext = (orgId: string, integrationId: string) => `integration:${orgId}:${integrationId}`;
