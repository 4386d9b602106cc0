import type { RequestHandler } from 'express';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords';
import { openSession } from '../auth/sessions';
import { type AuthConfig, hashOpaqueToken } from '../auth/tokens';
import { HttpError } from '../http/errors';
import { defineRoute, optionalUserAccess, publicAccess, type RouteDef } from '../http/route';
import { nameField, passwordField, sessionSchema, userSchema } from '../schemas/common';
import { duplicateEmail } from './auth';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

function tokenHash(token: string | undefined): string {
  if (!token || !TOKEN.test(token)) throw new HttpError(404, 'Invitation not found, already used or expired');
  return hashOpaqueToken(token);
}

const acceptBody = z.strictObject({ fullName: nameField.optional(), password: passwordField.optional() });
const membershipRef = z.object({ memberId: z.uuid(), organizationId: z.uuid(), role: z.string() });

export function invitationRoutes(config: AuthConfig, perIp: RequestHandler): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/invitations/:token',
      summary: 'What an invitation offers (organization, role, email), without signing in',
      tags: ['members'],
      access: publicAccess,
      middleware: [perIp],
      response: z.object({ organizationName: z.string(), email: z.string(), role: z.string(), expiresAt: z.string() }),
      errors: { 404: 'Unknown, used or expired invitation' },
      async handler({ params, asAnon }) {
        const hash = tokenHash(params.token);
        const [row] = await asAnon(
          (tx) => tx<{ organization_name: string; email: string; role: string; expires_at: Date }[]>`select * from app.invitation_preview(${hash})`,
        );
        if (!row) throw new HttpError(404, 'Invitation not found, already used or expired');
        return { organizationName: row.organization_name, email: row.email, role: row.role, expiresAt: row.expires_at.toISOString() };
      },
    }),
    defineRoute<z.infer<typeof acceptBody>>({
      method: 'post',
      path: '/api/v1/invitations/:token/accept',
      summary: 'Accept an invitation: signed in (empty body), or as a new account ({fullName, password}; the email is the invitation\'s)',
      tags: ['members'],
      access: optionalUserAccess,
      body: acceptBody,
      middleware: [perIp],
      response: z.object({ membership: membershipRef, user: userSchema.optional(), session: sessionSchema.optional() }),
      errors: {
        402: 'The plan allows no more users',
        403: 'The invitation was sent to another email address',
        404: 'Unknown, used or expired invitation',
        409: 'Already a member, or an account exists for this email (sign in to accept)',
      },
      async handler({ params, body, user, res, asUser, asAnon }) {
        const hash = tokenHash(params.token);
        if (user) {
          const [row] = await asUser((tx) => tx<{ member_id: string; organization_id: string; role: string }[]>`select * from app.accept_invitation(${hash})`);
          return { membership: { memberId: row!.member_id, organizationId: row!.organization_id, role: row!.role } };
        }
        const missing = (['fullName', 'password'] as const).filter((k) => body[k] === undefined);
        if (missing.length > 0) {
          throw new HttpError(422, 'Sign in to accept, or send fullName and password to create your account', missing.map((path) => ({ path, message: 'Required' })));
        }
        const passwordHash = await hashPassword(body.password!);
        try {
          const result = await asAnon(async (tx) => {
            const [row] = await tx<{ user_id: string; email: string; member_id: string; organization_id: string; role: string }[]>`
              select * from app.sign_up_with_invitation(${hash}, ${passwordHash}, ${body.fullName!})`;
            const account = { id: row!.user_id, email: row!.email };
            return {
              user: { ...account, fullName: body.fullName! },
              session: await openSession(tx, config, account),
              membership: { memberId: row!.member_id, organizationId: row!.organization_id, role: row!.role },
            };
          });
          res.status(201);
          return result;
        } catch (err) {
          const e = err as { code?: string; constraint_name?: string };
          if (e?.code === '23505' && e.constraint_name?.includes('email')) throw duplicateEmail();
          throw err;
        }
      },
    }),
  ];
}
