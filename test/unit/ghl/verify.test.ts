import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GHL_PUBLISHED_RSA_PUBLIC_KEY_PEM } from '../../../api/ghl/published-keys';
import { loadGhlPublicKey, verifyGhlSignature, type GhlHeaders, type VerifyGhlSignatureResult } from '../../../api/ghl/verify';

const FIXTURES = path.join(__dirname, '../../fixtures/ghl-webhooks');
const NOW = new Date('2025-01-28T14:35:00.000Z');
const MINUTE = 60_000;

const ed = generateKeyPairSync('ed25519');
const otherEd = generateKeyPairSync('ed25519');
// 2048 bits keeps the suite quick; GHL's key is 4096 bits and the scheme is the same.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const keys = { ed25519PublicKeyPem: pem(ed.publicKey), rsaPublicKeyPem: pem(rsa.publicKey) };

// Signed exactly as GHL signs: over the raw body bytes, signature base64 in the header.
const signEd = (body: Buffer, key = ed.privateKey) => sign(null, body, key).toString('base64');
const signRsa = (body: Buffer, key = rsa.privateKey) => sign('sha256', body, key).toString('base64');

function delivery(overrides: Record<string, unknown> = {}, at = NOW): Buffer {
  const body = { type: 'ContactCreate', locationId: 'loc-1', id: 'contact-1', timestamp: at.toISOString(), webhookId: 'wh-1', ...overrides };
  return Buffer.from(JSON.stringify(body));
}

function check(rawBody: Buffer, headers: GhlHeaders, now = NOW, k: Parameters<typeof verifyGhlSignature>[0]['keys'] = keys): VerifyGhlSignatureResult {
  return verifyGhlSignature({ rawBody, headers, keys: k, now });
}

const body = delivery();

