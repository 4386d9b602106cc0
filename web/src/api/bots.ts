// Bots and their knowledge base as the web app reads them (api/routes/bots.ts holds the zod
// schemas that are the source of truth).
import type { BotToolName, Channel } from '../../../bots/vocabulary';
import type { FlowDefinition, Problem as GraphProblem } from '../../../flows/types';
import { api } from './client';
import { orgPath } from './orgs';
import { ApiError } from './problem';

export { BOT_TOOLS, CHANNELS as BOT_CHANNELS, CONTACT_FIELDS } from '../../../bots/vocabulary';

export const BOT_MODES = ['off', 'suggest', 'auto'] as const;
export type BotMode = (typeof BOT_MODES)[number];
export type BotChannel = Channel;
export type BotTool = BotToolName;

export const GOAL_KINDS = ['custom', 'appointment_booked', 'contact_field', 'tag_added'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

export interface BotGoal {
  id: string;
  name: string;
  description: string;
  /** How the goal is recognised as reached; `custom` is only described to the model. */
  kind?: GoalKind;
  field?: string;
  tag?: string;
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
  /** The GHL calendar the booking tools use when a conversation names none; null: no booking. */
  calendarId: string | null;
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

/** Moves the bot to the trash, switched off (restorable for the organization's trash retention period). */
export function deleteBot(orgId: string, botId: string): Promise<void> {
  return api('DELETE', bot(orgId, botId));
}

/** A bot in the trash: restorable until `restorableUntil` (the organization's trashRetentionDays after deletion). */
export interface DeletedBot extends Bot {
  deletedAt: string;
  restorableUntil: string | null;
}

export function listDeletedBots(orgId: string, signal?: AbortSignal): Promise<{ items: DeletedBot[] }> {
  return api('GET', bots(orgId), { query: { deleted: 'true' }, signal });
}

/** Brings a deleted bot back, switched off; 409 (errors on `name`) when another bot took its name. */
export function restoreBot(orgId: string, botId: string): Promise<Bot> {
  return api('POST', `${bot(orgId, botId)}/restore`);
}

export function listKnowledge(orgId: string, botId: string, signal?: AbortSignal): Promise<{ items: KnowledgeDocument[] }> {
  return api('GET', knowledge(orgId, botId), { signal });
}

export function addKnowledge(orgId: string, botId: string, input: NewKnowledge): Promise<KnowledgeAdded> {
  return api('POST', knowledge(orgId, botId), { body: input });
}

/** A PDF, sent as it is: the API extracts its text page by page (a PDF without text is refused). */
export function uploadPdf(orgId: string, botId: string, file: Blob, input: { title?: string; fileName?: string }): Promise<KnowledgeAdded> {
  return api('POST', `${knowledge(orgId, botId)}/pdf`, { upload: { file, contentType: 'application/pdf' }, query: input });
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

// Conversations: chatting as a contact (the simulator), and reading sessions with their traces.
export type ConversationStatus = 'active' | 'handed_off' | 'closed';

export interface ChatInput {
  contactId: string;
  text: string;
  channel?: BotChannel;
  calendarId?: string;
}

export interface ChatReply {
  /** Null while a person has the conversation (handed off) or once it is closed. */
  reply: string | null;
  /** The contact's message (the reply follows it in the transcript). */
  messageId: string;
  status: ConversationStatus;
}

export interface Conversation {
  id: string;
  botId: string;
  contactId: string;
  contactName: string | null;
  channel: string;
  status: ConversationStatus;
  lastMessageAt: string | null;
  messageCount: number;
  /** What the conversation reached of the bot's goals, by goal id. */
  goalState: Record<string, unknown>;
  createdAt: string;
}

export interface TraceToolCall {
  id?: string;
  name: string;
  arguments: unknown;
  result: unknown;
}

/** How a reply was made, as the conversation workflow recorded it (all fields optional: older rows). */
export interface ReplyTrace {
  prompt?: Array<{ role: string; content?: string | null }>;
  retrieved?: Array<{ chunkId: string; score: number; heading?: string | null; title?: string | null }>;
  toolCalls?: TraceToolCall[];
  model?: string;
  error?: string;
  fallback?: boolean;
  [key: string]: unknown;
}

export interface ConversationMessage {
  id: string;
  role: 'user' | 'assistant' | 'human_agent' | 'system' | 'tool';
  channel: string | null;
  text: string;
  toolCalls: unknown[] | null;
  trace: ReplyTrace | null;
  /** Drafted in suggest mode for a person to send; never sent by the bot. */
  suggested?: boolean;
  createdAt: string;
}

export function chatWithBot(orgId: string, botId: string, input: ChatInput): Promise<ChatReply> {
  return api('POST', `${bot(orgId, botId)}/chat`, { body: input });
}

export function listConversations(orgId: string, botId: string, params: { contactId?: string; cursor?: string; limit?: number } = {}, signal?: AbortSignal): Promise<{ items: Conversation[]; nextCursor: string | null }> {
  return api('GET', `${bot(orgId, botId)}/conversations`, { query: params, signal });
}

export function getTranscript(orgId: string, sessionId: string, signal?: AbortSignal): Promise<{ conversation: Conversation; items: ConversationMessage[] }> {
  return api('GET', `${orgPath(orgId)}/conversations/${encodeURIComponent(sessionId)}/messages`, { signal });
}

/** A conversation handed off to people, as the handoff queue lists it. */
export interface Handoff {
  id: string;
  botId: string;
  botName: string;
  contactId: string;
  contactName: string | null;
  channel: string;
  status: ConversationStatus;
  handedOffAt: string | null;
  /** The person who took it over; null while nobody has. */
  assignedUserId: string | null;
  assignedToMe: boolean;
  lastMessage: { role: ConversationMessage['role']; text: string; createdAt: string } | null;
}

export interface HumanReply {
  message: ConversationMessage;
  /** `queued`: on its way through GHL; `not_sent`: a channel read in Flowline (web chat). */
  delivery: 'queued' | 'not_sent';
  duplicate: boolean;
}

export interface BotStats {
  botId: string;
  days: number | null;
  conversations: { total: number; active: number; handedOff: number; closed: number };
  goals: { completed: number; completionRate: number | null; byGoal: Array<{ id: string; name: string | null; reached: number }> };
  handoffs: number;
  messages: { total: number; contact: number; bot: number; human: number };
}

const conversation = (orgId: string, sessionId: string) => `${orgPath(orgId)}/conversations/${encodeURIComponent(sessionId)}`;

export function listHandoffs(orgId: string, params: { cursor?: string; limit?: number; botId?: string } = {}, signal?: AbortSignal): Promise<{ items: Handoff[]; nextCursor: string | null }> {
  return api('GET', `${orgPath(orgId)}/conversations/handoffs`, { query: params, signal });
}

export function takeOver(orgId: string, sessionId: string): Promise<Handoff> {
  return api('POST', `${conversation(orgId, sessionId)}/take-over`);
}

/** `idempotencyKey`: one per reply the person writes, so a retried send stores and sends it once. */
export function replyAsPerson(orgId: string, sessionId: string, text: string, idempotencyKey: string): Promise<HumanReply> {
  return api('POST', `${conversation(orgId, sessionId)}/reply`, { body: { text, idempotencyKey } });
}

export function handBack(orgId: string, sessionId: string): Promise<{ id: string; status: ConversationStatus }> {
  return api('POST', `${conversation(orgId, sessionId)}/hand-back`);
}

export function getBotStats(orgId: string, botId: string, days?: number, signal?: AbortSignal): Promise<BotStats> {
  return api('GET', `${bot(orgId, botId)}/stats`, { query: days ? { days } : {}, signal });
}

/** A bot's conversation graph: the draft, what the compiler says of it, and the version live. */
export interface BotGraph {
  definition: FlowDefinition;
  problems: GraphProblem[];
  /** null: no graph is published and the bot converses freely with its goals and tools. */
  publishedVersion: number | null;
  updatedAt: string | null;
}

export function getBotGraph(orgId: string, botId: string, signal?: AbortSignal): Promise<BotGraph> {
  return api('GET', `${bot(orgId, botId)}/graph`, { signal });
}

/** Saves the draft; the answer carries the problems of compiling it. */
export function saveBotGraph(orgId: string, botId: string, definition: FlowDefinition): Promise<BotGraph> {
  return api('PUT', `${bot(orgId, botId)}/graph`, { body: { definition } });
}

/** A graph with errors is refused with a 422 whose `problems` member lists them (see graphProblemsOf). */
export function publishBotGraph(orgId: string, botId: string): Promise<{ version: number; problems: GraphProblem[] }> {
  return api('POST', `${bot(orgId, botId)}/graph/publish`);
}

/** The bot goes back to free conversation. */
export function unpublishBotGraph(orgId: string, botId: string): Promise<{ publishedVersion: null }> {
  return api('POST', `${bot(orgId, botId)}/graph/unpublish`);
}

/** The compiler's problems a refused publish carries, or undefined for any other error. */
export function graphProblemsOf(error: unknown): GraphProblem[] | undefined {
  if (!(error instanceof ApiError) || error.status !== 422) return undefined;
  const problems = (error.problem as { problems?: unknown }).problems;
  return Array.isArray(problems) ? (problems as GraphProblem[]) : undefined;
}
