/*
 * Every node type, by id: an explicit list (no discovery), read by the compiler, the
 * interpreter and the web palette.
 */
import { z } from 'zod';
import { extractReceiptNode } from './nodes/ai/extract-receipt';
import { llmNode } from './nodes/ai/llm';
import { setNode } from './nodes/data/set';
import { errorNode } from './nodes/flow/error';
import { respondNode } from './nodes/flow/respond';
import { subflowNode } from './nodes/flow/subflow';
import { ghlAppointmentBook } from './nodes/ghl/appointment-book';
import { ghlContactAddTags, ghlContactRemoveTags } from './nodes/ghl/contact-tags';
import { ghlContactUpsert } from './nodes/ghl/contact-upsert';
import { ghlMessageSend } from './nodes/ghl/message-send';
import { ghlOpportunityUpdateStatus } from './nodes/ghl/opportunity-status';
import { httpRequest } from './nodes/http/request';
import { ifNode } from './nodes/logic/if';
import { loopNode } from './nodes/logic/loop';
import { mergeNode } from './nodes/logic/merge';
import { switchNode } from './nodes/logic/switch';
import { eventTrigger } from './nodes/triggers/event';
import { manualTrigger } from './nodes/triggers/manual';
import { scheduleTrigger } from './nodes/triggers/schedule';
import { webhookTrigger } from './nodes/triggers/webhook';
import { approvalNode } from './nodes/waits/approval';
import { delayNode } from './nodes/waits/delay';
import { ERROR_HANDLE, type NodeGroup, type NodeType } from './types';

/** A node type with its config type erased, as the registry holds it. */
export type AnyNodeType = NodeType<unknown>;

const ALL: readonly AnyNodeType[] = [
  webhookTrigger, manualTrigger, scheduleTrigger, eventTrigger,
  httpRequest,
  ifNode, switchNode, mergeNode, loopNode,
  setNode,
  delayNode, approvalNode,
  llmNode,
  extractReceiptNode,
  ghlContactUpsert, ghlContactAddTags, ghlContactRemoveTags, ghlOpportunityUpdateStatus, ghlAppointmentBook, ghlMessageSend,
  subflowNode, respondNode, errorNode,
];

export const NODE_TYPES: Readonly<Record<string, AnyNodeType>> = Object.freeze(Object.fromEntries(ALL.map((t) => [t.type, t])));

export function getNodeType(type: string): AnyNodeType | undefined {
  return Object.hasOwn(NODE_TYPES, type) ? NODE_TYPES[type] : undefined;
}

/**
 * Every output handle of a node with this (validated) config: the type's own handles, then
 * ERROR_HANDLE when the type has one. This is the list edges may leave from.
 */
export function handlesFor(nodeType: AnyNodeType, config: unknown): string[] {
  const own = nodeType.handles(config);
  return nodeType.errorHandle ? [...own, ERROR_HANDLE] : own;
}

/**
 * Handles of a node type for a config as being edited (the canvas draws them while the form is
 * half filled): the config is validated first; when it is not valid yet, whatever handles the
 * raw config yields, or none. Undefined for an unknown type.
 */
export function handlesOf(type: string, config: unknown): string[] | undefined {
  const nodeType = getNodeType(type);
  if (!nodeType) return undefined;
  const parsed = nodeType.config.safeParse(config);
  if (parsed.success) return handlesFor(nodeType, parsed.data);
  let own: unknown[] = [];
  try {
    own = nodeType.handles(config);
  } catch {
    // A half-filled config the type cannot read yet.
  }
  const handles = [...new Set(own.filter((h): h is string => typeof h === 'string'))];
  return nodeType.errorHandle ? [...handles, ERROR_HANDLE] : handles;
}

export interface NodeCatalogEntry {
  type: string;
  version: number;
  label: string;
  group: NodeGroup;
  description: string;
  /** JSON Schema of the config as written (defaults make fields optional); forms are generated from it. */
  configSchema: Record<string, unknown>;
  errorHandle: boolean;
  inputs: 'none' | 'any';
  /** The engine primitive that runs it: 'trigger', 'inline', 'activity', 'loop', … */
  runtime: string;
}

/** The palette: every node type as plain JSON. Handles depend on the config: see handlesOf(). */
export function nodeCatalog(): NodeCatalogEntry[] {
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
