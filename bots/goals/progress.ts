/*
 * Which of a bot's goals a conversation reached, from what the bot did (its tool calls and their
 * results) and what it collected. Pure: the workflow's activities and the bot graph's goal node
 * both use it, and the rules are unit-tested without a model.
 *
 * A goal is reached only on evidence: a booking counts when book_appointment answered
 * `booked: true`, never because the model said so.
 */

export const GOAL_KINDS = ['appointment_booked', 'contact_field', 'tag_added', 'custom'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

export interface Goal {
  id: string;
  name: string;
  description?: string;
  /** Absent: `custom` (described to the model, reached only by the bot graph's goal node). */
  kind?: GoalKind;
  /** contact_field: which contact field must be collected (email, phone...). */
  field?: string;
  /** tag_added: which tag (case-insensitive). */
  tag?: string;
}

export interface GoalMark {
  reached: true;
  /** What showed it: the tool (book_appointment, update_contact_field, add_tag) or the graph node. */
  via: string;
  at: string;
}

export type GoalState = Record<string, GoalMark>;

export interface ToolOutcome {
  name: string;
  arguments: unknown;
  result: unknown;
}

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const same = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether one successful tool call shows that this goal is reached. */
export function toolReaches(goal: Goal, call: ToolOutcome): boolean {
  const args = record(call.arguments);
  const result = record(call.result);
  if (result.ok === false) return false;
  switch (goal.kind ?? 'custom') {
    case 'appointment_booked':
      return call.name === 'book_appointment' && result.booked === true;
    case 'contact_field':
      return call.name === 'update_contact_field' && same(args.field, goal.field) && typeof args.value === 'string' && args.value.trim() !== '';
    case 'tag_added':
      return call.name === 'add_tag' && same(args.tag, goal.tag);
    default:
      return false;
  }
}

/**
 * The goal state after a turn: the earlier marks (a goal once reached stays reached) plus the
 * goals this turn's tool calls reached, stamped with `at`.
 */
export function progress(
  goals: readonly Goal[],
  earlier: GoalState,
  calls: readonly ToolOutcome[],
  at: string,
  /** Goals the bot graph marks reached itself (a goal node with "mark it reached"). */
  marked: readonly string[] = [],
): { state: GoalState; reached: string[] } {
  const state: GoalState = { ...earlier };
  const reached: string[] = [];
  for (const goal of goals) {
    if (state[goal.id]?.reached) continue;
    const call = calls.find((c) => toolReaches(goal, c));
    if (!call && !marked.includes(goal.id)) continue;
    state[goal.id] = { reached: true, via: call?.name ?? 'graph', at };
    reached.push(goal.id);
  }
  return { state, reached };
}

/** Share of goals reached (0 when the bot has none). */
export function completion(goals: readonly Goal[], state: GoalState): { reached: number; total: number } {
  return { reached: goals.filter((g) => state[g.id]?.reached).length, total: goals.length };
}
