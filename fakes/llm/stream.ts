import type { ServerResponse } from 'node:http';
import type { completion } from './completion';
import type { ToolCall } from './types';

/*
 * `stream: true`: the same completion sent as server-sent events of `chat.completion.chunk`,
 * the way OpenAI streams it: a first chunk with the role, content in small pieces, each tool
 * call opened with its id and name and then its arguments, a last chunk with the finish reason,
 * an optional usage chunk (`stream_options.include_usage`) and `data: [DONE]`.
 */
type Completion = ReturnType<typeof completion>;

/** Text in pieces of a few words, cut the same way every time. */
export function pieces(text: string): string[] {
  return text.match(/\S*\s*/g)?.filter(Boolean).reduce<string[]>((out, word, i) => {
    if (i % 3 === 0) out.push(word);
    else out[out.length - 1] += word;
    return out;
  }, []) ?? [];
}

function deltas(message: Completion['choices'][number]['message']): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ role: 'assistant', content: message.tool_calls ? null : '', refusal: null }];
  for (const piece of pieces(message.content ?? '')) out.push({ content: piece });
  (message.tool_calls ?? ([] as ToolCall[])).forEach((call, index) => {
    out.push({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
    for (const piece of pieces(call.function.arguments)) out.push({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  return out;
}

export function sendStream(res: ServerResponse, body: Completion, includeUsage: boolean, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  const { id, created, model, service_tier, system_fingerprint } = body;
  const event = (choices: unknown[], usage?: unknown) => {
    const chunk = { id, object: 'chat.completion.chunk', created, model, service_tier, system_fingerprint, choices, ...(includeUsage ? { usage: usage ?? null } : {}) };
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  for (const choice of body.choices) {
    for (const delta of deltas(choice.message)) event([{ index: choice.index, delta, logprobs: null, finish_reason: null }]);
    event([{ index: choice.index, delta: {}, logprobs: null, finish_reason: choice.finish_reason }]);
  }
  if (includeUsage) event([], body.usage);
  res.end('data: [DONE]\n\n');
}
