import { Context } from '@temporalio/activity';
import OpenAI from 'openai';
import type { StepContext } from '../../workflows/flow/steps';
import { permanent, transient } from './failures';

export interface LlmChatConfig {
  model: string;
  system?: string;
  prompt: string;
  temperature?: number;
  maxTokens?: number;
  responseFormat?: { type: 'json_schema'; name: string; schema: Record<string, unknown> };
}

export interface LlmChatResult {
  content: string;
  /** The parsed answer when a JSON schema was requested. */
  json?: unknown;
  model: string;
  finishReason: string | null;
  usage?: { promptTokens: number; completionTokens: number; totalTokens: number };
}

export interface LlmDeps {
  baseURL: string;
  apiKey: string;
  timeoutMs: number;
}

const clients = new Map<string, OpenAI>();
function client(deps: LlmDeps): OpenAI {
  const key = `${deps.baseURL}|${deps.apiKey}`;
  let c = clients.get(key);
  // Retries belong to Temporal (per-node policy), not to the SDK.
  if (!c) clients.set(key, (c = new OpenAI({ baseURL: deps.baseURL, apiKey: deps.apiKey, maxRetries: 0, timeout: deps.timeoutMs })));
  return c;
}

export async function llmChat(deps: LlmDeps, _ctx: StepContext, config: LlmChatConfig): Promise<LlmChatResult> {
  const attempt = Context.current().info.attempt;
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    ...(config.system ? [{ role: 'system' as const, content: config.system }] : []),
    { role: 'user', content: config.prompt },
  ];
  let completion: OpenAI.Chat.ChatCompletion;
  try {
    completion = await client(deps).chat.completions.create(
      {
        model: config.model,
        messages,
        ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
        ...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
        ...(config.responseFormat
          ? { response_format: { type: 'json_schema', json_schema: { name: config.responseFormat.name, schema: config.responseFormat.schema, strict: true } } }
          : {}),
      },
      { signal: Context.current().cancellationSignal },
    );
  } catch (err) {
    if (err instanceof OpenAI.APIError && err.status !== undefined) {
      const message = `LLM request failed (${err.status}): ${err.message}`;
      throw err.status === 429 || err.status === 408 || err.status >= 500 ? transient(message, attempt) : permanent(message, attempt);
    }
    throw transient(`LLM request failed: ${(err as Error).message}`, attempt);
  }
  const choice = completion.choices[0];
  const content = choice?.message.content ?? '';
  const result: LlmChatResult = {
    content,
    model: completion.model,
    finishReason: choice?.finish_reason ?? null,
    ...(completion.usage
      ? { usage: { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens, totalTokens: completion.usage.total_tokens } }
      : {}),
  };
  if (config.responseFormat) {
    try {
      result.json = JSON.parse(content);
    } catch {
      throw transient('The model did not answer valid JSON for the requested schema', attempt);
    }
  }
  return result;
}
