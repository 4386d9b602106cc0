import { exchangeCode, refreshToken } from '../../activities/ghl/oauth';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { clientFor, ghlErrorOf } from './helpers';

let fake: FakeGhl;
beforeAll(async () => {
  fake = await startFakeGhl();
});
afterAll(() => fake.close());

const redirectUri = 'http://127.0.0.1:1/api/v1/integrations/ghl/oauth/callback';

/** Follows the install URL the way a browser would, and returns the callback's query. */
async function authorize(state: string) {
  const res = await fetch(fake.oauth.authorizeUrl(redirectUri, state), { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return { code: location.searchParams.get('code')!, state: location.searchParams.get('state') };
}

describe('GHL OAuth against the fake', () => {
  const app = () => ({ baseUrl: fake.url, clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret });

  it('exchanges the code, calls the API with the access token, and rotates refresh tokens', async () => {
    const { code, state } = await authorize('st-123');
    expect(state).toBe('st-123');
    const tokens = await exchangeCode({ ...app(), code, redirectUri });
    expect(tokens).toMatchObject({ token_type: 'Bearer', userType: 'Location', locationId: fake.locationId, companyId: fake.companyId });
    expect(tokens.expires_in).toBeGreaterThan(0);
    const form = fake.requests.find((r) => r.path === '/oauth/token');
    expect(form?.status).toBe(200);

    const ghl = clientFor(fake, { accessToken: tokens.access_token });
    expect((await ghl.contacts.search()).total).toBeGreaterThan(0);

    // The code is single-use.
    expect(await ghlErrorOf(exchangeCode({ ...app(), code, redirectUri }))).toMatchObject({ kind: 'auth', status: 400 });

    const second = await refreshToken({ ...app(), refreshToken: tokens.refresh_token });
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect(second.access_token).not.toBe(tokens.access_token);
    // The old refresh token was rotated away; the new one works once.
    const refused = await ghlErrorOf(refreshToken({ ...app(), refreshToken: tokens.refresh_token }));
    expect(refused).toMatchObject({ kind: 'auth', status: 400, message: 'Invalid grant: refresh token is invalid' });
    const third = await refreshToken({ ...app(), refreshToken: second.refresh_token });
    expect((await clientFor(fake, { accessToken: third.access_token }).contacts.search()).total).toBeGreaterThan(0);
  });

  it('refuses wrong client credentials, and a mismatched redirect_uri', async () => {
    const { code } = await authorize('s');
    expect(await ghlErrorOf(exchangeCode({ ...app(), clientSecret: 'wrong', code }))).toMatchObject({ kind: 'auth', status: 401 });
    expect(await ghlErrorOf(exchangeCode({ ...app(), code, redirectUri: 'http://elsewhere.example/cb' }))).toMatchObject({ kind: 'auth' });
  });

  it('answers 401 for expired and revoked access tokens', async () => {
    const expiring = await exchangeCode({ ...app(), code: (await authorize('a')).code, redirectUri });
    fake.oauth.expire(expiring.access_token);
    const expired = await ghlErrorOf(clientFor(fake, { accessToken: expiring.access_token }).contacts.search());
    expect(expired).toMatchObject({ kind: 'auth', status: 401, message: 'Invalid JWT' });

    const revoked = await exchangeCode({ ...app(), code: (await authorize('b')).code, redirectUri });
    fake.oauth.revoke(revoked.access_token);
    fake.oauth.revoke(revoked.refresh_token);
    expect(await ghlErrorOf(clientFor(fake, { accessToken: revoked.access_token }).contacts.search())).toMatchObject({ kind: 'auth', status: 401 });
    expect(await ghlErrorOf(refreshToken({ ...app(), refreshToken: revoked.refresh_token }))).toMatchObject({ kind: 'auth' });
  });
});
