import { api } from './client';
import { orgPath } from './orgs';

/** GET/PUT /orgs/:orgId/data-retention: days each kind of data is kept, and whether it is archived first. */
export interface RetentionSettings {
  executionRetentionDays: number;
  conversationRetentionDays: number;
  auditRetentionDays: number;
  trashRetentionDays: number;
  webhookEventRetentionDays: number;
  archiveBeforeDelete: boolean;
}

export type RetentionView = RetentionSettings & { defaults: RetentionSettings };

export function getRetention(orgId: string, signal?: AbortSignal): Promise<RetentionView> {
  return api<RetentionView>('GET', `${orgPath(orgId)}/data-retention`, { signal });
}

export function updateRetention(orgId: string, changes: Partial<RetentionSettings>): Promise<RetentionView> {
  return api<RetentionView>('PUT', `${orgPath(orgId)}/data-retention`, { body: changes });
}

/** What "forget" removed (POST /orgs/:orgId/contacts/:contactId/forget). */
export interface ForgetResult {
  forgotten: true;
  removed: {
    conversations: number;
    messages: number;
    executions: number;
    webhookEvents: number;
    auditEntriesRedacted: number;
    salesUnlinked: number;
    receiptsUnlinked: number;
  };
  temporalHistories: { deleted: number; alreadyGone: number; failed: string[] };
}

export function forgetContact(orgId: string, contactId: string): Promise<ForgetResult> {
  return api<ForgetResult>('POST', `${orgPath(orgId)}/contacts/${encodeURIComponent(contactId)}/forget`);
}
