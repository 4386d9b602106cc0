/*
 * A bot's embeddable web-chat widget. Site visitors are not Flowline users: the widget's public
 * key (in the embed snippet) names the bot, app.bot_widget_target() resolves it for the
 * anonymous role, and everything after that runs as a worker acting for the bot's organization
 * (like the GHL webhooks). A visitor is a contact of that organization, known by a visitor
 * token that only this widget key, bot and organization accept.
 *
 * Members enable the widget, rotate its key and list the origins allowed to embed it; browsers
 * get CORS headers (and the widget page's frame-ancestors) for those origins only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import { MAX_MESSAGE_CHARS } from '../../workflows/bots/messages';
import type { AuthConfig } from '../auth/tokens';
import { InvalidTokenError } from '../auth/tokens';
import { signVisitorToken, verifyVisitorToken } from '../auth/widget-tokens';
import { sendBotMessage } from '../bots/conversation';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, publicAccess, type RouteDef } from '../http/route';
import { widgetPage, widgetScript } from './bot-widget-page';

const KEY = /^[A-Za-z0-9_-]{32}$/;
const newWidgetKey = () => randomBytes(24).toString('base64url');

interface Target {
  organization_id: string;
  bot_id: string;
  bot_name: string;
  allowed_origins: string[];
}

/** The enabled widget of a key, or 404 (unknown, disabled, deleted bot: all the same to a visitor). */
async function widgetTarget(sql: Sql, key: string | undefined): Promise<Target> {
  if (!key || !KEY.test(key)) throw new HttpError(404, 'No such widget');
  const [target] = await withClaims(sql, { role: 'anon' }, (tx) => tx<Target[]>`select * from app.bot_widget_target(${key})`);
  if (!target) throw new HttpError(404, 'No such widget');
  return target;
}

/** CORS for the bot's allowed origins only; other origins get no CORS header (the browser refuses). */
function allowOrigin(req: Request, res: Response, target: Target): void {
  res.vary('Origin');
  const origin = req.get('origin');
  if (origin && target.allowed_origins.includes(origin)) {
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Expose-Headers', 'RateLimit, RateLimit-Policy, Retry-After');
  }
}

const asOrg = <T>(sql: Sql, orgId: string, fn: (tx: Tx) => Promise<T>) => withClaims(sql, { role: 'worker', org_id: orgId }, fn);

async function visitorOf(req: Request, auth: AuthConfig, key: string, target: Target) {
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.get('authorization') ?? '');
  if (!match) throw new HttpError(401, 'Start a session first: send Authorization: Bearer <visitor token>', undefined, { 'WWW-Authenticate': 'Bearer' });
  try {
    return await verifyVisitorToken(auth, key, { orgId: target.organization_id, botId: target.bot_id }, match[1]!);
  } catch (err) {
    if (!(err instanceof InvalidTokenError)) throw err;
    throw new HttpError(401, `Invalid visitor token: ${err.message}`, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  }
}

const limited: RequestHandler = (_req, _res, next) => next(new HttpError(429, 'Too many messages: wait a moment and try again'));
/** In memory per API process, like the sign-in limits: per visitor token for messages, per address for new visitors. */
function widgetLimiters(): { perVisitor: RequestHandler; perAddress: RequestHandler } {
  const common = { windowMs: 60_000, limit: 30, standardHeaders: 'draft-8' as const, legacyHeaders: false, handler: limited };
  return {
    perVisitor: rateLimit({ ...common, keyGenerator: (req) => `widget-visitor:${req.get('authorization') ?? ''}` }),
    perAddress: rateLimit(common),
  };
}

const sessionBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
});
// Checked by hand: an empty message is 400 and a huge one 413, as the widget's contract says.
const messageBody = z.strictObject({ text: z.string().max(1_000_000) });
const widgetMessage = z.object({ id: z.uuid(), role: z.enum(['user', 'assistant', 'human_agent']), text: z.string(), createdAt: z.string() });

const origin = z
  .string()
  .max(300)
  .refine((o) => {
    try {
      const u = new URL(o);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
    } catch {
      return false;
    }
  }, 'An origin: scheme://host[:port], without a path or trailing slash');
const settingsBody = z.strictObject({ enabled: z.boolean().optional(), allowedOrigins: z.array(origin).max(50).optional() });
const settingsSchema = z.object({ enabled: z.boolean(), key: z.string().nullable(), allowedOrigins: z.array(z.string()) });
interface SettingsRow {
  widget_enabled: boolean;
  widget_key: string | null;
  widget_allowed_origins: string[];
}
const toSettings = (r: SettingsRow) => ({ enabled: r.widget_enabled, key: r.widget_key, allowedOrigins: r.widget_allowed_origins });

