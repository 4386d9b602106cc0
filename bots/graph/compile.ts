/*
 * A bot graph -> IR, with the flow compiler and the bot's node types, plus what only a
 * conversation needs: one path out of each handle (a reply follows one path), and goal checks
 * and AI-agent exits that name goals the bot has.
 */
import { compile } from '../../flows/compiler';
import type { CompileResult, Problem } from '../../flows/types';
import { BOT_NODE_TYPES } from './registry';

export function compileBotGraph(definition: unknown, options: { hash: (canonical: string) => string; goalIds: readonly string[] }): CompileResult {
  const result = compile(definition, { hash: options.hash, nodeTypes: BOT_NODE_TYPES });
  if (!result.ok) return result;
  const problems: Problem[] = [...result.problems];
  for (const node of Object.values(result.ir.nodes)) {
    for (const [handle, targets] of Object.entries(node.next)) {
      if (targets.length > 1) problems.push({ nodeId: node.id, path: '', message: `"${handle}" leads to ${targets.length} nodes: a conversation follows one path`, severity: 'error' });
    }
    const goal = node.type === 'bot.goal' ? node.config.goal : node.type === 'bot.llm' ? node.config.exitOnGoal : undefined;
    if (typeof goal === 'string' && goal !== '' && !options.goalIds.includes(goal)) {
      problems.push({ nodeId: node.id, path: node.type === 'bot.goal' ? 'data.goal' : 'data.exitOnGoal', message: `the bot has no goal "${goal}"`, severity: 'error' });
    }
  }
  return problems.some((p) => p.severity === 'error') ? { ok: false, problems } : { ok: true, ir: result.ir, problems };
}
