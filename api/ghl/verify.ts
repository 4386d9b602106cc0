// Verification of GoHighLevel marketplace webhook deliveries (pure: no I/O, no clock of its own).
//
// What GHL documents (Webhook Integration Guide, docs/oauth/WebhookAuthentication.md):
// - `x-ghl-signature`: Ed25519 signature of the raw request body, base64. The current scheme.
// - `x-wh-signature`: RSA-SHA256 (PKCS#1 v1.5) signature of the raw request body, base64, checked
//   with GHL's published 4096-bit RSA key. Legacy; GHL stops sending it on 2026-07-01.
// - The signed JSON body carries `timestamp` (ISO 8601, e.g. "2025-01-28T14:35:00Z") and
//   `webhookId`; receivers reject timestamps outside a window ("e.g., 5 minutes") and duplicate
//   webhookIds. Remembering webhookIds is the caller's job (it needs storage); this module checks
//   the signature, the freshness and that a webhookId is there.
//
// The signature is checked over the exact bytes received: re-serialising parsed JSON changes
// whitespace and key order and breaks it. Signature checks are public-key verifications, so no
// secret is compared here and there is nothing to leak through timing; the per-org token of
// workflow webhooks is compared in constant time in workflow-webhook.ts.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { isGhlTimestamp } from './timestamp';

export type GhlSignatureScheme = 'ed25519' | 'rsa';

export interface GhlWebhookKeys {
  /** PEM (SPKI) of GHL's Ed25519 key for `x-ghl-signature`, or an already loaded key. */
  ed25519PublicKeyPem?: string | KeyObject;
  /** PEM of GHL's RSA key for `x-wh-signature`, or an already loaded key. */
  rsaPublicKeyPem?: string | KeyObject;
}

export type GhlHeaders = Record<string, string | string[] | undefined>;

export interface VerifyGhlSignatureInput {
  rawBody: Buffer;
  headers: GhlHeaders;
  keys: GhlWebhookKeys;
  now: Date;
  /** Oldest accepted `timestamp`, relative to `now`. */
  maxAgeMs?: number;
  /** How far in the future `timestamp` may be (clock skew between GHL and us). */
  maxFutureSkewMs?: number;
}

export type VerifyGhlSignatureResult =
  | { ok: true; scheme: GhlSignatureScheme; webhookId: string; timestamp: Date; body: unknown }
  | { ok: false; status: 400 | 401; reason: string };

export const GHL_ED25519_SIGNATURE_HEADER = 'x-ghl-signature';
export const GHL_RSA_SIGNATURE_HEADER = 'x-wh-signature';
export const GHL_WEBHOOK_MAX_AGE_MS = 5 * 60_000;
export const GHL_WEBHOOK_MAX_FUTURE_SKEW_MS = 60_000;

/**
 * How long a webhookId must be remembered to refuse every replay: a delivery is accepted while
 * its timestamp lies in [now - maxAge, now + skew], so an id older than that window cannot come
 * back with a passing timestamp.
 */
export const GHL_WEBHOOK_ID_RETENTION_MS = GHL_WEBHOOK_MAX_AGE_MS + GHL_WEBHOOK_MAX_FUTURE_SKEW_MS;

// Strict base64 (RFC 4648, padded): Buffer.from(..., 'base64') silently skips junk characters,
// which would let two different header values count as the same signature.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ED25519_SIGNATURE_BYTES = 64;

const keyCache = new Map<string, KeyObject>();

/** Parses a PEM public key once per distinct PEM; throws on a key of the wrong type (misconfiguration). */
export function loadGhlPublicKey(pemOrKey: string | KeyObject, expected: GhlSignatureScheme): KeyObject {
  let key: KeyObject;
  if (typeof pemOrKey === 'string') {
    const cached = keyCache.get(pemOrKey);
    key = cached ?? createPublicKey(pemOrKey);
    if (!cached) keyCache.set(pemOrKey, key);
  } else {
    key = pemOrKey;
  }
  const type = key.asymmetricKeyType;
  if (key.type !== 'public' || (expected === 'ed25519' ? type !== 'ed25519' : type !== 'rsa')) {
    throw new Error(`GHL webhook ${expected} key must be a ${expected} public key, got ${key.type} ${type ?? 'unknown'}`);
  }
  return key;
}

