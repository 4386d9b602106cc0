import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { clientFor, startReceiver } from './helpers';

const fixtures = join(__dirname, '..', 'fixtures', 'ghl');
const fixture = (name: string) => JSON.parse(readFileSync(join(fixtures, 'webhooks', `${name}.json`), 'utf8')) as Record<string, unknown>;

/** What a receiver does with GHL's published keys: verify the raw bytes, Ed25519 first, else RSA. */
function verifies(fake: FakeGhl, raw: Buffer, headers: Record<string, unknown>): 'ed25519' | 'rsa' | false {
  const ed = headers['x-ghl-signature'];
  if (typeof ed === 'string') return verify(null, raw, createPublicKey(fake.keys.ed25519PublicKeyPem), Buffer.from(ed, 'base64')) ? 'ed25519' : false;
  const rsa = headers['x-wh-signature'];
  if (typeof rsa === 'string') return verify('sha256', raw, createPublicKey(fake.keys.rsaPublicKeyPem), Buffer.from(rsa, 'base64')) ? 'rsa' : false;
  return false;
}

let fake: FakeGhl;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  fake = await startFakeGhl();
  receiver = await startReceiver();
});
afterEach(async () => {
  await fake.close();
  await receiver.close();
});

describe('fake GHL webhook emitter', () => {
  it('signs the exact raw body with Ed25519 and RSA, adding timestamp and webhookId', async () => {
    const event = fixture('ContactCreate');
    const [delivery] = await fake.webhooks.send(receiver.url, event, { timestamp: '2025-03-01T10:00:00.000Z' });
    expect(delivery).toMatchObject({ status: 200, attempt: 1, copy: 0, type: 'ContactCreate' });
    const got = receiver.received[0]!;
    expect(got.json).toEqual({ ...event, timestamp: '2025-03-01T10:00:00.000Z', webhookId: delivery!.webhookId });
    expect(verifies(fake, got.raw, got.headers)).toBe('ed25519');
    const { 'x-ghl-signature': _ed, ...rsaOnly } = got.headers;
    expect(verifies(fake, got.raw, rsaOnly)).toBe('rsa');
  });

  it('signs with one key or none on request, and a tampered body no longer verifies', async () => {
    await fake.webhooks.send(receiver.url, fixture('OpportunityStatusUpdate'), { signWith: 'rsa' });
    await fake.webhooks.send(receiver.url, fixture('InboundMessage'), { signWith: 'none' });
    await fake.webhooks.send(receiver.url, fixture('ContactUpdate'), { tamper: true });
    const [rsa, none, tampered] = receiver.received;
    expect(rsa!.headers['x-ghl-signature']).toBeUndefined();
    expect(verifies(fake, rsa!.raw, rsa!.headers)).toBe('rsa');
    expect(none!.headers['x-ghl-signature']).toBeUndefined();
    expect(none!.headers['x-wh-signature']).toBeUndefined();
    expect(tampered!.json.tampered).toBe(true);
    expect(verifies(fake, tampered!.raw, tampered!.headers)).toBe(false);
  });

  it('delivers duplicates as identical bytes with the same webhookId', async () => {
    const deliveries = await fake.webhooks.send(receiver.url, fixture('InvoicePaid'), { duplicate: 2 });
    expect(deliveries.map((d) => d.copy)).toEqual([0, 1, 2]);
    expect(receiver.received).toHaveLength(3);
    const bodies = new Set(receiver.received.map((r) => r.raw.toString('utf8')));
    expect(bodies.size).toBe(1);
    expect(receiver.received.every((r) => verifies(fake, r.raw, r.headers) === 'ed25519')).toBe(true);
    expect(deliveries[0]!.type).toBeNull(); // Invoice* payloads carry no type, as GHL documents
  });

  it('sends many events with duplicates in shuffled order, each event at least once', async () => {
    const events = Array.from({ length: 200 }, (_, i) => ({ ...fixture('ContactTagUpdate'), id: `contact${i}` }));
    const deliveries = await fake.webhooks.sendMany(receiver.url, events, { duplicateRate: 0.3, shuffle: true, seed: 7 });
    expect(receiver.received).toHaveLength(deliveries.length);
    const ids = receiver.received.map((r) => r.json.webhookId as string);
    const unique = new Set(ids);
    expect(unique.size).toBe(200);
    const duplicates = ids.length - unique.size;
    expect(duplicates).toBeGreaterThan(30);
    expect(duplicates).toBeLessThan(90);
    const order = receiver.received.map((r) => Number(String(r.json.id).slice('contact'.length)));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    expect(new Set(receiver.received.map((r) => r.json.id)).size).toBe(200);
  });

  it('retries only after 429, never after other failures', async () => {
    const limited = await startReceiver([429, 429]);
    const failing = await startReceiver([500]);
    try {
      const retried = await fake.webhooks.send(limited.url, fixture('ContactDelete'), { retryDelayMs: 10 });
      expect(retried.map((d) => d.status)).toEqual([429, 429, 200]);
      expect(new Set(limited.received.map((r) => r.raw.toString('utf8'))).size).toBe(1);
      const lost = await fake.webhooks.send(failing.url, fixture('ContactDelete'));
      expect(lost.map((d) => d.status)).toEqual([500]);
      expect(failing.received).toHaveLength(1);
    } finally {
      await limited.close();
      await failing.close();
    }
  });

  it('API mutations send ContactCreate, ContactUpdate and ContactTagUpdate shaped like GHL’s examples', async () => {
    fake.webhooks.target = receiver.url;
    const ghl = clientFor(fake);
    const c = await ghl.contacts.create({ firstName: 'Hook', lastName: 'Test', email: 'hook@example.com', tags: ['new'] });
    await ghl.contacts.update(c.id, { phone: '+15550001234' });
    await ghl.contacts.addTags(c.id, ['hot']);
    await fake.webhooks.idle();
    const byType: Record<string, Record<string, unknown>> = Object.fromEntries(receiver.received.map((r) => [r.json.type, r.json]));
    expect(Object.keys(byType).sort()).toEqual(['ContactCreate', 'ContactTagUpdate', 'ContactUpdate']);
    const documented = Object.keys(fixture('ContactCreate'));
    for (const payload of Object.values(byType)) {
      expect(payload).toMatchObject({ locationId: fake.locationId, id: c.id, email: 'hook@example.com' });
      for (const key of Object.keys(payload)) expect([...documented, 'timestamp', 'webhookId']).toContain(key);
    }
    expect(byType.ContactTagUpdate!.tags).toEqual(['new', 'hot']);
    expect(receiver.received.every((r) => verifies(fake, r.raw, r.headers) === 'ed25519')).toBe(true);
  });

  it('GHL’s published RSA key (fixture) is a usable public key', () => {
    const key = createPublicKey(readFileSync(join(fixtures, 'webhook-rsa-public-key.pem')));
    expect(key.asymmetricKeyType).toBe('rsa');
  });
});
