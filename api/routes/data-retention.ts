/*
 * An organization's retention settings, validated field by field. They live in
 * organizations.settings (where the database's retention functions read them, see
 * 20261207000300_retention_settings.sql), so this route is the typed door to those keys.
 */
import { z } from 'zod';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

/** Defaults, as the database applies them when a key is missing. */
export const RETENTION_DEFAULTS = {
  executionRetentionDays: 30,
  conversationRetentionDays: 365,
  auditRetentionDays: 365,
  trashRetentionDays: 30,
  webhookEventRetentionDays: 30,
  archiveBeforeDelete: false,
} as const;

const days = z.number().int('Whole days').min(1, 'At least 1 day').max(3650, 'At most 3650 days (10 years)');

const retentionBody = z
  .strictObject({
    executionRetentionDays: days.optional(),
    conversationRetentionDays: days.optional(),
    auditRetentionDays: days.optional(),
    trashRetentionDays: days.optional(),
    webhookEventRetentionDays: days.optional(),
    archiveBeforeDelete: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Send at least one setting');

type Retention = { -readonly [K in keyof typeof RETENTION_DEFAULTS]: (typeof RETENTION_DEFAULTS)[K] extends boolean ? boolean : number };

/** What applies: a stored value the database would ignore (wrong type, out of range) shows as the default. */
function effective(settings: Record<string, unknown>): Retention {
  const out = { ...RETENTION_DEFAULTS } as Retention;
  for (const key of Object.keys(RETENTION_DEFAULTS) as (keyof Retention)[]) {
    const value = settings[key];
    if (key === 'archiveBeforeDelete') {
      if (typeof value === 'boolean') out.archiveBeforeDelete = value;
    } else if (typeof value === 'number' && value >= 1 && value <= 3650) {
      out[key] = Math.floor(value);
    }
  }
  return out;
}

export const dataRetentionRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/data-retention',
    summary: 'How long executions, conversations, the audit log, webhook deliveries and deleted items are kept, and whether they are archived first',
    tags: ['organizations'],
    access: orgAccess('organization', 'read'),
    async handler({ params, asUser }) {
      const [row] = await asUser((tx) => tx<{ settings: Record<string, unknown> }[]>`
        select settings from public.organizations where id = ${params.orgId!}`);
      if (!row) throw new HttpError(404, 'No such organization');
      return { ...effective(row.settings), defaults: RETENTION_DEFAULTS };
    },
  }),
  defineRoute<z.infer<typeof retentionBody>>({
    method: 'put',
    path: '/api/v1/orgs/:orgId/data-retention',
    summary: 'Change retention settings (only the ones sent); the daily retention run applies them',
    tags: ['organizations'],
    access: orgAccess('organization', 'update'),
    body: retentionBody,
    async handler({ params, body, asUser }) {
      const [row] = await asUser((tx) => tx<{ settings: Record<string, unknown> }[]>`
        update public.organizations set settings = settings || ${tx.json(body as never)}
        where id = ${params.orgId!} returning settings`);
      if (!row) throw new HttpError(404, 'No such organization');
      return { ...effective(row.settings), defaults: RETENTION_DEFAULTS };
    },
  }),
];
