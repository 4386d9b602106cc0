import type { Client } from '@temporalio/client';
import type { GhlSettings } from '../integrations/settings';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Embedder } from '../../activities/bots/embeddings';
import type { Sql } from '../../db/client';
import type { ReceiptStorage } from '../../activities/receipts/storage';
import { type Action, can, type CustomPermissions, type Resource, type Role } from '../../db/rbac/matrix';
import { type Tx, withClaims } from '../../db/tenant';
import { type AuthConfig, InvalidTokenError, verifyAccessToken } from '../auth/tokens';
import { type OperationDoc, problemSchema } from '../openapi';
import { HttpError, validationErrors } from './errors';

/**
 * Who may call a route. Every route declares one; `org` routes name the (resource, action) the
 * caller must hold in the organization of the path (a test walks the table to prove it).
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'optional-user' }
  | { kind: 'user' }
  | { kind: 'org'; resource: Resource; action: Action; ownerOnly?: boolean };

export const publicAccess: Access = { kind: 'public' };
export const userAccess: Access = { kind: 'user' };
export const optionalUserAccess: Access = { kind: 'optional-user' };
export const orgAccess = (resource: Resource, action: Action): Access => ({ kind: 'org', resource, action });
/** Owner-only operations (ownership transfer): the permission and the owner role. */
export const ownerAccess = (resource: Resource, action: Action): Access => ({ kind: 'org', resource, action, ownerOnly: true });

export interface Caller {
  id: string;
  email: string;
}

export interface Membership {
  id: string;
  role: Role;
  customPermissions: CustomPermissions;
}

/** Platform services a handler may need besides the database. */
export interface Services {
  temporal: Client;
  taskQueue: string;
  /** For writes made for the organization rather than as the caller (webhooks, events). */
  sql: Sql;
  /** Where links to a run in the Temporal UI point: its base URL and the namespace runs live in. */
  temporalUi: { url: string; namespace: string };
  /** GoHighLevel: API base URL, OAuth app, webhook keys, and the key ring sealing credentials. */
  ghl: GhlSettings;
  /** Embeds bots' knowledge; absent, knowledge is stored and searched by full text only. */
  embedder?: Embedder;
  /** Where receipt files are kept, and the largest upload accepted. */
  receipts: ReceiptSettings;
}

export interface ReceiptSettings {
  storage: ReceiptStorage;
  maxBytes: number;
  /** How the receipt workflows this API starts retry the model (default: the workflow's own). */
  modelRetry?: { initialIntervalMs: number; maximumAttempts: number };
}