function singleHeader(headers: GhlHeaders, name: string): string | undefined | null {
  // Node lower-cases header names; other callers (tests, fetch Headers copied to objects) may not.
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  if (value === undefined) return undefined;
  // Two copies of a signature header are ambiguous: refuse rather than pick one.
  if (Array.isArray(value)) return value.length === 1 ? (value[0] ?? null) : null;
  return value;
}

function checkSignature(scheme: GhlSignatureScheme, key: KeyObject, rawBody: Buffer, signature: string): boolean {
  const sig = signature.trim();
  if (!BASE64.test(sig)) return false;
  const bytes = Buffer.from(sig, 'base64');
  if (scheme === 'ed25519') {
    if (bytes.length !== ED25519_SIGNATURE_BYTES) return false;
    return verify(null, rawBody, key, bytes);
  }
  try {
    return verify('sha256', rawBody, key, bytes);
  } catch {
    // A signature of the wrong length for the modulus throws in some OpenSSL builds.
    return false;
  }
}

function fail(status: 400 | 401, reason: string): VerifyGhlSignatureResult {
  return { ok: false, status, reason };
}

/**
 * Checks a GHL webhook delivery. Order matters: the signature is checked before the body is
 * parsed, so unauthenticated callers learn nothing about how we read bodies (all 401), and only a
 * genuine but unusable body earns a 400.
 *
 * Scheme choice: `x-ghl-signature` (Ed25519) whenever it is present and an Ed25519 key is
 * configured; otherwise `x-wh-signature` (RSA). A failed Ed25519 check is final — we never fall
 * back to the other header, so the weaker legacy scheme cannot be used to bypass the stronger.
 */
export function verifyGhlSignature(input: VerifyGhlSignatureInput): VerifyGhlSignatureResult {
  const { rawBody, headers, keys, now } = input;
  const maxAgeMs = input.maxAgeMs ?? GHL_WEBHOOK_MAX_AGE_MS;
  const maxFutureSkewMs = input.maxFutureSkewMs ?? GHL_WEBHOOK_MAX_FUTURE_SKEW_MS;

  const ed = singleHeader(headers, GHL_ED25519_SIGNATURE_HEADER);
  const rsa = singleHeader(headers, GHL_RSA_SIGNATURE_HEADER);
  if (ed === null || rsa === null) return fail(401, 'repeated signature header');

  let scheme: GhlSignatureScheme;
  let signature: string;
  let key: KeyObject;
  if (ed !== undefined && keys.ed25519PublicKeyPem !== undefined) {
    scheme = 'ed25519';
    signature = ed;
    key = loadGhlPublicKey(keys.ed25519PublicKeyPem, 'ed25519');
  } else if (rsa !== undefined && keys.rsaPublicKeyPem !== undefined) {
    scheme = 'rsa';
    signature = rsa;
    key = loadGhlPublicKey(keys.rsaPublicKeyPem, 'rsa');
  } else if (ed === undefined && rsa === undefined) {
    return fail(401, `missing ${GHL_ED25519_SIGNATURE_HEADER} or ${GHL_RSA_SIGNATURE_HEADER} header`);
  } else {
    return fail(401, 'no public key configured for the signature scheme of this delivery');
  }
  if (!checkSignature(scheme, key, rawBody, signature)) return fail(401, `invalid ${scheme} signature`);

  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return fail(400, 'body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(400, 'body must be a JSON object');
  const record = body as Record<string, unknown>;

  const webhookId = record.webhookId;
  if (typeof webhookId !== 'string' || webhookId.trim() === '') return fail(400, 'webhookId is missing');

  // A signed body without a usable timestamp cannot be told apart from a replay: 401, like a
  // stale one (GHL's guide lists the timestamp window under replay protection, i.e. authenticity).
  const rawTimestamp = record.timestamp;
  if (!isGhlTimestamp(rawTimestamp)) return fail(401, 'timestamp is missing or not ISO 8601');
  const timestamp = new Date(rawTimestamp);
  const ageMs = now.getTime() - timestamp.getTime();
  if (ageMs > maxAgeMs) return fail(401, `timestamp is older than ${Math.round(maxAgeMs / 1000)} s`);
  if (-ageMs > maxFutureSkewMs) return fail(401, `timestamp is more than ${Math.round(maxFutureSkewMs / 1000)} s in the future`);

  return { ok: true, scheme, webhookId, timestamp, body };
}
