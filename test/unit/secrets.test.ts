import { randomBytes } from 'node:crypto';
import { integrationContext, open, parseKeyRing, reseal, seal, SecretsError } from '../../db/secrets';

const key = () => randomBytes(32).toString('base64');

describe('secrets at rest (AES-256-GCM envelopes with a key id)', () => {
  const ctx = integrationContext('org-a', 'int-1');

  it('round-trips a JSON value and never holds it in clear', () => {
    const ring = parseKeyRing(key());
    const { envelope, keyId } = seal(ring, ctx, { accessToken: 'pit-secret-123' });
    expect(keyId).toBe('k1');
    expect(envelope).not.toContain('pit-secret-123');
    expect(open(ring, ctx, envelope)).toEqual({ accessToken: 'pit-secret-123' });
    // A fresh nonce each time: the same value seals differently.
    expect(seal(ring, ctx, { accessToken: 'pit-secret-123' }).envelope).not.toBe(envelope);
  });

  it('does not open for another context (another row or tenant), another key, or after tampering', () => {
    const ring = parseKeyRing(key());
    const { envelope } = seal(ring, ctx, { token: 't' });
    expect(() => open(ring, integrationContext('org-b', 'int-1'), envelope)).toThrow(SecretsError);
    expect(() => open(parseKeyRing(key()), ctx, envelope)).toThrow(SecretsError);
    const parts = envelope.split('.');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => open(ring, ctx, parts.join('.'))).toThrow(SecretsError);
    expect(() => open(ring, ctx, 'garbage')).toThrow(/Not a sealed secret/);
  });

  it('rotates: a ring opens what older keys sealed, seals with its first key, and re-seals old envelopes', () => {
    const k1 = key();
    const old = parseKeyRing(`k1:${k1}`);
    const { envelope } = seal(old, ctx, { token: 'x' });
    const rotated = parseKeyRing(`k2:${key()},k1:${k1}`);
    expect(open(rotated, ctx, envelope)).toEqual({ token: 'x' });
    const resealed = reseal(rotated, ctx, envelope)!;
    expect(resealed.keyId).toBe('k2');
    expect(open(parseKeyRing(`k2:${[...rotated.keys.entries()][0]![1].toString('base64')}`), ctx, resealed.envelope)).toEqual({ token: 'x' });
    expect(reseal(rotated, ctx, resealed.envelope)).toBeUndefined();
    // Once k1 is gone, its envelopes say which key they need.
    expect(() => open(parseKeyRing(`k2:${key()}`), ctx, envelope)).toThrow(/key "k1"/);
  });

  it('refuses keys that are not 32 bytes, unnamed keys in a ring, and duplicates', () => {
    expect(() => parseKeyRing(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`${key()},${key()}`)).toThrow(/name each key/);
    expect(() => parseKeyRing(`a:${key()},a:${key()}`)).toThrow(/twice/);
    expect(() => parseKeyRing('')).toThrow(/empty/);
  });
});
