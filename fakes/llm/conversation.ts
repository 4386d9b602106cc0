import type { ChatMessage, ChatRequest, ToolCall } from './types';

/* Read-only views of a request's messages that the rules and the sandbox policy decide on. */

export function textOf(content: ChatMessage['content']): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

export function lastUserText(request: ChatRequest): string {
  const message = [...request.messages].reverse().find((m) => m.role === 'user');
  return message ? textOf(message.content) : '';
}

export function systemText(request: ChatRequest): string {
  return request.messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content))
    .join('\n');
}

export const offeredTools = (request: ChatRequest): string[] => (request.tools ?? []).map((t) => t.function.name);

/** A tool call of this turn with its result (the tool message answering it), if any yet. */
export interface TurnCall {
  name: string;
  arguments: unknown;
  result?: string;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The tool calls made since the last user message, in order, with their results. */
export function callsThisTurn(request: ChatRequest): TurnCall[] {
  const start = request.messages.map((m) => m.role).lastIndexOf('user');
  const calls = new Map<string, TurnCall>();
  for (const message of request.messages.slice(start + 1)) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? ([] as ToolCall[])) {
        calls.set(call.id, { name: call.function.name, arguments: parse(call.function.arguments) });
      }
    } else if (message.role === 'tool') {
      const call = calls.get(message.tool_call_id);
      if (call) call.result = textOf(message.content);
    }
  }
  return [...calls.values()];
}

/** The name of the tool whose result is the last message, or undefined. */
export function lastToolName(request: ChatRequest): string | undefined {
  const last = request.messages.at(-1);
  if (last?.role !== 'tool') return undefined;
  for (const message of request.messages) {
    if (message.role !== 'assistant') continue;
    const call = message.tool_calls?.find((c) => c.id === last.tool_call_id);
    if (call) return call.function.name;
  }
  return undefined;
}
