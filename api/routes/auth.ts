import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ACTIONS, can, type CustomPermissions, RESOURCES, type Role } from '../../db/rbac/matrix';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { openSession, refreshSession } from '../auth/sessions';
import { type AuthConfig, hashOpaqueToken } from '../auth/tokens';
import { HttpError } from '../http/errors';
import { defineRoute, publicAccess, type RouteDef, userAccess } from '../http/route';
import { emailField, nameField, passwordField, sessionSchema, userSchema } from '../schemas/common';

const signupBody = z.strictObject({
  email: emailField,
  password: passwordField,
  fullName: nameField,
  organizationName: nameField,
});
const loginBody = z.strictObject({ email: emailField, password: z.string().min(1).max(200) });
const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(200) });

export const membershipSchema = z.object({
  memberId: z.uuid(),
  organizationId: z.uuid(),
  organizationName: z.string(),
  organizationSlug: z.string(),
  role: z.string(),
  status: z.string(),
  permissions: z.array(z.string()),
});

/** Every resource:action a member holds, overrides applied (the web app shows/hides by it). */
export function effectivePermissions(role: Role, custom: CustomPermissions): string[] {
  return RESOURCES.flatMap((r) => ACTIONS.filter((a) => can(role, r, a, custom)).map((a) => `${r}:${a}`));
}

function isDuplicateEmail(err: unknown): boolean {
  const e = err as { code?: string; constraint_name?: string };
  return e?.code === '23505' && Boolean(e.constraint_name?.includes('email'));
}

export const duplicateEmail = () => new HttpError(409, 'An account with this email already exists', [{ path: 'email', message: 'An account with this email already exists' }]);

/** Rate limits kept in memory per API process: per client IP, and per email for failures. */
export function authLimiters(config: AuthConfig): { perIp: RequestHandler; perEmail: RequestHandler } {
  const limited = (what: string): RequestHandler => (_req, _res, next) =>
    next(new HttpError(429, `Too many attempts ${what}: try again later`));
  const common = { windowMs: config.loginRateLimit.windowSeconds * 1000, standardHeaders: 'draft-8' as const, legacyHeaders: false };
  return {
    perIp: rateLimit({ ...common, limit: config.loginRateLimit.perIp, handler: (req, res, next) => limited('from this address')(req, res, next) }),
    perEmail: rateLimit({
      ...common,
      limit: config.loginRateLimit.perEmail,
      skipSuccessfulRequests: true,
      keyGenerator: (req) => {
        const email = (req.body as { email?: unknown } | undefined)?.email;
        return `email:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
      },
      handler: (req, res, next) => limited('for this account')(req, res, next),
    }),
  };
}

export function authRoutes(config: AuthConfig): RouteDef[] {
  const limiters = authLimiters(config);
  return [
    defineRoute<z.infer<typeof signupBody>>({
      method: 'post',
      path: '/api/v1/auth/signup',
      summary: 'Create an account with its first organization (you become its owner)',
      tags: ['auth'],
      access: publicAccess,
      body: signupBody,
      status: 201,
      middleware: [limiters.perIp],
      response: z.object({ user: userSchema, organization: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }), session: sessionSchema }),
      errors: { 409: 'An account with this email already exists', 429: 'Too many attempts' },
      async handler({ body, asAnon }) {
        const hash = await hashPassword(body.password);
        try {
          return await asAnon(async (tx) => {
            const [row] = await tx<{ user_id: string; organization_id: string; organization_name: string; organization_slug: string }[]>`
              select * from app.sign_up(${body.email}, ${hash}, ${body.fullName}, ${body.organizationName})`;
            const user = { id: row!.user_id, email: body.email };
            return {
              user: { ...user, fullName: body.fullName },
              organization: { id: row!.organization_id, name: row!.organization_name, slug: row!.organization_slug },
              session: await openSession(tx, config, user),
            };
          });
        } catch (err) {
          throw isDuplicateEmail(err) ? duplicateEmail() : err;
        }
      },
    }),
    defineRoute<z.infer<typeof loginBody>>({
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Sign in with email and password',
      tags: ['auth'],
      access: publicAccess,
      body: loginBody,
      middleware: [limiters.perIp, limiters.perEmail],
      response: z.object({ user: userSchema, session: sessionSchema }),
      errors: { 401: 'Email or password is incorrect', 429: 'Too many attempts' },
      async handler({ body, asAnon }) {
        const [cred] = await asAnon(
          (tx) => tx<{ id: string; email: string; encrypted_password: string | null; full_name: string | null }[]>`
            select * from app.user_credentials(${body.email})`,
        );
        // Always verify (against a dummy hash when unknown): timing does not reveal accounts.
        // Outside the transaction: a pooled connection is not held during the KDF.
        const ok = await verifyPassword(body.password, cred?.encrypted_password);
        if (!cred || !ok) throw new HttpError(401, 'Email or password is incorrect');
        const user = { id: cred.id, email: cred.email };
        return { user: { ...user, fullName: cred.full_name }, session: await asAnon((tx) => openSession(tx, config, user)) };
      },
    }),
    defineRoute<z.infer<typeof refreshBody>>({
      method: 'post',
      path: '/api/v1/auth/refresh',
      summary: 'Exchange a refresh token for a new session (the old token stops working)',
      tags: ['auth'],
      access: publicAccess,
      body: refreshBody,
      middleware: [limiters.perIp],
      response: z.object({ session: sessionSchema }),
      errors: { 401: 'Unknown, expired or reused refresh token (reuse revokes the session)' },
      async handler({ body, asAnon }) {
        const result = await asAnon((tx) => refreshSession(tx, config, body.refreshToken));
        if (result instanceof HttpError) throw result;
        return { session: result };
      },
    }),
    defineRoute<z.infer<typeof refreshBody>>({
      method: 'post',
      path: '/api/v1/auth/logout',
      summary: 'End the session the refresh token belongs to',
      tags: ['auth'],
      access: publicAccess,
      body: refreshBody,
      status: 204,
      async handler({ body, asAnon }) {
        await asAnon((tx) => tx`select app.end_session(${hashOpaqueToken(body.refreshToken)})`);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/me',
      summary: 'The signed-in user and their active memberships',
      tags: ['auth'],
      access: userAccess,
      response: z.object({ user: userSchema, memberships: z.array(membershipSchema) }),
      async handler({ asUser }) {
        return asUser(async (tx) => {
          const [profile] = await tx<{ id: string; email: string; full_name: string | null }[]>`select * from app.my_profile()`;
          if (!profile) throw new HttpError(401, 'This account no longer exists');
          const rows = await tx<{ id: string; organization_id: string; name: string; slug: string; role: Role; status: string; custom_permissions: CustomPermissions }[]>`
            select m.id, m.organization_id, o.name, o.slug, m.role, m.status, m.custom_permissions
            from public.organization_members m join public.organizations o on o.id = m.organization_id
            where m.user_id = auth.uid() and m.status = 'active'
            order by o.name, o.id`;
          return {
            user: { id: profile.id, email: profile.email, fullName: profile.full_name },
            memberships: rows.map((r) => ({
              memberId: r.id,
              organizationId: r.organization_id,
              organizationName: r.name,
              organizationSlug: r.slug,
              role: r.role,
              status: r.status,
              permissions: effectivePermissions(r.role, r.custom_permissions),
            })),
          };
        });
      },
    }),
  ];
}
