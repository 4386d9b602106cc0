/*
 * The wire shapes of OpenAI's Chat Completions API that the fake understands (requests) and
 * answers (responses), plus the scripting types tests use to decide what the fake answers.
 */
export type JsonSchema = Record<string, unknown>;

export type ContentPart = { type: 'text'; text: string } | { type: string; [key: string]: unknown };

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ContentPart[]; name?: string }
  | { role: 'user'; content: string | ContentPart[]; name?: string }
  | { role: 'assistant'; content?: string | ContentPart[] | null; tool_calls?: ToolCall[]; refusal?: string | null; name?: string }
  | { role: 'tool'; content: string | ContentPart[]; tool_call_id: string };

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean | null };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

/** One shape rather than a union, so `response_format?.json_schema?.name` reads without narrowing. */
export interface ResponseFormat {
  type: 'text' | 'json_object' | 'json_schema';
  /** Present (and required) when `type` is 'json_schema'. */
  json_schema?: { name: string; description?: string; schema?: JsonSchema; strict?: boolean | null };
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  n?: number;
  stream?: boolean;
  [other: string]: unknown;
}

/** A tool call the fake should make: arguments as an object (serialised for you) or a string. */
export interface ToolCallReply {
  name: string;
  arguments?: Record<string, unknown> | string;
}

/** An API error answer: 429 carries `retry-after` (seconds) when `retryAfter` is set. */
export interface ErrorReply {
  status: number;
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
  retryAfter?: number;
}

/**
 * What the fake answers: a string is the assistant's text; `{ text, finishReason }` sets the
 * finish reason too; `{ toolCalls }` calls tools; `{ json }` is serialised as the content (for
 * `response_format`); `{ status, message }` is an API error.
 */
export type Reply =
  | string
  | { text: string; finishReason?: 'stop' | 'length' }
  | { toolCalls: ToolCallReply[] }
  | { json: unknown }
  | ErrorReply;

/** When a scripted rule applies; every condition given must hold. */
export interface RuleCondition {
  /** The text of the last user message matches. */
  lastUser?: RegExp;
  /** The request offers a function tool of this name. */
  hasTool?: string;
  /** The last message is the result of a call to this tool. */
  afterTool?: string;
}

export interface Rule {
  when: RuleCondition;
  reply: Reply | ((request: ChatRequest) => Reply);
}

/** What the fake decided to answer, before it is put into OpenAI's response shape. */
export type Answer =
  | { kind: 'text'; content: string; finishReason?: 'stop' | 'length' }
  | { kind: 'tools'; calls: ToolCallReply[] };
