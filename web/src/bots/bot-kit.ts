/*
 * The bot graph's node kit for the flow canvas, and its problems: the bot compiler is pure, so
 * the editor compiles the graph as it is edited and shows problems without asking the API.
 */
import { useMemo } from 'react';
import { compileBotGraph } from '../../../bots/graph/compile';
import { botHandlesOf, botNodeCatalog } from '../../../bots/graph/registry';
import type { FlowDefinition, Problem } from '../../../flows/types';
import type { NodeKit } from '../flow-editor/node-kit';

export const BOT_KIT: NodeKit = {
  catalog: botNodeCatalog(),
  handlesOf: botHandlesOf,
  cycleHint: 'a conversation moves forward; an Ask node asks again by itself',
  idHint: () => 'Names this node in the graph and in conversation traces.',
};

// Only the problems are wanted here: the IR's hash is the API's business when it publishes.
const NO_HASH = () => '';

export function botGraphProblems(definition: FlowDefinition, goalIds: readonly string[]): Problem[] {
  return compileBotGraph(definition, { hash: NO_HASH, goalIds }).problems;
}

/** Problems of the graph as it is now. */
export function useBotGraphProblems(definition: FlowDefinition, goalIds: readonly string[]) {
  const json = JSON.stringify(definition);
  const goals = goalIds.join('\n');
  const problems = useMemo(() => botGraphProblems(JSON.parse(json) as FlowDefinition, goals ? goals.split('\n') : []), [json, goals]);
  return { problems, errorCount: problems.filter((p) => p.severity === 'error').length };
}

/** `{{ vars.<name> }}` of every answer an Ask node saves, for the expression autocomplete. */
export function botExpressionPaths(definition: FlowDefinition): string[] {
  const vars = definition.nodes.map((n) => n.data.variable).filter((v): v is string => typeof v === 'string' && v !== '');
  return [...new Set(vars)].map((v) => `vars.${v}`);
}
