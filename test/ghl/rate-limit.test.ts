import { ApplicationFailure } from '@temporalio/common';
import { GhlError, parseGhlError, SlidingWindowLimiter, toActivityFailure } from '../../activities/ghl';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { clientFor, ghlErrorOf, noLimiter } from './helpers';

let fake: FakeGhl;
beforeEach(async () => {
  fake = await startFakeGhl({ seed: { contacts: 1 } });
});
afterEach(() => fake.close());

/** The most requests of one location that arrived within any 10 s window. */
function busiestWindow(fake: FakeGhl, windowMs = 10_000): number {
  const times = fake.requests.filter((r) => r.locationId === fake.locationId).map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('GHL rate limits', () => {
  it('two clients of one location in this process never exceed 100 requests per 10 s together, and none is refused', async () => {
    const a = clientFor(fake);
    const b = clientFor(fake);
    const contactId = [...fake.state.contacts.keys()][0]!;
    const results = await Promise.allSettled(Array.from({ length: 160 }, (_, i) => (i % 2 ? a : b).contacts.get(contactId)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(fake.requests).toHaveLength(160);
    expect(busiestWindow(fake)).toBeLessThanOrEqual(100);
    expect(busiestWindow(fake)).toBeGreaterThan(50);
    expect(a.rateLimit ?? b.rateLimit).toMatchObject({ max: 100, intervalMs: 10_000, dailyLimit: 200_000 });
  });

  it('exposes the X-RateLimit-* headers of the last answer', async () => {
    const ghl = clientFor(fake);
    expect(ghl.rateLimit).toBeNull();
    await ghl.contacts.search();
    await ghl.contacts.search();
    expect(ghl.rateLimit).toMatchObject({ max: 100, remaining: 98, intervalMs: 10_000, dailyLimit: 200_000, dailyRemaining: 199_998 });
  });

  it('past 100 requests in 10 s GHL answers 429, which becomes rate_limited with the delay to retry after', async () => {
    const ghl = clientFor(fake, { limiter: noLimiter });
    const results = await Promise.allSettled(Array.from({ length: 110 }, () => ghl.contacts.search({ pageLimit: 1 })));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as GhlError);
    expect(refused).toHaveLength(10);
    for (const err of refused) {
      expect(err).toBeInstanceOf(GhlError);
      expect(err).toMatchObject({ kind: 'rate_limited', status: 429 });
      expect(err.retryAfterMs).toBeGreaterThan(0);
      expect(err.retryAfterMs).toBeLessThanOrEqual(10_000);
    }
    const failure = toActivityFailure(refused[0]);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('GhlError.rate_limited');
    expect(failure.nextRetryDelay).toBe(refused[0]!.retryAfterMs);
  });

  it('after a 429 the limiter holds the location back for the delay GHL asked for', async () => {
    const limiter = new SlidingWindowLimiter();
    const ghl = clientFor(fake, { limiter });
    const flood = clientFor(fake, { limiter: noLimiter });
    await Promise.allSettled(Array.from({ length: 100 }, () => flood.contacts.search({ pageLimit: 1 })));
    const refused = await ghlErrorOf(ghl.contacts.search({ pageLimit: 1 }));
    expect(refused.kind).toBe('rate_limited');
    // The next call waits out the pause instead of drawing another 429.
    const page = await ghl.contacts.search({ pageLimit: 1 });
    expect(page.total).toBe(1);
    const mine = fake.requests.filter((r) => r.path === '/contacts/search');
    expect(mine.at(-1)!.status).toBe(200);
    expect(mine.filter((r) => r.status === 429)).toHaveLength(1);
  });
});

describe('GHL errors', () => {
  it('are parsed tolerantly: statusCode or status, message string or array, OAuth error_description', () => {
    expect(parseGhlError(422, { statusCode: 422, message: ['email must be an email', 'phone must be a string'] })).toMatchObject({
      kind: 'validation',
      message: 'email must be an email; phone must be a string',
    });
    expect(parseGhlError(401, { status: 401, message: 'Invalid JWT' })).toMatchObject({ kind: 'auth', status: 401, message: 'Invalid JWT' });
    expect(parseGhlError(400, { error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' }).message).toBe(
      'Invalid grant: refresh token is invalid',
    );
    expect(parseGhlError(502, '<html>Bad gateway</html>')).toMatchObject({ kind: 'transient', status: 502 });
    expect(parseGhlError(404, undefined)).toMatchObject({ kind: 'not_found', message: 'GHL answered 404' });
  });

  it('map to Temporal failures: auth, not found and validation are final; transient ones retry', () => {
    for (const kind of ['auth', 'not_found', 'validation'] as const) {
      const f = toActivityFailure(new GhlError(kind, 400, 'no'));
      expect(f).toMatchObject({ nonRetryable: true, type: `GhlError.${kind}` });
    }
    expect(toActivityFailure(new GhlError('transient', 503, 'later'))).toMatchObject({ nonRetryable: false, type: 'GhlError.transient' });
    expect(toActivityFailure(new Error('socket hang up'))).toMatchObject({ nonRetryable: false, type: 'GhlError.unknown' });
  });
});
