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
import { createRetentionActivities } from './db/retention';
import { createFlowActivities, type FlowActivityDeps } from './flow';
import type { GhlAccessSettings } from './integrations/ghl-access';
import { createContactsSyncActivities } from './integrations/contacts-sync';
import { createGhlEventActivities } from './integrations/ghl-events';

export interface ActivityDeps {
  sql: Sql;
  http: FlowActivityDeps['http'];
  llm: FlowActivityDeps['llm'];
  /** GoHighLevel: where its API is and how to open credentials; absent, GHL steps fail saying so. */
  ghl?: GhlAccessSettings;
  /** Embeds bots' knowledge and messages (FLOWLINE_EMBEDDINGS_MODEL); absent, retrieval is full-text only. */
  embedder?: Embedder;
}

const NO_GHL: GhlAccessSettings = { keyRing: undefined, baseUrl: 'https://services.leadconnectorhq.com', oauth: undefined };

/** Every activity the worker registers. Workflows import only the *type* of this. */
export function createActivities(input: ActivityDeps) {
  const deps = { ...input, ghl: input.ghl ?? NO_GHL };
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
  };
}

export type Activities = ReturnType<typeof createActivities>;
