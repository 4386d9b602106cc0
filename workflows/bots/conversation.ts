/*
 * One conversation of a bot with a contact (`conversation:<orgId>:<botId>:<contactId>`), started
 * or reached by update-with-start. Each `sendMessage` update stores the contact's message and,
 * while the bot has the conversation, runs one turn and answers with the reply. Turns run one
 * at a time in arrival order. A person takes over with `handoff` (or the model's
 * handoff_to_human tool) and gives it back with `resume`; `close`, the end_conversation tool or
 * the bot's idle timeout (a durable timer) close the session and complete the workflow. Long
 * conversations continue as new, carrying the session, the turn count and a short summary.
 */
import { allHandlersFinished, condition, continueAsNew, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/bots/conversation';
import type { GoalActivities } from '../../activities/bots/goals';
import type { BotGraph, ReplyPolicy, ReplyPolicyActivities } from '../../activities/bots/reply-policy';
import {
  closeSignal,
  type CloseReason,
  type GraphCursor,
  type ConversationInput,
  type ConversationState,
  handoffSignal,
  MAX_MESSAGE_CHARS,
  resumeSignal,
  type SendMessageArgs,
  sendMessageUpdate,
  type SendMessageResult,
  stateQuery,
} from './messages';
import { newCursor, runGraphTurn } from './graph';
import { runTurn, type TurnOutcome } from './turn';

const STORE_OPTIONS = { startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 10, maximumInterval: '10 seconds' } } as const;
const store = proxyActivities<ConversationActivities>(STORE_OPTIONS);
const settings = proxyActivities<ReplyPolicyActivities>(STORE_OPTIONS);
const goals = proxyActivities<GoalActivities>(STORE_OPTIONS);

/** Bots' modes, debounce and automatic-reply limit (histories from before answer as `auto`, at once). */
const REPLY_POLICY_PATCH = 'bot-reply-policy';
/** Goals reached by a turn's tool calls are recorded on the session. */
const GOAL_PROGRESS_PATCH = 'bot-goal-progress';
const LEGACY_POLICY: ReplyPolicy = { mode: 'auto', debounceMs: 0, maxAutoMessages: Number.MAX_SAFE_INTEGER, autoMessagesSent: 0, graphVersion: null };
/** Bots follow their published graph. */
const GRAPH_PATCH = 'bot-graph';

interface Recorded {
  /** The message's place among this run's messages that go to a turn. */
  seq: number;
  key: string;
  session: string;
  messageId: string;
  policy: ReplyPolicy;
}

