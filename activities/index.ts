import type { Sql } from '../db/client';
import { createBotChannelActivities } from './bots/channels';
import { createConversationActivities } from './bots/conversation';
import { createGoalActivities } from './bots/goals';
import { createHumanReplyActivities } from './bots/human-reply';
import type { Embedder } from './bots/embeddings';
import { createKnowledgeActivities } from './bots/knowledge';
import { createReplyPolicyActivities } from './bots/reply-policy';
import { createBotToolActivities } from './bots/tools';
import { createCommissionActivities } from './commissions';
import { createReadinessActivities } from './db/readiness';
import { createFlowActivities, type FlowActivityDeps } from './flow';
import type { GhlAccessSettings } from './integrations/ghl-access';
import { createContactsSyncActivities } from './integrations/contacts-sync';
import { createGhlEventActivities } from './integrations/ghl-events';
import { createReceiptActivities } from './receipts';
import { DEFAULT_RECEIPTS_DIR, localReceiptStorage, type ReceiptStorage } from './receipts/storage';
import { type ArchiveStorage, DEFAULT_ARCHIVE_DIR } from './retention/archive';
import { createRetentionActivities } from './retention/apply';

export interface ActivityDeps {
  sql: Sql;
  http: FlowActivityDeps['http'];
  llm: FlowActivityDeps['llm'];
  /** GoHighLevel: where its API is and how to open credentials; absent, GHL steps fail saying so. */
  ghl?: GhlAccessSettings;
  /** Embeds bots' knowledge and messages (FLOWLINE_EMBEDDINGS_MODEL); absent, retrieval is full-text only. */
  embedder?: Embedder;
  /** Where receipt files are kept and the vision model that reads them (on the llm endpoint); default: .data/receipts and gpt-4o-mini. */
  receipts?: { storage: ReceiptStorage; model: string };
  /** Where retention archives rows before deleting them (for organizations that ask); default: .data/archive. */
  archive?: ArchiveStorage;
}

const NO_GHL: GhlAccessSettings = { keyRing: undefined, baseUrl: 'https://services.leadconnectorhq.com', oauth: undefined };

/** Every activity the worker registers. Workflows import only the *type* of this. */
export function createActivities(input: ActivityDeps) {
  const deps = { ...input, ghl: input.ghl ?? NO_GHL, receipts: input.receipts ?? { storage: localReceiptStorage(DEFAULT_RECEIPTS_DIR), model: 'gpt-4o-mini' },
    archive: input.archive ?? localReceiptStorage(DEFAULT_ARCHIVE_DIR),
  };
  return {
    ...createReadinessActivities(deps),
    ...createFlowActivities(deps),
    ...createRetentionActivities(deps),
    ...createGhlEventActivities(deps),
    ...createContactsSyncActivities(deps),
    ...createCommissionActivities(deps),
    ...createKnowledgeActivities(deps),
    ...createConversationActivities(deps),
    ...createBotToolActivities(deps),
    ...createBotChannelActivities(deps),
    ...createReplyPolicyActivities(deps),
    ...createGoalActivities(deps),
    ...createHumanReplyActivities(deps),
    ...createReceiptActivities({ sql: deps.sql, storage: deps.receipts.storage, model: { ...deps.llm, model: deps.receipts.model } }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
