import { invalid, invalidType, invalidValue, missing } from './errors';
import { checkImagePart } from './images';
import { strictProblem } from './schema';
import type { ChatMessage, ChatRequest, JsonSchema } from './types';

/*
 * Request validation in the order and words of OpenAI's API: each check throws a 400 naming
 * the parameter (`messages[2].tool_call_id`, `tool_choice`...), so clients see the same
 * failures here as against api.openai.com.
 */
const KNOWN = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'response_format', 'temperature', 'max_tokens', 'max_completion_tokens',
  'n', 'stream', 'stream_options', 'top_p', 'stop', 'seed', 'user', 'parallel_tool_calls', 'frequency_penalty',
  'presence_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'metadata', 'store', 'service_tier', 'reasoning_effort',
  'prediction', 'modalities', 'audio', 'safety_identifier', 'prompt_cache_key', 'verbosity', 'web_search_options',
]);
const ROLES = ['system', 'assistant', 'user', 'tool', 'developer'] as const;
const TOOL_CHOICES = ['none', 'auto', 'required'] as const;
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkContent(param: string, content: unknown, optional: boolean, message?: { index: number; role: unknown }): void {
  if (content === undefined || content === null) {
    if (!optional) throw missing(param);
    return;
  }
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalidType(param, 'one of a string or array of objects');
  content.forEach((part, i) => {
    if (!isObject(part) || typeof part.type !== 'string') throw missing(`${param}[${i}].type`);
    if (part.type === 'text' && typeof part.text !== 'string') throw missing(`${param}[${i}].text`);
    if (part.type === 'image_url' && message) checkImagePart(`messages.[${message.index}].content.[${i}]`, part, message.role);
  });
}

function checkToolCalls(param: string, calls: unknown): void {
  if (!Array.isArray(calls)) throw invalidType(param, 'an array');
  calls.forEach((call, i) => {
    const at = `${param}[${i}]`;
    if (!isObject(call)) throw invalidType(at, 'an object');
    if (typeof call.id !== 'string') throw missing(`${at}.id`);
    if (call.type !== 'function') throw invalidValue(`${at}.type`, call.type, ['function']);
    if (!isObject(call.function) || typeof call.function.name !== 'string') throw missing(`${at}.function.name`);
    if (typeof call.function.arguments !== 'string') throw missing(`${at}.function.arguments`);
  });
}

function checkMessages(messages: unknown): asserts messages is ChatMessage[] {
  if (messages === undefined) throw missing('messages');
  if (!Array.isArray(messages)) throw invalidType('messages', 'an array');
  if (messages.length === 0) throw invalid('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'empty_array');
  // Ids of assistant tool calls still waiting for their tool message.
  let pending: Set<string> | null = null;
  let pendingFrom = -1;
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isObject(message)) throw invalidType(at, 'an object');
    if (message.role === undefined) throw missing(`${at}.role`);
    if (!ROLES.includes(message.role as (typeof ROLES)[number])) throw invalidValue(`${at}.role`, message.role, ROLES);
    if (message.role !== 'tool' && pending?.size) {
      throw invalid(
        `messages.[${pendingFrom}].role`,
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`,
      );
    }
    if (message.role === 'assistant') {
      if (message.tool_calls !== undefined) checkToolCalls(`${at}.tool_calls`, message.tool_calls);
      const calls = (message.tool_calls as { id: string }[] | undefined) ?? [];
      checkContent(`${at}.content`, message.content, calls.length > 0, { index: i, role: message.role });
      pending = new Set(calls.map((c) => c.id));
      pendingFrom = i;
      return;
    }
    checkContent(`${at}.content`, message.content, false, { index: i, role: message.role });
    if (message.role !== 'tool') {
      pending = null;
      return;
    }
    if (typeof message.tool_call_id !== 'string') throw missing(`${at}.tool_call_id`);
    if (!pending?.has(message.tool_call_id)) {
      throw invalid(`messages.[${i}].role`, "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
    }
    pending.delete(message.tool_call_id);
  });
}

function checkSchema(param: string, name: string, schema: unknown, strict: boolean, kind: string): void {
  if (schema === undefined) return;
  if (!isObject(schema)) throw invalidType(param, 'an object');
  const problem = strict ? strictProblem(schema as JsonSchema) : null;
  if (problem) throw invalid(param, `Invalid schema for ${kind} '${name}': ${problem}`, 'invalid_function_parameters');
}

function checkTools(body: Record<string, unknown>): void {
  const { tools, tool_choice: choice } = body;
  const names: string[] = [];
  if (tools !== undefined) {
    if (!Array.isArray(tools)) throw invalidType('tools', 'an array');
    tools.forEach((tool: unknown, i) => {
      const at = `tools[${i}]`;
      if (!isObject(tool)) throw invalidType(at, 'an object');
      if (tool.type !== 'function') throw invalidValue(`${at}.type`, tool.type, ['function']);
      const fn = tool.function;
      if (!isObject(fn) || fn.name === undefined) throw missing(`${at}.function.name`);
      if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
        throw invalid(`${at}.function.name`, `Invalid '${at}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, 'invalid_value');
      }
      checkSchema(`${at}.function.parameters`, fn.name, fn.parameters, fn.strict === true, 'function');
      names.push(fn.name);
    });
  }
  if (choice === undefined) return;
  if (names.length === 0) throw invalid('tool_choice', "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
  if (typeof choice === 'string') {
    if (!TOOL_CHOICES.includes(choice as (typeof TOOL_CHOICES)[number])) throw invalidValue('tool_choice', choice, TOOL_CHOICES);
    return;
  }
  if (!isObject(choice) || choice.type !== 'function' || !isObject(choice.function) || typeof choice.function.name !== 'string') {
    throw invalid('tool_choice', "Invalid 'tool_choice': expected 'none', 'auto', 'required' or {type: 'function', function: {name}}.", 'invalid_value');
  }
  if (!names.includes(choice.function.name)) {
    throw invalid('tool_choice', `Invalid value for 'tool_choice': function '${choice.function.name}' is not one of the functions in 'tools'.`, 'invalid_value');
  }
}