/** Turns in one run before continuing as new (the history stays far below Temporal's limits). */
const TURNS_PER_RUN = 100;
const SUMMARY_CHARS = 2000;

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  const { orgId, botId, contactId } = input;
  const { workflowId } = workflowInfo();
  const state: ConversationState = { sessionId: input.sessionId ?? null, status: 'active', turns: input.turns ?? 0, lastReply: null };
  let summary = input.summary;
  let closeReason: CloseReason | null = null;
  let turnsThisRun = 0;
  let activity = 0;
  const turnsPerRun = input.turnsPerRunOverride ?? TURNS_PER_RUN;

  // Handlers wait their ticket: turns, handoffs and closes happen one at a time, in arrival order.
  let nextTicket = 0;
  let serving = 0;
  const serially = async <T>(fn: () => Promise<T>): Promise<T> => {
    const ticket = nextTicket++;
    await condition(() => serving === ticket);
    try {
      return await fn();
    } finally {
      serving += 1;
      activity += 1;
    }
  };

  const opened = serially(async () => {
    const session = await store.openSession({ orgId, botId, contactId, channel: input.channel, workflowId, summary });
    // A session outliving its workflow resumes its turn count, so new keys never collide with
    // its messages (histories from before the count was returned have none here).
    if (input.turns === undefined && session.turns !== undefined) state.turns = session.turns;
    return session;
  });

  const sessionId = async () => (await opened).sessionId;

  setHandler(stateQuery, () => state);
  /** What the turns of this run answered, by the last message each covered (see `merged`). */
  const answered: Array<{ upTo: number; result: SendMessageResult }> = [];
  let received = 0;
  // Where the conversation is in the bot's graph (carried across continue-as-new), and the graph.
  let graphCursor: GraphCursor | null = input.graphCursor ?? null;
  let graph: (BotGraph & { version: number }) | null = null;
  // The first turn decides: a conversation begun without a graph stays free when one is published.
  let graphDecided = input.graphCursor !== undefined || (input.turns ?? 0) > 0;

  /** Stores the contact's message; `done` when no turn follows (duplicate, handed off, bot off). */
  async function recordStep(args: SendMessageArgs): Promise<{ done: SendMessageResult } | Recorded> {
    const session = await sessionId();
    // A message that queued behind the one closing the conversation finds it closed.
    if (state.status === 'closed') return { done: { reply: null, messageId: '', status: state.status } };
    const key = `${workflowId}:${session}:turn:${state.turns + 1}`;
    const user = await store.recordUserMessage({ orgId, sessionId: session, idempotencyKey: `${key}:user`, text: args.text, channel: args.channel, externalMessageId: args.externalMessageId });
    if (user.duplicate) return { done: { reply: user.earlierReply, messageId: user.messageId, status: state.status } };
    state.turns += 1;
    turnsThisRun += 1;
    if (state.status === 'handed_off') return { done: { reply: null, messageId: user.messageId, status: state.status } };
    // Conversations that began before bots had modes answer as they always did.
    const policy = patched(REPLY_POLICY_PATCH) ? await settings.replyPolicy({ orgId, botId, sessionId: session }) : LEGACY_POLICY;
    if (!args.preview && policy.mode === 'off') return { done: { reply: null, messageId: user.messageId, status: state.status } };
    received += 1;
    return { seq: received, key, session, messageId: user.messageId, policy };
  }

  /** One turn answering every message up to `recorded` (the transcript holds them all). */
  async function turnStep(args: SendMessageArgs, recorded: Recorded): Promise<SendMessageResult> {
    const { session, key, messageId, policy } = recorded;
    let result: SendMessageResult = { reply: null, messageId, status: state.status };
    try {
      if (state.status !== 'active') return (result = { reply: null, messageId, status: state.status });
      if (!args.preview && policy.autoMessagesSent >= policy.maxAutoMessages) {
        // Out of automatic replies: a person carries on.
        await moveTo(session, 'handed_off');
        return (result = { reply: null, messageId, status: state.status });
      }
      const suggest = !args.preview && policy.mode === 'suggest';
      const context = { orgId, botId, contactId, sessionId: session, calendarId: input.calendarId, summary };
      let turn: TurnOutcome;
      if (!graphDecided && !suggest) {
        graphDecided = true;
        if (policy.graphVersion) graphCursor = newCursor(policy.graphVersion);
      }
      const cursor = graphCursor;
      if (cursor && !cursor.done && !suggest && patched(GRAPH_PATCH)) {
        if (graph?.version !== cursor.version) graph = { version: cursor.version, ...(await settings.loadBotGraph({ orgId, botId, version: cursor.version })) };
        const step = await runGraphTurn({ ...context, ir: graph.ir, cursor, message: args.text, fallbackMessage: graph.fallbackMessage });
        graphCursor = step.cursor;
        turn = step;
      } else {
        turn = await runTurn({ ...context, ...(suggest ? { draft: true } : {}) });
      }
      const said = turn.reply.trim() !== '';
      const trace = { ...turn.trace };
      if (!suggest && turn.toolCalls.length > 0 && patched(GOAL_PROGRESS_PATCH)) {
        const progress = await goals.recordGoalProgress({ orgId, botId, sessionId: session, toolCalls: turn.toolCalls });
        state.goalState = progress.goalState;
        trace.goalsReached = progress.reached;
      }
      // A graph turn may say nothing (an action, then a hand-off without a message).
      if (said) {
        await store.recordReply({ orgId, sessionId: session, idempotencyKey: `${key}:reply`, text: turn.reply, channel: args.channel, toolCalls: turn.toolCalls, trace, ...(suggest ? { suggested: true } : {}) });
        state.lastReply = turn.reply;
        summary = summarize(summary, args.text, turn.reply);
      }
      // A suggestion is only a draft: nothing the model asked for with it changes the session.
      if (!suggest && turn.handoff) await moveTo(session, 'handed_off');
      if (!suggest && turn.end) await close(session, 'bot');
      const reply = said ? turn.reply : null;
      result = suggest ? { reply: null, ...(reply ? { suggestion: reply } : {}), messageId, status: state.status } : { reply, messageId, status: state.status };
      return result;
    } finally {
      answered.push({ upTo: recorded.seq, result });
    }
  }

  setHandler(
    sendMessageUpdate,
    async (args: SendMessageArgs): Promise<SendMessageResult> => {
      let windowMs = 0;
      const first = await serially(async () => {
        const recorded = await recordStep(args);
        if ('done' in recorded) return recorded;
        windowMs = args.preview ? 0 : recorded.policy.debounceMs;
        // Without a debounce window the turn runs at once, holding the queue.
        return windowMs > 0 ? recorded : { done: await turnStep(args, recorded) };
      });
      if ('done' in first) return first.done;
      // The debounce window: a later message within it takes this one into its turn.
      const later = await condition(() => received !== first.seq, windowMs);
      if (later) {
        await condition(() => answered.some((a) => a.upTo >= first.seq));
        const by = answered.find((a) => a.upTo >= first.seq)!;
        return { ...by.result, messageId: first.messageId, merged: true };
      }
      return serially(() => turnStep(args, first));
    },
    {
      validator: (args: SendMessageArgs) => {
        if (state.status === 'closed') throw new Error('This conversation is closed');
        if (typeof args?.text !== 'string' || args.text.trim() === '') throw new Error('The message is empty');
        if (args.text.length > MAX_MESSAGE_CHARS) throw new Error(`The message is longer than ${MAX_MESSAGE_CHARS} characters`);
      },
    },
  );
  setHandler(handoffSignal, () =>
    serially(async () => {
      if (state.status === 'active') await moveTo(await sessionId(), 'handed_off');
    }),
  );
  setHandler(resumeSignal, () =>
    serially(async () => {
      if (state.status === 'handed_off') await moveTo(await sessionId(), 'active');
    }),
  );
  setHandler(closeSignal, (args) =>
    serially(async () => {
      if (state.status !== 'closed') await close(await sessionId(), args?.reason ?? 'human');
    }),
  );

  async function moveTo(session: string, status: 'active' | 'handed_off'): Promise<void> {
    await store.setSessionStatus({ orgId, sessionId: session, status });
    state.status = status;
  }
  async function close(session: string, reason: CloseReason): Promise<void> {
    await store.setSessionStatus({ orgId, sessionId: session, status: 'closed', reason, summary });
    state.status = 'closed';
    closeReason = reason;
  }

  const { sessionId: session, idleTimeoutSeconds, status } = await opened;
  state.sessionId = session;
  state.status = status;
  const idleMs = (input.idleTimeoutSecondsOverride ?? idleTimeoutSeconds) * 1000;

  // A function, not a comparison: handlers change the status while this loop waits.
  const isClosed = () => state.status === 'closed';
  while (!isClosed()) {
    const seen = activity;
    const busy = () => nextTicket !== serving;
    const stirred = await condition(() => activity !== seen || busy() || state.status === 'closed' || turnsThisRun >= turnsPerRun || workflowInfo().continueAsNewSuggested, idleMs);
    if (!stirred) {
      await serially(async () => {
        if (state.status !== 'closed') await close(session, 'idle');
      });
      continue;
    }
    if (!isClosed() && (turnsThisRun >= turnsPerRun || workflowInfo().continueAsNewSuggested)) {
      await condition(() => !busy() && allHandlersFinished());
      if (isClosed()) break;
      log.info('conversation continues as new', { turns: state.turns });
      await continueAsNew<typeof conversationWorkflow>({ ...input, sessionId: session, turns: state.turns, summary, ...(graphCursor ? { graphCursor } : {}) });
    }
    await condition(() => !busy());
  }
  // Replies to the last messages go out before the workflow completes.
  await condition(allHandlersFinished);
  log.info('conversation closed', { reason: closeReason });
  return state;
}

/** A short, deterministic summary: the previous one and the last exchange, cut to SUMMARY_CHARS. */
function summarize(previous: string | undefined, said: string, replied: string): string {
  const line = `Contact: ${said.slice(0, 300)}\nBot: ${replied.slice(0, 300)}`;
  const text = previous ? `${previous}\n${line}` : line;
  return text.length > SUMMARY_CHARS ? text.slice(text.length - SUMMARY_CHARS) : text;
}