describe('verifyGhlSignature', () => {
  it('accepts an Ed25519 x-ghl-signature over the raw body', () => {
    const result = check(body, { 'x-ghl-signature': signEd(body) });
    expect(result).toEqual({ ok: true, scheme: 'ed25519', webhookId: 'wh-1', timestamp: NOW, body: JSON.parse(body.toString()) });
  });

  it('accepts an RSA-SHA256 x-wh-signature when there is no x-ghl-signature', () => {
    const result = check(body, { 'x-wh-signature': signRsa(body) });
    expect(result).toMatchObject({ ok: true, scheme: 'rsa', webhookId: 'wh-1' });
  });

  it('prefers Ed25519 when both headers are present', () => {
    expect(check(body, { 'x-ghl-signature': signEd(body), 'x-wh-signature': signRsa(body) })).toMatchObject({ ok: true, scheme: 'ed25519' });
  });

  it('does not fall back to RSA when the Ed25519 signature is bad', () => {
    const result = check(body, { 'x-ghl-signature': signEd(body, otherEd.privateKey), 'x-wh-signature': signRsa(body) });
    expect(result).toEqual({ ok: false, status: 401, reason: 'invalid ed25519 signature' });
  });

  it('uses RSA when an Ed25519 header arrives but no Ed25519 key is configured', () => {
    const result = check(body, { 'x-ghl-signature': signEd(body), 'x-wh-signature': signRsa(body) }, NOW, { rsaPublicKeyPem: keys.rsaPublicKeyPem });
    expect(result).toMatchObject({ ok: true, scheme: 'rsa' });
  });

  it('reads header names in any case', () => {
    expect(check(body, { 'X-GHL-Signature': signEd(body) })).toMatchObject({ ok: true, scheme: 'ed25519' });
  });

  const refused: Array<[string, () => VerifyGhlSignatureResult, 400 | 401, RegExp]> = [
    ['an Ed25519 signature from another key', () => check(body, { 'x-ghl-signature': signEd(body, otherEd.privateKey) }), 401, /invalid ed25519/],
    ['an RSA signature from another key', () => check(body, { 'x-wh-signature': signRsa(body, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) }), 401, /invalid rsa/],
    ['a tampered body (Ed25519)', () => check(delivery({ id: 'contact-2' }), { 'x-ghl-signature': signEd(body) }), 401, /invalid ed25519/],
    ['a tampered body (RSA)', () => check(delivery({ id: 'contact-2' }), { 'x-wh-signature': signRsa(body) }), 401, /invalid rsa/],
    ['a re-serialised body (whitespace differs)', () => check(Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2)), { 'x-ghl-signature': signEd(body) }), 401, /invalid ed25519/],
    ['no signature header', () => check(body, {}), 401, /missing x-ghl-signature or x-wh-signature/],
    ['an empty signature', () => check(body, { 'x-ghl-signature': '' }), 401, /invalid ed25519/],
    ['a signature that is not base64', () => check(body, { 'x-ghl-signature': `${signEd(body)}!` }), 401, /invalid ed25519/],
    ['a truncated Ed25519 signature', () => check(body, { 'x-ghl-signature': sign(null, body, ed.privateKey).subarray(0, 48).toString('base64') }), 401, /invalid ed25519/],
    ['a repeated signature header', () => check(body, { 'x-ghl-signature': [signEd(body), signEd(body)] }), 401, /repeated/],
    ['a signature with no key configured for it', () => check(body, { 'x-ghl-signature': signEd(body) }, NOW, { rsaPublicKeyPem: keys.rsaPublicKeyPem }), 401, /no public key/],
    ['a stale timestamp (5 min + 1 s)', () => { const b = delivery({}, new Date(NOW.getTime() - 5 * MINUTE - 1000)); return check(b, { 'x-ghl-signature': signEd(b) }); }, 401, /older than 300 s/],
    ['a future timestamp beyond the skew (61 s)', () => { const b = delivery({}, new Date(NOW.getTime() + 61_000)); return check(b, { 'x-ghl-signature': signEd(b) }); }, 401, /in the future/],
    ['a missing timestamp', () => { const b = delivery({ timestamp: undefined }); return check(b, { 'x-ghl-signature': signEd(b) }); }, 401, /timestamp is missing/],
    ['a timestamp that is not ISO 8601', () => { const b = delivery({ timestamp: 'Tue, 28 Jan 2025 14:35:00 GMT' }); return check(b, { 'x-ghl-signature': signEd(b) }); }, 401, /not ISO 8601/],
    ['an epoch-number timestamp', () => { const b = delivery({ timestamp: NOW.getTime() }); return check(b, { 'x-ghl-signature': signEd(b) }); }, 401, /not ISO 8601/],
    ['malformed JSON (correctly signed)', () => { const b = Buffer.from('{"webhookId":"wh-1",'); return check(b, { 'x-ghl-signature': signEd(b) }); }, 400, /not valid JSON/],
    ['a JSON array body', () => { const b = Buffer.from('[]'); return check(b, { 'x-wh-signature': signRsa(b) }); }, 400, /JSON object/],
    ['a missing webhookId', () => { const b = delivery({ webhookId: undefined }); return check(b, { 'x-ghl-signature': signEd(b) }); }, 400, /webhookId is missing/],
    ['a blank webhookId', () => { const b = delivery({ webhookId: '  ' }); return check(b, { 'x-wh-signature': signRsa(b) }); }, 400, /webhookId is missing/],
    ['malformed JSON without a signature (authentication comes first)', () => check(Buffer.from('{nope'), {}), 401, /missing/],
  ];

  it.each(refused)('refuses %s', (_name, run, status, reason) => {
    const result = run();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it('accepts timestamps at the edges of the window', () => {
    const oldest = delivery({}, new Date(NOW.getTime() - 5 * MINUTE));
    const newest = delivery({}, new Date(NOW.getTime() + 60_000));
    expect(check(oldest, { 'x-ghl-signature': signEd(oldest) })).toMatchObject({ ok: true });
    expect(check(newest, { 'x-ghl-signature': signEd(newest) })).toMatchObject({ ok: true });
  });

  it('honours a caller-chosen maximum age', () => {
    const b = delivery({}, new Date(NOW.getTime() - 2 * MINUTE));
    const result = verifyGhlSignature({ rawBody: b, headers: { 'x-ghl-signature': signEd(b) }, keys, now: NOW, maxAgeMs: MINUTE });
    expect(result).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a key of the wrong type as misconfiguration (throws, not 401)', () => {
    expect(() => check(body, { 'x-ghl-signature': signEd(body) }, NOW, { ed25519PublicKeyPem: keys.rsaPublicKeyPem })).toThrow(/ed25519 public key/);
  });
});

describe("GHL's published RSA key", () => {
  const fixturePem = readFileSync(path.join(FIXTURES, 'webhook-rsa-public-key.pem'), 'utf8');

  it('is the key the code ships and loads as a 4096-bit RSA public key', () => {
    expect(GHL_PUBLISHED_RSA_PUBLIC_KEY_PEM.trim()).toBe(fixturePem.trim());
    const key = loadGhlPublicKey(fixturePem, 'rsa');
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('refuses deliveries not signed by GHL', () => {
    const result = check(body, { 'x-wh-signature': signRsa(body) }, NOW, { rsaPublicKeyPem: GHL_PUBLISHED_RSA_PUBLIC_KEY_PEM });
    expect(result).toEqual({ ok: false, status: 401, reason: 'invalid rsa signature' });
  });
});
