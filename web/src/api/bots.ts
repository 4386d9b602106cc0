// Bots and their knowledge base as the web app reads them (api/routes/bots.ts holds the zod
// schemas that are the source of truth).
import { api } from './client';
import { orgPath } from './orgs';

export const BOT_MODES = ['off', 'suggest', 'auto'] as const;
export type BotMode = (typeof BOT_MODES)[number];
export const BOT_CHANNELS = ['sms', 'email', 'web', 'facebook', 'instagram', 'whatsapp', 'live_chat', 'gmb'] as const;
export type BotChannel = (typeof BOT_CHANNELS)[number];
export const BOT_TOOLS = ['add_tag', 'update_contact_field', 'find_free_slots', 'book_appointment', 'handoff_to_human', 'end_conversation'] as const;
export type BotTool = (typeof BOT_TOOLS)[number];

export interface BotGoal {
  id: string;
  name: string;
  description: string;
}

export interface BotGuardrails {
  maxToolCallsPerTurn: number;
  fallbackMessage: string;
  allowedTools: BotTool[];
}

/** What a bot is made of: the fields the API accepts in a create or a change. */
export interface BotFields {
  name: string;
  mode: BotMode;
  channels: BotChannel[];
  /** null: the platform's default model. */
  model: string | null;
  persona: string;
  instructions: string;
  goals: BotGoal[];
  guardrails: BotGuardrails;
  replyDebounceMs: number;
  maxAutoMessages: number;
  sleepOnHumanReply: boolean;
  idleTimeoutSeconds: number;
}

export interface Bot extends BotFields {
  id: string;
  knowledgeDocuments: number;
  createdAt: string;
  updatedAt: string;
}

export type KnowledgeKind = 'text' | 'markdown' | 'faq';

export interface KnowledgeDocument {
  id: string;
  title: string;
  /** pdf: written by other paths; the web adds text, markdown and FAQs. */
  sourceKind: KnowledgeKind | 'pdf';
  fileName: string | null;
  sizeBytes: number;
  chunkCount: number;
  status: 'processing' | 'ready' | 'failed';
  createdAt: string;
}

export interface NewKnowledge {
  title: string;
  sourceKind: KnowledgeKind;
  text: string;
  fileName?: string;
}

/** created false: the same text was already there, and this is that document. */
export interface KnowledgeAdded {
  document: KnowledgeDocument;
  created: boolean;
}

export interface KnowledgeChunk {
  id: string;
  position: number;
  heading: string | null;
  content: string;
}

export interface RetrievedChunk {
  chunkId: string;
  documentId: string;
  title: string;
  heading: string | null;
  content: string;
  score: number;
}

const bots = (orgId: string) => `${orgPath(orgId)}/bots`;
const bot = (orgId: string, botId: string) => `${bots(orgId)}/${encodeURIComponent(botId)}`;
const knowledge = (orgId: string, botId: string) => `${bot(orgId, botId)}/knowledge`;

export function listBots(orgId: string, signal?: AbortSignal): Promise<{ items: Bot[] }> {
  return api('GET', bots(orgId), { signal });
}

export function createBot(orgId: string, fields: Partial<BotFields> & { name: string }): Promise<Bot> {
  return api('POST', bots(orgId), { body: fields });
}

export function getBot(orgId: string, botId: string, signal?: AbortSignal): Promise<Bot> {
  return api('GET', bot(orgId, botId), { signal });
}

export function updateBot(orgId: string, botId: string, changes: Partial<BotFields>): Promise<Bot> {
  return api('PATCH', bot(orgId, botId), { body: changes });
}

export function deleteBot(orgId: string, botId: string): Promise<void> {
  return api('DELETE', bot(orgId, botId));
}

export function listKnowledge(orgId: string, botId: string, signal?: AbortSignal): Promise<{ items: KnowledgeDocument[] }> {
  return api('GET', knowledge(orgId, botId), { signal });
}

export function addKnowledge(orgId: string, botId: string, input: NewKnowledge): Promise<KnowledgeAdded> {
  return api('POST', knowledge(orgId, botId), { body: input });
}

export function listChunks(orgId: string, botId: string, documentId: string, signal?: AbortSignal): Promise<{ items: KnowledgeChunk[] }> {
  return api('GET', `${knowledge(orgId, botId)}/${encodeURIComponent(documentId)}/chunks`, { signal });
}

export function deleteKnowledge(orgId: string, botId: string, documentId: string): Promise<void> {
  return api('DELETE', `${knowledge(orgId, botId)}/${encodeURIComponent(documentId)}`);
}

export function searchKnowledge(orgId: string, botId: string, query: string, limit?: number): Promise<{ items: RetrievedChunk[] }> {
  return api('POST', `${knowledge(orgId, botId)}/search`, { body: { query, limit } });
}
