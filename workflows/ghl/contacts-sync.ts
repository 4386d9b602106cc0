import { continueAsNew, proxyActivities, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ContactsCursor, ContactsSyncActivities, ContactsSyncCounts } from '../../activities/integrations/contacts-sync';
import { WORKFLOW_KINDS } from '../shared';

const { beginContactsSync, finishContactsSync } = proxyActivities<ContactsSyncActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, maximumInterval: '1 minute' },
});

// A 429 is retried after the delay GHL asked for (the failure's nextRetryDelay); network trouble
// and 5xx on the usual backoff; a refused token or a bad request not at all.
const { syncContactsPage } = proxyActivities<ContactsSyncActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes', maximumAttempts: 20 },
});

export const DEFAULT_CONTACTS_PAGE_SIZE = 100;
/** Pages per run before continuing as new: keeps each history short whatever the location's size. */
export const DEFAULT_PAGES_PER_RUN = 50;

export interface ContactsSyncInput {
  orgId: string;
  integrationId: string;
  pageSize?: number;
  pagesPerRun?: number;
  /** Set when a run continues as new: where the previous run stopped, and its counts so far. */
  resume?: { syncId: string; cursor: ContactsCursor; counts: Omit<ContactsSyncCounts, 'deleted'> };
}

export interface ContactsSyncResult extends ContactsSyncCounts {
  /** The contacts_sync_runs row; null when skipped. */
  syncId: string | null;
  /** True when the integration is gone or disconnected, so nothing was synced. */
  skipped: boolean;
}

/** The id of a sync started by hand ("sync now"); scheduled runs get the schedule's ids. */
export const contactsSyncWorkflowId = (orgId: string, integrationId: string) => `ghl-contacts-sync:${orgId}:${integrationId}`;

/**
 * Reconciles our contacts with a GHL location: pages through POST /contacts/search (oldest
 * first), upserting each page without overwriting newer webhook states, then tombstones the
 * contacts GHL no longer lists. Only the cursor and counts cross this history, never contact data.
 */
export async function ghlContactsSyncWorkflow(input: ContactsSyncInput): Promise<ContactsSyncResult> {
  upsertSearchAttributes({ OrganizationId: [input.orgId], Kind: [WORKFLOW_KINDS.ghlSync] });
  const { orgId, integrationId } = input;
  const pageSize = input.pageSize ?? DEFAULT_CONTACTS_PAGE_SIZE;
  const pagesPerRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;

  let syncId: string;
  let cursor: ContactsCursor | null;
  const counts = { pages: 0, upserted: 0, unchanged: 0 };
  if (input.resume) {
    ({ syncId, cursor } = input.resume);
    Object.assign(counts, input.resume.counts);
  } else {
    // uuid4() is deterministic in a workflow: a replay opens the same run.
    syncId = uuid4();
    cursor = null;
    const begun = await beginContactsSync({ orgId, integrationId, syncId });
    if (!begun) return { ...counts, deleted: 0, syncId: null, skipped: true };
  }

  for (let pagesHere = 0; ; pagesHere++) {
    if (cursor && (pagesHere >= pagesPerRun || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof ghlContactsSyncWorkflow>({ ...input, resume: { syncId, cursor, counts } });
    }
    const page = await syncContactsPage({ orgId, integrationId, syncId, cursor, pageSize });
    counts.pages += 1;
    counts.upserted += page.upserted;
    counts.unchanged += page.unchanged;
    if (!page.next) break;
    cursor = page.next;
  }

  const done = await finishContactsSync({ orgId, integrationId, syncId, counts });
  return { ...done, syncId, skipped: false };
}
