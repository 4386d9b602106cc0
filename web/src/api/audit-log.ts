import { api } from './client';
import { orgPath } from './orgs';
import type { AuditEntry, Page } from './types';

export function listAuditLog(orgId: string, params: { table?: string; cursor?: string; limit?: number }, signal?: AbortSignal): Promise<Page<AuditEntry>> {
  return api('GET', `${orgPath(orgId)}/audit-log`, { query: params, signal });
}