export interface RouteContext<B, Q> {
  services: Services;
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** Set for user and org routes (and optional-user routes called with a token). */
  user: Caller | undefined;
  /** Set for org routes: the caller's active membership in params.orgId. */
  member: Membership | undefined;
  /** Runs `fn` as the caller (role authenticated + their claims): RLS applies to all of it. */
  asUser<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs `fn` as the anonymous role: only the account functions granted to anon work. */
  asAnon<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteDef<B = unknown, Q = unknown> {
  method: Method;
  /** Express syntax: /api/v1/orgs/:orgId */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** Success status; a handler returning undefined answers 204. */
  status?: number;
  response?: z.ZodType;
  /** Other statuses worth documenting besides the ones the access kind implies. */
  errors?: Record<number, string>;
  middleware?: RequestHandler[];
  handler(ctx: RouteContext<B, Q>): Promise<unknown>;
}

export function defineRoute<B = Record<string, never>, Q = Record<string, never>>(def: RouteDef<B, Q>): RouteDef {
  return def as unknown as RouteDef;
}

const UUID = z.uuid();

export interface RouteDeps {
  sql: Sql;
  auth: AuthConfig;
  services: Services;
}

async function authenticate(req: Request, auth: AuthConfig, required: boolean): Promise<Caller | undefined> {
  const header = req.get('authorization');
  if (!header) {
    if (required) throw new HttpError(401, 'Sign in: send Authorization: Bearer <access token>', undefined, { 'WWW-Authenticate': 'Bearer' });
    return undefined;
  }
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
  try {
    if (!match) throw new InvalidTokenError('malformed Authorization header');
    const claims = await verifyAccessToken(auth, match[1]!);
    return { id: claims.sub, email: claims.email ?? '' };
  } catch (err) {
    if (!(err instanceof InvalidTokenError)) throw err;
    throw new HttpError(401, `Invalid access token: ${err.message}`, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  }
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query'): T {
  if (!schema) {
    // A route without a body still refuses one: unknown input is never silently ignored.
    if (where === 'body' && value && typeof value === 'object' && Object.keys(value).length > 0) {
      throw new HttpError(422, 'This endpoint takes no body', Object.keys(value).map((k) => ({ path: k, message: 'Unknown field' })));
    }
    return {} as T;
  }
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new HttpError(422, `Invalid ${where}`, validationErrors(result.error, where === 'query' ? 'query' : undefined));
  return result.data;
}

export function mountRoutes(router: Router, defs: RouteDef[], deps: RouteDeps): void {
  for (const def of defs) {
    const handler: RequestHandler = async (req, res) => {
      // An id that is not a uuid names nothing: 404, exactly like an id of another org.
      const params = req.params as Record<string, string>;
      for (const [name, value] of Object.entries(params)) {
        if (name.endsWith('Id') && !UUID.safeParse(value).success) throw new HttpError(404, `No such ${name.slice(0, -2)}`);
      }
      const user = def.access.kind === 'public' ? undefined : await authenticate(req, deps.auth, def.access.kind !== 'optional-user');
      const asUser = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
        if (!user) throw new HttpError(401, 'Sign in first');
        return withClaims(deps.sql, { role: 'authenticated', sub: user.id, email: user.email }, fn);
      };
      const asAnon = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => withClaims(deps.sql, { role: 'anon' }, fn);

      let member: Membership | undefined;
      if (def.access.kind === 'org') {
        member = await loadMembership(asUser, params.orgId!);
        if (!member) throw new HttpError(404, 'No such organization');
        const { resource, action } = def.access;
        if (!can(member.role, resource, action, member.customPermissions)) {
          throw new HttpError(403, `Your role (${member.role}) does not allow ${resource}:${action}`);
        }
        if (def.access.ownerOnly && member.role !== 'owner') throw new HttpError(403, 'Only the owner can do this');
      }
      const body = parse(def.body, req.body, 'body');
      const query = parse(def.query, req.query, 'query');
      const result = await def.handler({ req, res, body, query, params, user, member, asUser, asAnon, services: deps.services });
      if (res.headersSent) return;
      if (result === undefined) res.status(204).end();
      // A handler may pick another success status than the route's usual one: res.status(...),
      // or res.locals.status for a plain 200 (an idempotent create that found its row).
      else res.status((res.locals.status as number | undefined) ?? (res.statusCode !== 200 ? res.statusCode : (def.status ?? 200))).json(result);
    };
    router[def.method](def.path, ...(def.middleware ?? []), handler);
  }
}

async function loadMembership(asUser: RouteContext<unknown, unknown>['asUser'], orgId: string): Promise<Membership | undefined> {
  const rows = await asUser(
    (tx) => tx<{ id: string; role: Role; custom_permissions: CustomPermissions }[]>`
      select m.id, m.role, m.custom_permissions from public.organization_members m
      where m.organization_id = ${orgId} and m.user_id = auth.uid() and m.status = 'active'`,
  );
  const row = rows[0];
  return row && { id: row.id, role: row.role, customPermissions: row.custom_permissions };
}

/** OpenAPI operations for the route table (same zod schemas that validate requests). */
export function routeDocs(defs: RouteDef[]): OperationDoc[] {
  const bearer: Record<string, string[]>[] = [{ bearer: [] }];
  const optionalBearer: Record<string, string[]>[] = [{}, { bearer: [] }];
  return defs.map((def): OperationDoc => {
    const responses: OperationDoc['responses'] = {
      [def.status ?? 200]: def.response ? { description: 'Success', schema: def.response } : { description: 'Success' },
    };
    const problem = (description: string) => ({ description, schema: problemSchema });
    if (def.body || def.query) responses[422] = problem('Invalid input: `errors` lists each field path');
    if (def.access.kind === 'user' || def.access.kind === 'org') responses[401] = problem('Missing, invalid or expired access token');
    if (def.access.kind === 'org') {
      responses[403] = problem(`The caller lacks ${def.access.resource}:${def.access.action}${def.access.ownerOnly ? ' or is not the owner' : ''}`);
      responses[404] = problem('Not found, or not a member of this organization');
    }
    for (const [status, description] of Object.entries(def.errors ?? {})) responses[Number(status)] = problem(description);
    const pathParams = [...def.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const queryKeys = def.query instanceof z.ZodObject ? Object.keys((def.query as z.ZodObject).shape) : [];
    return {
      method: def.method,
      path: def.path.replace(/:(\w+)/g, '{$1}'),
      summary: def.summary,
      tags: def.tags,
      requestBody: def.body as AnyObject | undefined,
      responses,
      parameters: [
        ...pathParams.map((name) => ({ name, in: 'path' as const, required: true })),
        ...queryKeys.map((name) => ({ name, in: 'query' as const, required: false })),
      ],
      security: def.access.kind === 'user' || def.access.kind === 'org' ? bearer : def.access.kind === 'optional-user' ? optionalBearer : undefined,
      permission: def.access.kind === 'org' ? `${def.access.resource}:${def.access.action}${def.access.ownerOnly ? ' (owner only)' : ''}` : undefined,
    };
  });
}
