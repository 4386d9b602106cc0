import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completion } from './completion';
import { embeddingsResponse, validateEmbeddingsRequest } from './embeddings';
import { lastToolName, lastUserText, offeredTools } from './conversation';
import { LlmApiError } from './errors';
import { sandboxAnswer } from './policy';
import { sendStream } from './stream';
import type { Answer, ChatRequest, ErrorReply, Reply, Rule } from './types';
import { validateChatRequest } from './validate';

/*
 * A fake OpenAI-compatible server: POST /v1/chat/completions (plain or streamed), POST
 * /v1/embeddings (deterministic hashed bag of words, see embeddings.ts) and GET /v1/models with OpenAI's validation, response and error bodies, so the real `openai` client
 * runs against it unchanged. What it answers is decided, in order, by replies queued with
 * `enqueue`, rules given to `script`, and the deterministic sandbox model (policy.ts).
 */
export interface FakeLlmOptions {
  port?: number;
  host?: string;
  /** The model GET /v1/models lists (any model name is accepted in requests). */
  model?: string;
  apiKey?: string;
}

export interface FakeLlm {
  /** Base URL ending in /v1: the `baseURL` of an OpenAI client. */
  url: string;
  apiKey: string;
  model: string;
  /** Every request that passed validation, in order. */
  requests: ChatRequest[];
  /** Answers for the next requests, used once each before any rule or the sandbox model. */
  enqueue(...replies: Reply[]): void;
  /** A standing rule: while no reply is queued, the first rule that matches answers. */
  script(rule: Rule): void;
  /** Forget queued replies, rules and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const CREATED = 1_767_225_600; // 2026-01-01: the sandbox model's fixed "release" date.

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomUUID().replaceAll('-', '')}`, 'openai-processing-ms': '1', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new LlmApiError(400, 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.');
  }
}

function authorize(req: IncomingMessage, apiKey: string): void {
  const header = req.headers.authorization;
  if (!header) throw new LlmApiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
  if (header !== `Bearer ${apiKey}`) {
    const given = header.replace(/^Bearer\s+/i, '');
    throw new LlmApiError(401, `Incorrect API key provided: ${given.slice(0, 3)}*****${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
  }
}

function apiError(reply: ErrorReply): LlmApiError {
  const type = reply.type ?? (reply.status === 429 ? 'requests' : reply.status >= 500 ? 'server_error' : 'invalid_request_error');
  const code = reply.code !== undefined ? reply.code : reply.status === 429 ? 'rate_limit_exceeded' : null;
  const headers: Record<string, string> = reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {};
  return new LlmApiError(reply.status, reply.message, type, reply.param ?? null, code, headers);
}

/** A reply as an answer; an error reply is thrown as the API error it stands for. */
function toAnswer(reply: Reply): Answer {
  if (typeof reply === 'string') return { kind: 'text', content: reply };
  if ('status' in reply) throw apiError(reply);
  if ('toolCalls' in reply) return { kind: 'tools', calls: reply.toolCalls };
  if ('json' in reply) return { kind: 'text', content: JSON.stringify(reply.json) };
  return { kind: 'text', content: reply.text, finishReason: reply.finishReason };
}

function matches(rule: Rule, request: ChatRequest): boolean {
  const { lastUser, hasTool, afterTool } = rule.when;
  if (lastUser) {
    lastUser.lastIndex = 0;
    if (!lastUser.test(lastUserText(request))) return false;
  }
  if (hasTool && !offeredTools(request).includes(hasTool)) return false;
  return !afterTool || lastToolName(request) === afterTool;
}

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const apiKey = options.apiKey ?? `sk-sandbox-${randomUUID().replaceAll('-', '')}`;
  const model = options.model ?? 'flowline-sandbox';
  const queue: Reply[] = [];
  const rules: Rule[] = [];
  const requests: ChatRequest[] = [];

  function answer(request: ChatRequest): Answer {
    const queued = queue.shift();
    if (queued !== undefined) return toAnswer(queued);
    const rule = rules.find((r) => matches(r, request));
    if (rule) return toAnswer(typeof rule.reply === 'function' ? rule.reply(request) : rule.reply);
    return sandboxAnswer(request);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url?.split('?')[0] ?? '';
    const route = `${req.method} ${path}`;
    if (route === 'POST /v1/chat/completions') {
      authorize(req, apiKey);
      const request = validateChatRequest(await readJson(req));
      requests.push(request);
      const body = completion(request, answer(request));
      if (!request.stream) return send(res, 200, body);
      const includeUsage = (request.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      return sendStream(res, body, includeUsage, { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` });
    }
    if (route === 'POST /v1/embeddings') {
      authorize(req, apiKey);
      return send(res, 200, embeddingsResponse(validateEmbeddingsRequest(await readJson(req))));
    }
    if (route === 'GET /v1/models' || route === `GET /v1/models/${model}`) {
      authorize(req, apiKey);
      const entry = { id: model, object: 'model', created: CREATED, owned_by: 'flowline-sandbox' };
      return send(res, 200, path.endsWith('/models') ? { object: 'list', data: [entry] } : entry);
    }
    if (req.method === 'GET' && path.startsWith('/v1/models/')) {
      authorize(req, apiKey);
      throw new LlmApiError(404, `The model '${decodeURIComponent(path.slice('/v1/models/'.length))}' does not exist`, 'invalid_request_error', 'model', 'model_not_found');
    }
    throw new LlmApiError(404, `Invalid URL (${route})`, 'invalid_request_error');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof LlmApiError) return send(res, err.status, err.body(), err.headers);
      send(res, 500, { error: { message: (err as Error).message, type: 'server_error', param: null, code: null } });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}/v1`,
    apiKey,
    model,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    script: (rule) => void rules.push(rule),
    reset: () => {
      queue.length = 0;
      rules.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
