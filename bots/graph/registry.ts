/*
 * A bot graph's node types: the conversation counterpart of flows/registry.ts, compiled by the
 * same compiler (flows/compiler.ts with these types) and drawn by the same canvas.
 */
import { z } from 'zod';
import type { AnyNodeType, NodeCatalogEntry } from '../../flows/registry';
import { ERROR_HANDLE } from '../../flows/types';
import { botAction } from './nodes/action';
import { botAsk } from './nodes/ask';
import { botCondition } from './nodes/condition';
import { botEnd } from './nodes/end';
import { botGoal } from './nodes/goal';
import { botHandoff } from './nodes/handoff';
import { botLlm } from './nodes/llm';
import { botMessage } from './nodes/message';
import { botStart } from './nodes/start';

const ALL: readonly AnyNodeType[] = [botStart, botMessage, botAsk, botLlm, botGoal, botCondition, botAction, botHandoff, botEnd] as readonly AnyNodeType[];

export const BOT_NODE_TYPES: Readonly<Record<string, AnyNodeType>> = Object.freeze(Object.fromEntries(ALL.map((t) => [t.type, t])));

/** Output handles of a bot node as being edited (see flows/registry.ts handlesOf). */
export function botHandlesOf(type: string, config: unknown): string[] | undefined {
  const nodeType = Object.hasOwn(BOT_NODE_TYPES, type) ? BOT_NODE_TYPES[type] : undefined;
  if (!nodeType) return undefined;
  const parsed = nodeType.config.safeParse(config);
  const own = parsed.success ? nodeType.handles(parsed.data) : nodeType.handles(config);
  return nodeType.errorHandle ? [...own, ERROR_HANDLE] : own;
}

/** The bot graph's palette as plain JSON. */
export function botNodeCatalog(): NodeCatalogEntry[] {
  return ALL.map((t) => ({
    type: t.type,
    version: t.version,
    label: t.label,
    group: t.group,
    description: t.description,
    configSchema: z.toJSONSchema(t.config, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>,
    errorHandle: t.errorHandle,
    inputs: t.inputs,
    runtime: t.runtime.kind,
  }));
}
