import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A faithful stand-in for OpenAI's Chat Completions endpoint (POST /v1/chat/completions), for
 * development and tests where api.openai.com is unreachable. Request validation, the response
 * body and the error body follow OpenAI's API reference, so the real `openai` client runs
 * against it unchanged. Answers are scripted by the caller or, by default, echo the prompt.
 */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
}

export type Reply = string | { status: number; message: string; type?: string };

export interface FakeOpenAI {
  url: string;
  apiKey: string;
  /** Every accepted request, in order. */
  requests: ChatRequest[];
  /** The next answers (a string is the assistant's content; an object is an API error). */
  enqueue(...replies: Reply[]): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, message: string, type = 'invalid_request_error', param: string | null = null): void {
  send(res, status, { error: { message, type, param, code: null } });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

export async function startFakeOpenAI(options: { apiKey?: string; port?: number } = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? `sk-test-${randomUUID()}`;
  const queue: Reply[] = [];
  const requests: ChatRequest[] = [];

  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') return error(res, 404, `Unknown request URL: ${req.method} ${req.url}`);
      if (req.headers.authorization !== `Bearer ${apiKey}`) return error(res, 401, 'Incorrect API key provided.', 'invalid_request_error');
      let body: ChatRequest;
      try {
        body = (await readJson(req)) as ChatRequest;
      } catch {
        return error(res, 400, 'We could not parse the JSON body of your request.');
      }
      if (typeof body.model !== 'string' || !body.model) return error(res, 400, "you must provide a model parameter", 'invalid_request_error', 'model');
      if (!Array.isArray(body.messages) || body.messages.length === 0) return error(res, 400, "'messages' must contain at least one message", 'invalid_request_error', 'messages');
      requests.push(body);
      const reply = queue.shift();
      if (reply && typeof reply === 'object') return error(res, reply.status, reply.message, reply.type ?? (reply.status >= 500 ? 'server_error' : 'invalid_request_error'));
      const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const content = reply ?? `echo: ${lastUser}`;
      const prompt = body.messages.map((m) => m.content).join('\n');
      send(res, 200, {
        id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: tokens(prompt), completion_tokens: tokens(content), total_tokens: tokens(prompt) + tokens(content) },
      });
    })().catch((err: unknown) => error(res, 500, (err as Error).message, 'server_error'));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
