import { z } from 'zod';
import { booleanOrTemplate } from '../../../flows/schemas';
import type { NodeType } from '../../../flows/types';

const config = z.strictObject({
  condition: booleanOrTemplate().meta({ title: 'Condition', description: 'A {{ … }} expression over vars, e.g. {{ vars.budget > 1000 }}.' }),
});

export type BotConditionConfig = z.infer<typeof config>;

export const botCondition: NodeType<BotConditionConfig> = {
  type: 'bot.condition',
  version: 1,
  label: 'Condition',
  group: 'bot',
  description: 'Continues on "true" or "false".',
  config,
  handles: () => ['true', 'false'],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'conversation' },
};
