/*
 * Records the goals a turn reached on its session (`conversation_sessions.goal_state`), under a
 * row lock so two writers never lose each other's marks. The rules are in bots/goals/progress.ts.
 */
import type { Sql } from '../../db/client';
import { type Goal, type GoalState, progress, type ToolOutcome } from '../../bots/goals/progress';
import { asWorker, notFound } from '../db/support';

export interface GoalProgressInput {
  orgId: string;
  botId: string;
  sessionId: string;
  toolCalls: ToolOutcome[];
  /** Goals the bot graph marks reached itself. */
  marked?: string[];
}

export function createGoalActivities(deps: { sql: Sql }) {
  async function recordGoalProgress(input: GoalProgressInput): Promise<{ goalState: GoalState; reached: string[] }> {
    return asWorker(deps.sql, input.orgId, async (tx) => {
      const [row] = await tx<{ goals: Goal[]; goal_state: GoalState }[]>`
        select b.goals, s.goal_state from public.conversation_sessions s
        join public.bots b on b.organization_id = s.organization_id and b.id = s.bot_id
        where s.organization_id = ${input.orgId} and s.id = ${input.sessionId} and s.bot_id = ${input.botId}
        for update of s`;
      if (!row) throw notFound('conversation');
      const { state, reached } = progress(row.goals, row.goal_state, input.toolCalls, new Date().toISOString(), input.marked);
      if (reached.length > 0) {
        await tx`update public.conversation_sessions set goal_state = ${tx.json(state as never)}, updated_at = now()
          where organization_id = ${input.orgId} and id = ${input.sessionId}`;
      }
      return { goalState: state, reached };
    });
  }
  return { recordGoalProgress };
}

export type GoalActivities = ReturnType<typeof createGoalActivities>;
