import { createHash, randomUUID } from 'node:crypto';
import type { Answer, ChatRequest, ToolCall } from './types';

/*
 * OpenAI's `chat.completion` object for an answer. Everything but `id` and `created` is a
 * function of the request, so the same request gets the same body (tool call ids included).
 */
export const SYSTEM_FINGERPRINT = 'fp_flowline_sandbox';

/** A deterministic token estimate (~4 characters a token, plus per-message overhead). */
export const tokens = (text: string) => (text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4)));

function promptTokens(request: ChatRequest): number {
  const messages = request.messages.reduce((sum, m) => sum + 4 + tokens(typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')) + tokens(m.role === 'assistant' && m.tool_calls ? JSON.stringify(m.tool_calls) : ''), 3);
  return messages + tokens(request.tools ? JSON.stringify(request.tools) : '') + tokens(request.response_format ? JSON.stringify(request.response_format) : '');
}

function callId(request: ChatRequest, index: number, name: string): string {
  const digest = createHash('sha256').update(JSON.stringify([request.messages, name, index])).digest('base64url');
  return `call_${digest.replace(/[-_]/g, '').slice(0, 24)}`;
}

function message(request: ChatRequest, answer: Answer) {
  if (answer.kind === 'tools') {
    const toolCalls: ToolCall[] = answer.calls.map((call, i) => ({
      id: callId(request, i, call.name),
      type: 'function',
      function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) },
    }));
    return { message: { role: 'assistant' as const, content: null, tool_calls: toolCalls, refusal: null, annotations: [] }, finish: 'tool_calls' as const, text: JSON.stringify(toolCalls) };
  }
  // Like the real API, a completion cut at max_tokens ends mid-text with finish_reason 'length'.
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const cut = limit !== undefined && tokens(answer.content) > limit;
  const content = cut ? answer.content.slice(0, limit! * 4) : answer.content;
  return { message: { role: 'assistant' as const, content, refusal: null, annotations: [] }, finish: cut ? ('length' as const) : (answer.finishReason ?? 'stop'), text: content };
}

export function completion(request: ChatRequest, answer: Answer) {
  const { message: msg, finish, text } = message(request, answer);
  const prompt = promptTokens(request);
  const n = request.n ?? 1;
  const completionTokens = tokens(text) * n;
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 29)}`,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: Array.from({ length: n }, (_, index) => ({ index, message: msg, logprobs: null, finish_reason: finish })),
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}