function mentionsJson(messages: ChatMessage[]): boolean {
  // Text parts only: an image's base64 is not words the model reads.
  const words = (m: ChatMessage) =>
    typeof m.content === 'string' ? m.content : JSON.stringify((m.content ?? []).filter((part) => part.type !== 'image_url'));
  return messages.some((m) => /json/i.test(words(m)));
}

function checkResponseFormat(format: unknown, messages: ChatMessage[]): void {
  if (format === undefined) return;
  if (!isObject(format)) throw invalidType('response_format', 'an object');
  if (format.type === 'text') return;
  if (format.type === 'json_object') {
    if (!mentionsJson(messages)) throw invalid('messages', "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.");
    return;
  }
  if (format.type !== 'json_schema') throw invalidValue('response_format.type', format.type, ['text', 'json_object', 'json_schema']);
  const spec = format.json_schema;
  if (!isObject(spec)) throw missing('response_format.json_schema');
  if (typeof spec.name !== 'string' || !FUNCTION_NAME.test(spec.name)) throw missing('response_format.json_schema.name');
  checkSchema('response_format', spec.name, spec.schema, spec.strict === true, 'response_format');
}

function checkNumber(body: Record<string, unknown>, param: string, min: number, max: number, integer: boolean): void {
  const value = body[param];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || (integer && !Number.isInteger(value))) throw invalidType(param, integer ? 'an integer' : 'a decimal');
  if (value < min) throw invalid(param, `Invalid '${param}': ${integer ? 'integer' : 'decimal'} below minimum value. Expected a value >= ${min}, but got ${value} instead.`, `${integer ? 'integer' : 'decimal'}_below_min_value`);
  if (value > max) throw invalid(param, `Invalid '${param}': ${integer ? 'integer' : 'decimal'} above maximum value. Expected a value <= ${max}, but got ${value} instead.`, `${integer ? 'integer' : 'decimal'}_above_max_value`);
}

/** The request as typed, or a thrown 400 `LlmApiError` naming the first bad parameter. */
export function validateChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw invalid(null, 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.');
  const unknown = Object.keys(body).find((key) => !KNOWN.has(key));
  if (unknown) throw invalid(unknown, `Unrecognized request argument supplied: ${unknown}`);
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model', 'you must provide a model parameter');
  checkMessages(body.messages);
  checkTools(body);
  checkResponseFormat(body.response_format, body.messages);
  checkNumber(body, 'temperature', 0, 2, false);
  checkNumber(body, 'top_p', 0, 1, false);
  checkNumber(body, 'max_tokens', 1, 1_000_000, true);
  checkNumber(body, 'max_completion_tokens', 1, 1_000_000, true);
  checkNumber(body, 'n', 1, 128, true);
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw invalidType('stream', 'a boolean');
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    throw invalid('stream_options', "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
  }
  return body as ChatRequest;
}
