// A long conversation continues as new (here every 3 turns, through the test-only override) and
// nothing of it is lost: the turn count, the session, the transcript in order, and the summary
// of earlier exchanges in the prompt of the turns after the hand-over.
import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { sendBotMessage } from '../../api/bots/conversation';
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { conversationWorkflowId, stateQuery } from '../../workflows/bots/messages';
import { testSql } from '../helpers/db';
import { createTenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

const TURNS_PER_RUN = 3;
const TURNS = 7;
const EventType = proto.api.enums.v1.EventType;

describe('a long bot conversation', () => {
  let sql: Sql;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let temporal: { client: Client; close: () => Promise<void> };
  let orgId: string;
  let botId: string;
  let contactId: string;
  beforeAll(async () => {
    sql = testSql();
    llm = await startFakeLlm();
    worker = await startWorker({ llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    temporal = await connectClient();
    orgId = (await createTenant(sql, 'bots-can')).orgId;
    // No tools: every turn is one plain answer from the sandbox model.
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, persona, guardrails)
      values (${orgId}, 'Front desk', 'auto', 'A friendly front desk assistant.', ${sql.json({ allowedTools: [] })}) returning id`;
    botId = bot!.id;
    const [contact] = await sql<{ id: string }[]>`insert into public.contacts (organization_id, ghl_contact_id, name) values (${orgId}, 'ghl-can-1', 'Ada') returning id`;
    contactId = contact!.id;
  }, 60_000);
  afterAll(async () => {
    await temporal?.close();
    await worker?.stop();
    await llm?.close();
    await sql?.end();
  });

  /** The run after `runId`, read from the continued-as-new event that ends it (none: it is the last). */
  async function nextRun(workflowId: string, runId: string): Promise<string | null> {
    const history = await temporal.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const last = history.events!.at(-1)!;
    if (last.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) return null;
    return last.workflowExecutionContinuedAsNewEventAttributes!.newExecutionRunId!;
  }

  it('continues as new every few turns, keeping the count, the session, the transcript and a summary', async () => {
    const workflowId = conversationWorkflowId(orgId, botId, contactId);
    // Started by hand to carry the override; the messages then reach it by update-with-start, as in production.
    const first = await temporal.client.workflow.start('conversationWorkflow', {
      workflowId,
      taskQueue: worker.taskQueue,
      args: [{ orgId, botId, contactId, channel: 'web', turnsPerRunOverride: TURNS_PER_RUN }],
    });
    const handle = temporal.client.workflow.getHandle(workflowId);
    const said = Array.from({ length: TURNS }, (_, i) => `Question number ${i + 1} about opening hours`);
    const replies: string[] = [];
    let sessionId: string | null = null;
    for (const text of said) {
      const result = await sendBotMessage({ temporal: temporal.client, taskQueue: worker.taskQueue } as never, { orgId, botId, contactId, channel: 'web', text });
      expect(result.status).toBe('active');
      expect(result.reply).toContain(text);
      replies.push(result.reply!);
      const state = await handle.query(stateQuery);
      sessionId ??= state.sessionId;
      expect(state.sessionId).toBe(sessionId);
    }

    const state = await handle.query(stateQuery);
    expect(state).toMatchObject({ sessionId, turns: TURNS, status: 'active', lastReply: replies.at(-1) });

    // The chain of runs: 7 turns at 3 per run are three runs, the first two continued as new.
    const runs = [first.firstExecutionRunId];
    for (let next = await nextRun(workflowId, runs[0]!); next; next = await nextRun(workflowId, runs.at(-1)!)) runs.push(next);
    expect(runs).toHaveLength(Math.ceil(TURNS / TURNS_PER_RUN));
    expect(new Set(runs).size).toBe(runs.length);
    expect((await handle.describe()).runId).toBe(runs.at(-1));

    // One session, and every message of every run in it, in order.
    const sessions = await sql<{ id: string; temporal_workflow_id: string }[]>`
      select id, temporal_workflow_id from public.conversation_sessions where organization_id = ${orgId} and contact_id = ${contactId}`;
    expect(sessions).toEqual([{ id: sessionId, temporal_workflow_id: workflowId }]);
    const rows = await sql<{ role: string; text: string; trace: { prompt: Array<{ role: string; content: string }> } | null }[]>`
      select role, text, trace from public.conversation_messages where organization_id = ${orgId} and session_id = ${sessionId} order by created_at, id`;
    expect(rows.map((r) => [r.role, r.text])).toEqual(said.flatMap((text, i) => [['user', text], ['assistant', replies[i]]]));

    // The first turn of each later run starts from the summary carried over: every earlier exchange is in its system prompt.
    for (let turn = TURNS_PER_RUN + 1; turn <= TURNS; turn += TURNS_PER_RUN) {
      const system = rows[2 * (turn - 1) + 1]!.trace!.prompt[0]!;
      expect(system.role).toBe('system');
      expect(system.content).toContain('Conversation so far (summary):');
      for (let earlier = 0; earlier < turn - 1; earlier += 1) {
        expect(system.content).toContain(`Contact: ${said[earlier]}`);
        expect(system.content).toContain(`Bot: ${replies[earlier]}`);
      }
    }
    // The model saw the same: the request of the last turn carries the whole summary.
    const lastRequest = llm.requests.at(-1)!;
    expect(JSON.stringify(lastRequest.messages[0])).toContain(JSON.stringify(`Contact: ${said[0]}`).slice(1, -1));

    await handle.signal('close');
    expect(await handle.result()).toMatchObject({ sessionId, turns: TURNS, status: 'closed' });
  }, 120_000);
});
