// Names and shapes shared by the conversation workflow and the API (which sends messages to it
// with update-with-start, signals handoff/resume/close and queries its state). Free of
// workflow-runtime state so the API can import it too.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Channel } from '../../bots/vocabulary';

export { CHANNELS, type Channel } from '../../bots/vocabulary';
export type ConversationStatus = 'active' | 'handed_off' | 'closed';
export type CloseReason = 'idle' | 'goal_reached' | 'bot' | 'human' | 'contact';

/** Longest message a contact may send in one turn (characters). */
export const MAX_MESSAGE_CHARS = 4000;

export interface ConversationInput {
  orgId: string;
  botId: string;
  /** Flowline's contact id (public.contacts.id); GHL is called with its ghl_contact_id. */
  contactId: string;
  channel: Channel;
  /** What the conversation was about so far (set by continue-as-new). */
  summary?: string;
  /** GHL calendar the booking tools use; without it they answer that booking is unavailable. */
  calendarId?: string;
  /** Tests only: an idle timeout shorter than the database's 60-second minimum. */
  idleTimeoutSecondsOverride?: number;
  /** Tests only: continue as new after this many turns instead of every 100. */
  turnsPerRunOverride?: number;
  /** Carried by continue-as-new: the session and the number of turns already taken. */
  sessionId?: string;
  turns?: number;
  /** Carried by continue-as-new: where the conversation is in the bot's graph. */
  graphCursor?: GraphCursor;
}

/** Where a conversation is in its bot's graph (see graph.ts). */
export interface GraphCursor {
  /** The publication the conversation started with: it keeps it whatever is published later. */
  version: number;
  /** The node to resume at; null before the first message. */
  at: string | null;
  /** Ask-again count of the ask node waiting, and replies given by the agent node talking. */
  retries: number;
  agentTurns: number;
  /** Answers collected by ask nodes ({{ vars.<name> }}). */
  vars: Record<string, unknown>;
  /** The graph ran out of edges: the bot converses freely from now on. */
  done: boolean;
}

export interface SendMessageArgs {
  text: string;
  /** The channel's id for the message (GHL's message id): a second delivery gets the first reply. */
  externalMessageId?: string;
  channel: Channel;
  /**
   * The simulator: the bot answers at once whatever its mode (no debounce window). Without it,
   * an `off` bot stays silent and a `suggest` bot drafts its reply for a person instead.
   */
  preview?: boolean;
}

export interface SendMessageResult {
  /**
   * The reply to deliver to the contact. Null while a person has the conversation (handed off),
   * when the bot is off or only suggests, and after its automatic replies ran out.
   */
  reply: string | null;
  /** The contact's message as stored. */
  messageId: string;
  status: ConversationStatus;
  /** Suggest mode: the drafted reply a person may send. */
  suggestion?: string;
  /**
   * The message came within the debounce window of a later one: one turn answered both, and
   * `reply` is that turn's reply, delivered with the later message (not again with this one).
   */
  merged?: boolean;
}

export interface ConversationState {
  sessionId: string | null;
  status: ConversationStatus;
  turns: number;
  lastReply: string | null;
  /** Goals reached so far, by goal id (see bots/goals/progress.ts). */
  goalState?: Record<string, { reached: true; via: string; at: string }>;
}

export const sendMessageUpdate = defineUpdate<SendMessageResult, [SendMessageArgs]>('sendMessage');
export const stateQuery = defineQuery<ConversationState>('state');
/** A person takes over: the bot stops replying until `resume`. */
export const handoffSignal = defineSignal<[{ reason?: string }?]>('handoff');
export const resumeSignal = defineSignal('resume');
export const closeSignal = defineSignal<[{ reason?: CloseReason }?]>('close');

export const conversationWorkflowId = (orgId: string, botId: string, contactId: string) => `conversation:${orgId}:${botId}:${contactId}`;
