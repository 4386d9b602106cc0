// Shapes the bots API answers with (api/routes/bots.ts), for the page tests.
import type { Bot, KnowledgeDocument, RetrievedChunk } from '../../../web/src/api/bots';

export const BOT_ID = 'b1';

export function bot(changes: Partial<Bot> = {}): Bot {
  return {
    id: BOT_ID,
    name: 'Studio assistant',
    mode: 'suggest',
    channels: ['sms', 'web'],
    model: null,
    persona: 'Warm and brief.',
    instructions: 'Never quote prices not in the knowledge base.',
    goals: [{ id: 'book_call', name: 'Book a call', description: 'Offer a discovery call.', kind: 'custom' }],
    guardrails: { maxToolCallsPerTurn: 4, fallbackMessage: 'A team member will get back to you.', allowedTools: ['add_tag', 'handoff_to_human'] },
    replyDebounceMs: 3000,
    maxAutoMessages: 20,
    sleepOnHumanReply: true,
    idleTimeoutSeconds: 86_400,
    calendarId: null,
    knowledgeDocuments: 1,
    createdAt: '2026-03-01T10:00:00Z',
    updatedAt: '2026-03-01T10:00:00Z',
    ...changes,
  };
}

export function document(id: string, changes: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
  return {
    id,
    title: 'Prices',
    sourceKind: 'markdown',
    fileName: null,
    sizeBytes: 2048,
    chunkCount: 3,
    status: 'ready',
    createdAt: '2026-03-01T10:00:00Z',
    ...changes,
  };
}

export function retrieved(chunkId: string, changes: Partial<RetrievedChunk> = {}): RetrievedChunk {
  return { chunkId, documentId: 'd1', title: 'Prices', heading: null, content: 'Some text.', score: 0.5, ...changes };
}

/** A problem+json 422 with one field error, as the API's validation answers. */
export const invalid = (path: string, message: string) => ({
  status: 422,
  body: { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'Invalid body', errors: [{ path, message }] },
});