export function botWidgetRoutes(auth: AuthConfig): RouteDef[] {
  const { perVisitor, perAddress } = widgetLimiters();
  return [
    // ---- Public: the visitor's side ----
    defineRoute<z.infer<typeof sessionBody>>({
      method: 'post',
      path: '/api/v1/widget/:widgetKey/sessions',
      summary: "Start (or resume, with a visitor token) a site visitor's chat with a bot's widget",
      tags: ['widget'],
      access: publicAccess,
      body: sessionBody,
      status: 201,
      middleware: [perAddress],
      response: z.object({ visitorId: z.uuid(), token: z.string(), expiresAt: z.number(), bot: z.object({ name: z.string() }) }),
      errors: { 404: 'No such widget, or it is disabled', 429: 'Too many new visitors from this address' },
      async handler({ params, body, req, res, services }) {
        const key = params.widgetKey!;
        const target = await widgetTarget(services.sql, key);
        allowOrigin(req, res, target);
        const orgId = target.organization_id;
        let contactId: string | undefined;
        if (req.get('authorization')) {
          // A returning visitor keeps their contact (and so their conversation) while it exists.
          const visitor = await visitorOf(req, auth, key, target);
          const [row] = await asOrg(services.sql, orgId, (tx) => tx`
            select id from public.contacts where organization_id = ${orgId} and id = ${visitor.contactId} and deleted_at is null`);
          if (row) {
            contactId = visitor.contactId;
            res.locals.status = 200;
          }
        }
        if (!contactId) {
          // Contacts are keyed by a GHL id: a visitor gets a `web:` one, which GHL never uses.
          const [row] = await asOrg(services.sql, orgId, (tx) => tx<{ id: string }[]>`
            insert into public.contacts (organization_id, ghl_contact_id, name, email, source)
            values (${orgId}, ${`web:${randomUUID()}`}, ${body.name ?? null}, ${body.email ?? null}, 'web_widget') returning id`);
          contactId = row!.id;
        }
        const { token, expiresAt } = await signVisitorToken(auth, key, { contactId, orgId, botId: target.bot_id });
        return { visitorId: contactId, token, expiresAt, bot: { name: target.bot_name } };
      },
    }),
    defineRoute<z.infer<typeof messageBody>>({
      method: 'post',
      path: '/api/v1/widget/:widgetKey/messages',
      summary: "A visitor's message to the bot; the answer is the bot's reply (null while a person has the conversation)",
      tags: ['widget'],
      access: publicAccess,
      body: messageBody,
      middleware: [perVisitor],
      response: z.object({ reply: z.string().nullable(), messageId: z.string(), status: z.enum(['active', 'handed_off', 'closed']) }),
      errors: { 400: 'An empty message', 401: 'Missing or invalid visitor token', 404: 'No such widget, or it is disabled', 409: 'The conversation is closed', 413: `A message over ${MAX_MESSAGE_CHARS} characters`, 429: 'Too many messages' },
      async handler({ params, body, req, res, services }) {
        const key = params.widgetKey!;
        const target = await widgetTarget(services.sql, key);
        allowOrigin(req, res, target);
        const visitor = await visitorOf(req, auth, key, target);
        const text = body.text;
        if (text.trim() === '' || text.includes('\u0000')) throw new HttpError(400, 'Say something', [{ path: 'text', message: 'Say something' }]);
        if (text.length > MAX_MESSAGE_CHARS) throw new HttpError(413, `At most ${MAX_MESSAGE_CHARS} characters`, [{ path: 'text', message: `At most ${MAX_MESSAGE_CHARS} characters` }]);
        try {
          return await sendBotMessage(services, { orgId: target.organization_id, botId: target.bot_id, contactId: visitor.contactId, channel: 'web', text });
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) throw new HttpError(409, `The bot did not take the message: ${(err.cause as Error | undefined)?.message ?? err.message}`);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/widget/:widgetKey/messages',
      summary: "The visitor's own conversation with the bot (oldest first): what the widget shows when it opens again",
      tags: ['widget'],
      access: publicAccess,
      middleware: [perVisitor],
      response: z.object({ messages: z.array(widgetMessage) }),
      errors: { 401: 'Missing or invalid visitor token', 404: 'No such widget, or it is disabled' },
      async handler({ params, req, res, services }) {
        const key = params.widgetKey!;
        const target = await widgetTarget(services.sql, key);
        allowOrigin(req, res, target);
        const visitor = await visitorOf(req, auth, key, target);
        const orgId = target.organization_id;
        const rows = await asOrg(services.sql, orgId, (tx) => tx<{ id: string; role: 'user' | 'assistant' | 'human_agent'; text: string; created_at: Date }[]>`
          select m.id, m.role, m.text, m.created_at from public.conversation_messages m
          join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
          where s.organization_id = ${orgId} and s.bot_id = ${target.bot_id} and s.contact_id = ${visitor.contactId}
            and m.role in ('user', 'assistant', 'human_agent') and m.text <> ''
          order by m.created_at, m.id limit 200`);
        return { messages: rows.map((r) => ({ id: r.id, role: r.role, text: r.text, createdAt: r.created_at.toISOString() })) };
      },
    }),

    // ---- Members: the widget's settings ----
    defineRoute({
      method: 'get',
      path: '/api/v1/orgs/:orgId/bots/:botId/widget',
      summary: "A bot's web-chat widget: enabled, its public key and the origins allowed to embed it",
      tags: ['bots'],
      access: orgAccess('bots', 'read'),
      response: settingsSchema,
      async handler({ params, asUser }) {
        const [row] = await asUser((tx) => tx<SettingsRow[]>`
          select widget_enabled, widget_key, widget_allowed_origins from public.bots
          where organization_id = ${params.orgId!} and id = ${params.botId!} and deleted_at is null`);
        if (!row) throw new HttpError(404, 'No such bot');
        return toSettings(row);
      },
    }),
    defineRoute<z.infer<typeof settingsBody>>({
      method: 'patch',
      path: '/api/v1/orgs/:orgId/bots/:botId/widget',
      summary: "Enable or disable a bot's widget (a key is made the first time) and set the origins allowed to embed it",
      tags: ['bots'],
      access: orgAccess('bots', 'update'),
      body: settingsBody,
      response: settingsSchema,
      async handler({ params, body, asUser }) {
        const [row] = await asUser((tx) => tx<SettingsRow[]>`
          update public.bots set
            widget_enabled = coalesce(${body.enabled ?? null}::boolean, widget_enabled),
            widget_allowed_origins = coalesce(${body.allowedOrigins ? [...new Set(body.allowedOrigins)] : null}::text[], widget_allowed_origins),
            widget_key = case when coalesce(${body.enabled ?? null}::boolean, widget_enabled) then coalesce(widget_key, ${newWidgetKey()}) else widget_key end
          where organization_id = ${params.orgId!} and id = ${params.botId!} and deleted_at is null
          returning widget_enabled, widget_key, widget_allowed_origins`);
        if (!row) throw new HttpError(404, 'No such bot');
        return toSettings(row);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/orgs/:orgId/bots/:botId/widget/rotate-key',
      summary: "A new public key for a bot's widget: the old embed snippet and its visitors' tokens stop working",
      tags: ['bots'],
      access: orgAccess('bots', 'update'),
      response: settingsSchema,
      async handler({ params, asUser }) {
        const [row] = await asUser((tx) => tx<SettingsRow[]>`
          update public.bots set widget_key = ${newWidgetKey()}
          where organization_id = ${params.orgId!} and id = ${params.botId!} and deleted_at is null
          returning widget_enabled, widget_key, widget_allowed_origins`);
        if (!row) throw new HttpError(404, 'No such bot');
        return toSettings(row);
      },
    }),
  ];
}

/**
 * Outside the JSON route table: CORS preflights of the public endpoints, the widget page (what
 * the embed's iframe shows) and the embed script.
 */
export function widgetPublicRouter(deps: { sql: Sql }): Router {
  const router = Router();
  router.options(['/api/v1/widget/:widgetKey/sessions', '/api/v1/widget/:widgetKey/messages'], async (req, res) => {
    const target = await widgetTarget(deps.sql, String(req.params.widgetKey));
    allowOrigin(req, res, target);
    if (res.get('Access-Control-Allow-Origin')) {
      res.set('Access-Control-Allow-Methods', 'GET, POST');
      res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.set('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  });
  router.get('/widget.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=300').send(widgetScript);
  });
  router.get('/widget/:widgetKey', async (req, res) => {
    const key = req.params.widgetKey;
    let target: Target;
    try {
      target = await widgetTarget(deps.sql, key);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) {
        res.status(404).type('text/plain').send('This chat is not available.');
        return;
      }
      throw err;
    }
    // Only the bot's allowed sites (and the app itself, for a preview) may frame the widget.
    const ancestors = ["'self'", ...target.allowed_origins].join(' ');
    res.set('Content-Security-Policy', `frame-ancestors ${ancestors}`);
    res.set('Cache-Control', 'no-store');
    res.type('html').send(widgetPage({ key: key!, botName: target.bot_name }));
  });
  return router;
}
