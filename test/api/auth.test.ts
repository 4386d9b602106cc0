import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import type { Sql } from '../../db/client';
import { call, tokenFor, uniqueEmail } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { useAppStack } from '../helpers/stack';
import { createUser } from '../helpers/tenants';

const PASSWORD = 'correct horse battery';

describe('auth API over HTTP', () => {
  const stack = useAppStack();
  let sql: Sql;
  let app: RunningApp;
  beforeAll(() => {
    ({ sql, app } = stack);
  });

  const signup = (body: Record<string, unknown>) => call(app.url, 'POST', '/api/v1/auth/signup', { body });

  describe('sign-up', () => {
    it('creates the user, an organization with a slug and plan limits, and the owner membership in one go', async () => {
      const email = uniqueEmail('owner');
      const res = await signup({ email: email.toUpperCase(), password: PASSWORD, fullName: 'Ada Owner', organizationName: 'Acme Roofing & Sons!' });
      expect(res.status).toBe(201);
      expect(res.body.user).toEqual({ id: expect.any(String), email, fullName: 'Ada Owner' });
      expect(res.body.organization.slug).toMatch(/^acme-roofing-sons(-[0-9a-f]{6})?$/);
      expect(res.body.session).toMatchObject({ tokenType: 'bearer', expiresIn: 900, accessToken: expect.any(String), refreshToken: expect.any(String) });

      const me = await call(app.url, 'GET', '/api/v1/me', { token: res.body.session.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.memberships).toEqual([
        expect.objectContaining({ organizationId: res.body.organization.id, role: 'owner', status: 'active', permissions: expect.arrayContaining(['billing:update', 'members:create']) }),
      ]);
      const org = await call(app.url, 'GET', `/api/v1/orgs/${res.body.organization.id}`, { token: res.body.session.accessToken });
      expect(org.body).toMatchObject({ subscriptionPlan: 'free', subscriptionStatus: 'trial', limits: { maxUsers: 3 }, usage: { users: 1 } });

      const [stored] = await sql`select encrypted_password from auth.users where id = ${res.body.user.id}`;
      expect(stored!.encrypted_password).toMatch(/^scrypt\$32768\$8\$3\$/);
      expect(stored!.encrypted_password).not.toContain(PASSWORD);
    });

    it('answers field errors for bad input and unknown fields, and creates nothing', async () => {
      const email = uniqueEmail('bad');
      const res = await signup({ email, password: 'short', fullName: '', organizationName: 'X', plan: 'enterprise' });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { path: 'password', message: 'Use at least 10 characters' },
          { path: 'fullName', message: 'Required' },
          { path: 'plan', message: 'Unknown field' },
        ]),
      );
      const rows = await sql`select 1 from auth.users where email = ${email}`;
      expect(rows).toHaveLength(0);
    });

    it('refuses a second account for the same email, whatever its case', async () => {
      const email = uniqueEmail('dup');
      expect((await signup({ email, password: PASSWORD, fullName: 'A', organizationName: 'A' })).status).toBe(201);
      const again = await signup({ email: email.toUpperCase(), password: PASSWORD, fullName: 'B', organizationName: 'B' });
      expect(again.status).toBe(409);
      expect(again.body.errors).toEqual([{ path: 'email', message: 'An account with this email already exists' }]);
    });

    it('lets exactly one of several simultaneous sign-ups with one email win, and leaves no orphan organization', async () => {
      const email = uniqueEmail('race');
      const name = `Race ${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 5 }, () => signup({ email, password: PASSWORD, fullName: 'R', organizationName: name })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const [orgs] = await sql`select count(*)::int as n from public.organizations where name = ${name}`;
      expect(orgs!.n).toBe(1);
    });

    it('gives simultaneous organizations with one name distinct slugs', async () => {
      const name = `Same Name ${randomUUID().slice(0, 8)}`;
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => signup({ email: uniqueEmail(`slug${i}`), password: PASSWORD, fullName: 'S', organizationName: name })),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      const slugs = results.map((r) => r.body.organization.slug as string);
      expect(new Set(slugs).size).toBe(5);
    });

    it('stores SQL-looking text as text', async () => {
      const name = `x'); drop table public.organizations; --`;
      const res = await signup({ email: uniqueEmail('sqli'), password: PASSWORD, fullName: `Robert'); DROP TABLE auth.users;--`, organizationName: name });
      expect(res.status).toBe(201);
      expect(res.body.organization.name).toBe(name);
      const [row] = await sql`select count(*)::int as n from public.organizations`;
      expect(row!.n).toBeGreaterThan(0);
    });

    it('refuses a malformed or oversized body with problem+json', async () => {
      const bad = await call(app.url, 'POST', '/api/v1/auth/signup', { rawBody: '{"email":' });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const huge = await call(app.url, 'POST', '/api/v1/auth/signup', { rawBody: JSON.stringify({ email: 'a@b.c', fullName: 'x'.repeat(2_000_000) }) });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ status: 413, title: 'Payload Too Large' });
    });
  });

  describe('login, refresh and logout', () => {
    let email: string;
    beforeAll(async () => {
      email = uniqueEmail('login');
      expect((await signup({ email, password: PASSWORD, fullName: 'L', organizationName: 'Login Org' })).status).toBe(201);
    });
    const login = (body: Record<string, unknown>) => call(app.url, 'POST', '/api/v1/auth/login', { body });

    it('signs in with the right password only, with one message for a wrong password and an unknown email', async () => {
      const ok = await login({ email, password: PASSWORD });
      expect(ok.status).toBe(200);
      expect(ok.body.user.email).toBe(email);
      const wrong = await login({ email, password: 'wrong password!' });
      const unknown = await login({ email: uniqueEmail('nobody'), password: PASSWORD });
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });

    it('rotates refresh tokens, and a reused one revokes the whole session', async () => {
      const { body } = await login({ email, password: PASSWORD });
      const first = body.session.refreshToken;
      const rotated = await call(app.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: first } });
      expect(rotated.status).toBe(200);
      expect(rotated.body.session.refreshToken).not.toBe(first);
      const me = await call(app.url, 'GET', '/api/v1/me', { token: rotated.body.session.accessToken });
      expect(me.status).toBe(200);

      // Someone replays the first token: refused, and the legitimate newer token dies with it.
      const replay = await call(app.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: first } });
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toMatch(/already used/);
      const after = await call(app.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: rotated.body.session.refreshToken } });
      expect(after.status).toBe(401);
    });

    it('lets only one of two simultaneous refreshes of one token through', async () => {
      const { body } = await login({ email, password: PASSWORD });
      const both = await Promise.all([1, 2].map(() => call(app.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: body.session.refreshToken } })));
      expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
    });

    it('logout ends the session: its refresh token stops working', async () => {
      const { body } = await login({ email, password: PASSWORD });
      const out = await call(app.url, 'POST', '/api/v1/auth/logout', { body: { refreshToken: body.session.refreshToken } });
      expect(out.status).toBe(204);
      const refresh = await call(app.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: body.session.refreshToken } });
      expect(refresh.status).toBe(401);
    });

    it('stores refresh tokens only as hashes', async () => {
      const { body } = await login({ email, password: PASSWORD });
      const rows = await sql`select 1 from app.refresh_tokens where token_hash = ${body.session.refreshToken}`;
      expect(rows).toHaveLength(0);
    });
  });

  describe('access tokens', () => {
    let userId: string;
    beforeAll(async () => {
      userId = await createUser(sql, 'jwt');
    });
    const me = (token: string) => call(app.url, 'GET', '/api/v1/me', { token });

    it('accepts a Supabase-shaped HS256 token signed with the shared secret', async () => {
      const res = await me(await tokenFor(app.auth, userId, { claims: { iss: 'https://project.supabase.co/auth/v1', session_id: randomUUID() } }));
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(userId);
    });

    it.each([
      ['no token', async () => undefined],
      ['a bad signature', async () => {
        const t = await tokenFor(app.auth, userId);
        return `${t.slice(0, -3)}${t.endsWith('AAA') ? 'BBB' : 'AAA'}`;
      }],
      ['alg none', async () => new UnsecuredJWT({ role: 'authenticated', sub: userId }).setAudience('authenticated').setExpirationTime('5m').encode()],
      ['an expired token', async () => tokenFor(app.auth, userId, { expiresIn: -60 })],
      ['another secret', async () => tokenFor(app.auth, userId, { secret: 'another secret that is long enough!!' })],
      ['the service role', async () => tokenFor(app.auth, userId, { claims: { role: 'service_role' } })],
      ['a non-uuid subject', async () => new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setSubject("' or 1=1 --").setAudience('authenticated').setExpirationTime('5m').sign(new TextEncoder().encode(app.auth.jwtSecret))],
      ['HS512 with the right secret', async () => new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'HS512' }).setSubject(userId).setAudience('authenticated').setExpirationTime('5m').sign(new TextEncoder().encode(app.auth.jwtSecret))],
    ])('refuses %s with 401 problem+json', async (_label, make) => {
      const token = await make();
      const res = token === undefined ? await call(app.url, 'GET', '/api/v1/me') : await me(token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });
  });

  describe('rate limits', () => {
    let limited: RunningApp;
    beforeAll(async () => {
      limited = await startApp({ taskQueue: stack.worker.taskQueue, auth: { loginRateLimit: { windowSeconds: 600, perIp: 8, perEmail: 3 } } });
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('blocks an email after repeated failures, then the address after too many attempts', async () => {
      const target = uniqueEmail('target');
      const attempts = [];
      for (let i = 0; i < 4; i += 1) {
        attempts.push((await call(limited.url, 'POST', '/api/v1/auth/login', { body: { email: target, password: `guess number ${i}` } })).status);
      }
      expect(attempts).toEqual([401, 401, 401, 429]);
      const other = [];
      for (let i = 0; i < 5; i += 1) {
        const res = await call(limited.url, 'POST', '/api/v1/auth/login', { body: { email: uniqueEmail('spray'), password: 'spray password' } });
        other.push(res.status);
        if (res.status === 429) {
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.headers.get('ratelimit-policy') ?? res.headers.get('ratelimit')).toBeTruthy();
        }
      }
      // 8 per address: 4 already used above, so the 5th of these is the 9th from this address.
      expect(other).toEqual([401, 401, 401, 401, 429]);
    });
  });
});
