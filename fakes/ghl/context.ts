import type { Request } from 'express';
import { fail, invalid } from './errors';
import type { FakeGhlState } from './state';

export interface Ctx {
  state: FakeGhlState;
  /** The location of the bearer token. */
  locationId: string;
  companyId: string;
  /** Sends a webhook for an API mutation when a webhook target is configured. */
  emit(event: Record<string, unknown>): void;
  /** The GHL user named on messages sent through the API (null: none, as for a location token). */
  apiMessagesUserId: string | null;
}

export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export const created = (body: unknown) => new Reply(201, body);

export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  /** The `Version` header this endpoint requires. */
  version: string;
  handler(req: Request, ctx: Ctx): unknown;
}

export const V_2021_07_28 = '2021-07-28';
export const V_2021_04_15 = '2021-04-15';

/** A location id named in the request must be the token's own location. */
export function assertLocation(ctx: Ctx, value: unknown, field = 'locationId'): void {
  if (value === undefined || value === null || value === '') throw invalid(`${field} should not be empty`, `${field} must be a string`);
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  if (value !== ctx.locationId) throw fail(403, 'The token does not have access to this location.');
}

export function body(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

export function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function queryInt(req: Request, name: string, min: number, max: number): number | undefined {
  const raw = queryString(req, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(`${name} must not be less than ${min}`, `${name} must not be greater than ${max}`);
  return n;
}

export const param = (req: Request, name: string) => String(req.params[name]);
