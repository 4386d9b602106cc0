import { z } from 'zod';
import { decodeCursor, page } from '../http/cursor';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { pageQuery } from '../schemas/common';

const entrySchema = z.object({
  id: z.uuid(),
  actorUserId: z.uuid().nullable(),
  actorEmail: z.string().nullable(),
  actorRole: z.string().nullable(),
  tableName: z.string(),
  rowId: z.uuid().nullable(),
  operation: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  changedColumns: z.array(z.string()),
  diff: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

const listQuery = z.strictObject({ ...pageQuery, table: z.string().regex(/^[a-z_]{1,63}$/, 'A table name').optional() });

interface AuditRow {
  id: string;
  actor_user_id: string | null;
  actor_email: string | null;
  actor_role: string | null;
  table_name: string;
  row_id: string | null;
  operation: 'INSERT' | 'UPDATE' | 'DELETE';
  changed_columns: string[];
  diff: Record<string, unknown>;
  created_at: Date;
  // Full microsecond precision for the cursor (a JS Date keeps milliseconds only).
  created_key: string;
}

export const auditLogRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/audit-log',
    summary: 'The audit trail, newest first',
    tags: ['audit'],
    access: orgAccess('audit_log', 'read'),
    query: listQuery,
    response: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }),
    async handler({ params, query, asUser }) {
      const after = decodeCursor(query.cursor);
      const rows = await asUser(
        (tx) => tx<AuditRow[]>`
          select a.*, a.created_at::text as created_key, p.email as actor_email
          from public.audit_log a
          left join app.org_member_profiles(${params.orgId!}) p on p.user_id = a.actor_user_id
          where a.organization_id = ${params.orgId!}
            ${query.table ? tx`and a.table_name = ${query.table}` : tx``}
            ${after ? tx`and (a.created_at, a.id) < (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
          order by a.created_at desc, a.id desc
          limit ${query.limit + 1}`,
      );
      const result = page(rows, query.limit, (r) => r.created_key);
      return {
        items: result.items.map((r) => ({
          id: r.id,
          actorUserId: r.actor_user_id,
          actorEmail: r.actor_email,
          actorRole: r.actor_role,
          tableName: r.table_name,
          rowId: r.row_id,
          operation: r.operation,
          changedColumns: r.changed_columns,
          diff: r.diff,
          createdAt: r.created_at.toISOString(),
        })),
        nextCursor: result.nextCursor,
      };
    },
  }),
];
