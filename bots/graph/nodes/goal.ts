import { z } from 'zod';
import type { NodeType } from '../../../flows/types';

const config = z.strictObject({
  goal: z.string().min(1, 'Which goal').max(100).meta({ title: 'Goal', description: 'A goal id of the bot.' }),
  markReached: z.boolean().default(false).meta({ title: 'Mark it reached here', description: 'For goals the graph itself achieves (a custom goal).' }),
});

export type BotGoalConfig = z.infer<typeof config>;

export const botGoal: NodeType<BotGoalConfig> = {
  type: 'bot.goal',
  version: 1,
  label: 'Goal check',
  group: 'bot',
  description: 'Continues on "met" when the conversation reached the goal, otherwise on "not_met".',
  config,
  handles: () => ['met', 'not_met'],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'conversation' },
};
