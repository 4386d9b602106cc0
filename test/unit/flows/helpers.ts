import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DefinitionEdge, DefinitionNode, ExpressionScope, FlowDefinition } from '../../../flows/types';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A flow graph from test/fixtures/flows/<name>.json (a fresh copy each time). */
export function fixture(name: string): FlowDefinition {
  const file = path.resolve(__dirname, '..', '..', 'fixtures', 'flows', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as FlowDefinition;
}

export function node(id: string, type: string, data: Record<string, unknown> = {}): DefinitionNode {
  return { id, type, position: { x: 0, y: 0 }, data };
}

export function edge(id: string, source: string, target: string, sourceHandle?: string): DefinitionEdge {
  return sourceHandle === undefined ? { id, source, target } : { id, source, target, sourceHandle };
}

export const WORKFLOW_ID = '3b241101-e2bb-4255-8caf-4136c566a962';

/** A valid config for every node type (the registry test checks none is missing). */
export const GOOD_CONFIGS: Record<string, Record<string, unknown>> = {
  'trigger.webhook': { mode: 'sync', responseTimeoutMs: 10_000, idempotencyField: 'event.id', requireSignature: true },
  'trigger.manual': { samplePayload: { email: 'ada@example.com' } },
  'trigger.schedule': { cron: '*/15 9-17 * * MON-FRI', timezone: 'America/New_York' },
  'trigger.event': { event: 'contact.created' },
  'http.request': { method: 'POST', url: 'https://api.example.com/v1/items?x=1', headers: { 'X-Key': '{{ vars.key }}' }, body: { a: 1 } },
  'logic.if': { condition: '{{ trigger.ok }}' },
  'logic.switch': { value: '{{ trigger.kind }}', cases: [{ handle: 'a', equals: 'a' }, { handle: 'b', equals: { n: 1 } }] },
  'logic.merge': {},
  'logic.loop': { items: '{{ trigger.items }}', maxItems: 50, concurrency: 3 },
  'data.set': { fields: { name: '{{ trigger.name }}', fixed: 42 } },
  'wait.delay': { duration: '5m' },
  'wait.approval': { message: 'Approve {{ trigger.amount }}?', approverRoles: ['owner', 'sales'], timeout: 'P2D' },
  'ai.llm': { model: 'gpt-4o-mini', prompt: 'Summarise {{ trigger.text }}', temperature: 0.2, maxTokens: 500, responseFormat: { type: 'json_schema', name: 'summary', schema: { type: 'object' } } },
  'ai.extractReceipt': { url: '{{ trigger.attachmentUrl }}', minConfidence: 0.9 },
  'flow.subflow': { workflowId: WORKFLOW_ID, input: { id: '{{ trigger.id }}' }, wait: false },
  'flow.respond': { status: 202, headers: { 'Content-Type': 'application/json' }, body: { ok: true } },
  'flow.error': { message: 'Order {{ trigger.id }} is invalid' },
  'ghl.contact.upsert': { email: '{{ trigger.email }}', firstName: 'Ada', tags: ['lead'], customFields: { cf1: '{{ trigger.plan }}' } },
  'ghl.contact.addTags': { contactId: '{{ nodes.upsert.output.contact.id }}', tags: ['vip'] },
  'ghl.contact.removeTags': { contactId: '{{ nodes.upsert.output.contact.id }}', tags: ['lead'] },
  'ghl.opportunity.updateStatus': { opportunityId: '{{ trigger.opportunityId }}', status: 'won' },
  'ghl.appointment.book': { calendarId: 'cal-1', contactId: '{{ trigger.contactId }}', from: '2030-01-07T09:00:00Z', to: '2030-01-11T17:00:00Z', durationMinutes: 30 },
  'ghl.message.send': { contactId: '{{ trigger.contactId }}', type: 'Email', subject: 'Hello', message: 'Hi {{ trigger.name }}' },
};

export function scope(partial: Partial<ExpressionScope> = {}): ExpressionScope {
  return {
    trigger: { body: { email: 'ada@example.com', amount: 120, tags: ['a', 'b'], nested: { ok: true } } },
    nodes: { http1: { output: { status: 201, body: { id: 'c_1' } } }, 'set-1': { output: { n: 3 } } },
    vars: { item: { id: 7, name: 'seven' }, index: 0 },
    execution: { id: 'exec-1', startedAt: '2030-01-31T09:00:00.000Z' },
    ...partial,
  };
}
