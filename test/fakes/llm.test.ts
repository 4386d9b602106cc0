import OpenAI from 'openai';
import { z } from 'zod';
import { instanceOf, startFakeLlm, validateAgainstSchema, type FakeLlm } from '../../fakes/llm';
import { succeeded } from '../../fakes/llm/policy';

type Tool = OpenAI.Chat.ChatCompletionTool;
type Message = OpenAI.Chat.ChatCompletionMessageParam;

const fn = (name: string, properties: Record<string, unknown> = {}, required: string[] = []): Tool => ({
  type: 'function',
  function: { name, description: name.replaceAll('_', ' '), parameters: { type: 'object', properties, required, additionalProperties: false } },
});

// The bot tools of issue 8, as a bot would offer them.
const botTools: Tool[] = [
  fn('find_free_slots', { from: { type: 'string', format: 'date' } }, ['from']),
  fn('book_appointment', { startTime: { type: 'string' } }, ['startTime']),
  fn('update_contact_field', { field: { type: 'string' }, value: { type: 'string' } }, ['field', 'value']),
  fn('handoff_to_human', { reason: { type: 'string' } }, ['reason']),
  fn('end_conversation', { reason: { type: 'string' } }, ['reason']),
];

describe('fake LLM', () => {
  let fake: FakeLlm;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeLlm();
    client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const chat = (body: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>) =>
    client.chat.completions.create({ model: 'flowline-sandbox', messages: [], ...body });

  /** Runs tool calls the way a bot would: the results come from `results` by tool name. */
  async function converse(messages: Message[], results: Record<string, unknown>) {
    const calls: string[] = [];
    for (let turn = 0; turn < 5; turn++) {
      const reply = await chat({ messages, tools: botTools });
      const message = reply.choices[0]!.message;
      if (reply.choices[0]!.finish_reason !== 'tool_calls') return { calls, text: message.content ?? '' };
      messages.push(message);
      for (const call of message.tool_calls ?? []) {
        if (call.type !== 'function') throw new Error('only function tools are offered');
        calls.push(`${call.function.name} ${call.function.arguments}`);
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(results[call.function.name]) });
      }
    }
    throw new Error('the model never stopped calling tools');
  }

  it('answers in OpenAI\'s response shape, labelled as the sandbox model', async () => {
    const reply = await chat({ messages: [{ role: 'user', content: 'Hello there' }] });
    expect(reply).toMatchObject({
      object: 'chat.completion',
      model: 'flowline-sandbox',
      system_fingerprint: expect.any(String),
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', refusal: null, content: '[sandbox model] You said: "Hello there".' } }],
    });
    expect(reply.id).toMatch(/^chatcmpl-/);
    expect(reply.usage!.total_tokens).toBe(reply.usage!.prompt_tokens + reply.usage!.completion_tokens);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['flowline-sandbox']);
  });

  it('quotes the first knowledge line of the system prompt so retrieval is visible', async () => {
    const system = 'You answer questions about Acme.\nKnowledge:\n- Acme opens 9am to 5pm, Monday to Friday.\n- Parking is free.';
    const reply = await chat({ messages: [{ role: 'system', content: system }, { role: 'user', content: 'When are you open?' }] });
    expect(reply.choices[0]!.message.content).toContain('From the knowledge base: "Acme opens 9am to 5pm, Monday to Friday."');
  });

  it('books through a tool-calling round trip: free slots, then the first slot, then a confirmation', async () => {
    const messages: Message[] = [{ role: 'user', content: 'Can I book an appointment for a haircut?' }];
    const { calls, text } = await converse(messages, {
      find_free_slots: { '2030-01-07': { slots: ['2030-01-07T10:00:00Z', '2030-01-07T11:00:00Z'] }, traceId: 't1' },
      book_appointment: { id: 'apt_1', status: 'booked' },
    });
    expect(calls).toEqual(['find_free_slots {"from":"2030-01-01"}', 'book_appointment {"startTime":"2030-01-07T10:00:00Z"}']);
    expect(text).toBe('[sandbox model] Booked: 2030-01-07T10:00:00Z.');
  });

  it('does several things one message asks for, in order, then sums them up', async () => {
    const { calls, text } = await converse([{ role: 'user', content: 'Book an in-person appointment, my email is ada@example.test' }], {
      update_contact_field: { ok: true },
      find_free_slots: [{ startTime: '2030-01-07T10:00:00Z', endTime: '2030-01-07T10:30:00Z' }],
      book_appointment: { success: true },
    });
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['update_contact_field', 'find_free_slots', 'book_appointment']);
    expect(text).toBe('[sandbox model] Saved your email: ada@example.test. Booked: 2030-01-07T10:00:00Z.');
  });

  it('reads a booking as confirmed only on positive evidence', () => {
    expect([{ ok: true }, { id: 'apt_1', appointmentStatus: 'new' }, { appointment: { id: 'a' } }, { status: 'confirmed' }].map((r) => succeeded(JSON.stringify(r)))).toEqual([true, true, true, true]);
    expect([{ ok: false }, { error: 'taken' }, { id: 'apt_1', status: 'cancelled' }, {}, 'Slot unavailable', ''].map((r) => succeeded(typeof r === 'string' ? r : JSON.stringify(r)))).toEqual([false, false, false, false, false, false]);
  });

  it('never confirms a booking the tool did not confirm', async () => {
    const { text } = await converse([{ role: 'user', content: 'Please schedule me in' }], {
      find_free_slots: { slots: [{ startTime: '2030-01-07T10:00:00Z' }] },
      book_appointment: { error: 'slot no longer available' },
    });
    expect(text).not.toContain('Booked');
    expect(text).toContain('slot no longer available');
  });

  it('collects an email, hands off to a human and ends the conversation by intent', async () => {
    const ok = { ok: true };
    const all = { update_contact_field: ok, handoff_to_human: ok, end_conversation: ok };
    expect((await converse([{ role: 'user', content: 'my email is ada@example.test' }], all)).calls).toEqual(['update_contact_field {"field":"email","value":"ada@example.test"}']);
    expect((await converse([{ role: 'user', content: 'Can I talk to a human?' }], all)).calls).toEqual(['handoff_to_human {"reason":"The contact asked for a person"}']);
    expect(await converse([{ role: 'user', content: "Thanks, that's all. Bye" }], all)).toEqual({ calls: ['end_conversation {"reason":"The contact said goodbye"}'], text: '[sandbox model] Thanks for chatting. Goodbye!' });
  });

  it('calls the function tool_choice forces, and none when tool_choice is none', async () => {
    const forced = await chat({ messages: [{ role: 'user', content: 'hi' }], tools: botTools, tool_choice: { type: 'function', function: { name: 'handoff_to_human' } } });
    expect(forced.choices[0]!.finish_reason).toBe('tool_calls');
    const call = forced.choices[0]!.message.tool_calls![0]!;
    expect(call).toMatchObject({ type: 'function', function: { name: 'handoff_to_human' } });
    expect(call.id).toMatch(/^call_/);
    const withIntent = await chat({ messages: [{ role: 'user', content: 'I am ada@example.test' }], tools: botTools, tool_choice: { type: 'function', function: { name: 'update_contact_field' } } });
    expect(withIntent.choices[0]!.message.tool_calls![0]!).toMatchObject({ function: { arguments: '{"field":"email","value":"ada@example.test"}' } });
    const none = await chat({ messages: [{ role: 'user', content: 'talk to a human' }], tools: botTools, tool_choice: 'none' });
    expect(none.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('answers a json_schema response format with an instance of the schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        intent: { type: 'string', enum: ['book', 'question', 'other'] },
        summary: { type: 'string', minLength: 12 },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        contact: { type: 'object', properties: { email: { type: ['string', 'null'], format: 'email' } }, required: ['email'], additionalProperties: false },
      },
      required: ['intent', 'summary', 'confidence', 'tags', 'contact'],
      additionalProperties: false,
    };
    const reply = await chat({
      messages: [{ role: 'user', content: 'Classify: I want a haircut' }],
      response_format: { type: 'json_schema', json_schema: { name: 'classification', schema, strict: true } },
    });
    const answer: unknown = JSON.parse(reply.choices[0]!.message.content!);
    expect(validateAgainstSchema(schema, answer)).toEqual([]);
    // Checked by zod's own JSON Schema reader too, not only by the fake's walker.
    expect(z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(answer).success).toBe(true);
    expect(answer).toMatchObject({ intent: 'book', tags: ['sandbox'] });
  });

  it('puts the sandbox reply in a structured answer\'s reply field', async () => {
    const schema = { type: 'object', properties: { reply: { type: 'string' }, goal_met: { type: 'boolean' } }, required: ['reply', 'goal_met'], additionalProperties: false };
    const reply = await chat({
      messages: [{ role: 'user', content: 'hello' }],
      response_format: { type: 'json_schema', json_schema: { name: 'turn', schema, strict: true } },
    });
    expect(JSON.parse(reply.choices[0]!.message.content!)).toEqual({ reply: '[sandbox model] You said: "hello".', goal_met: false });
  });

  it('builds valid instances of recursive, nullable, bounded and union schemas', () => {
    const schemas = [
      { $defs: { node: { type: 'object', properties: { name: { type: 'string', maxLength: 3 }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['name', 'children'] } }, $ref: '#/$defs/node' },
      { type: 'object', properties: { n: { type: 'integer', exclusiveMinimum: 4, maximum: 9 }, when: { type: ['string', 'null'], format: 'date-time' } }, required: ['n', 'when'] },
      { anyOf: [{ type: 'object', properties: { kind: { const: 'a' } }, required: ['kind'] }, { type: 'string' }] },
      { type: 'array', items: { type: 'number', minimum: 0.5 }, minItems: 2 },
    ];
    for (const schema of schemas) {
      const value = instanceOf(schema);
      expect(validateAgainstSchema(schema, value)).toEqual([]);
      expect(z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(value).success).toBe(true);
    }
    expect(instanceOf(schemas[1]!)).toEqual({ n: 5, when: '2030-01-01T09:00:00Z' });
  });

  it('answers the same request with the same content, tool call ids included', async () => {
    const body = { messages: [{ role: 'user' as const, content: 'book me in please' }], tools: botTools };
    const [a, b] = [await chat(body), await chat(body)];
    expect(a.choices[0]!.message).toEqual(b.choices[0]!.message);
    expect(a.usage).toEqual(b.usage);
  });

  it('answers queued replies first, then scripted rules, then the sandbox model', async () => {
    fake.script({ when: { lastUser: /price/i }, reply: 'A haircut is $30.' });
    fake.script({ when: { afterTool: 'find_free_slots' }, reply: { text: 'Pick a time.' } });
    fake.script({ when: { hasTool: 'add_tag', lastUser: /vip/i }, reply: (request) => ({ toolCalls: [{ name: 'add_tag', arguments: { tag: `vip-${request.messages.length}` } }] }) });
    fake.enqueue({ toolCalls: [{ name: 'find_free_slots', arguments: { from: '2030-02-01' } }] }, { json: { ok: 1 } });
    const first = await chat({ messages: [{ role: 'user', content: 'price?' }], tools: botTools });
    expect(first.choices[0]!.message.tool_calls![0]!).toMatchObject({ function: { name: 'find_free_slots', arguments: '{"from":"2030-02-01"}' } });
    expect((await chat({ messages: [{ role: 'user', content: 'x' }] })).choices[0]!.message.content).toBe('{"ok":1}');
    expect((await chat({ messages: [{ role: 'user', content: 'What is the price?' }] })).choices[0]!.message.content).toBe('A haircut is $30.');
    const call = first.choices[0]!.message;
    const after = await chat({ messages: [{ role: 'user', content: 'slots?' }, call, { role: 'tool', tool_call_id: call.tool_calls![0]!.id, content: '[]' }], tools: botTools });
    expect(after.choices[0]!.message.content).toBe('Pick a time.');
    const tagged = await chat({ messages: [{ role: 'user', content: 'I am a VIP' }], tools: [...botTools, fn('add_tag', { tag: { type: 'string' } }, ['tag'])] });
    expect(tagged.choices[0]!.message.tool_calls![0]!).toMatchObject({ function: { name: 'add_tag', arguments: '{"tag":"vip-1"}' } });
    expect((await chat({ messages: [{ role: 'user', content: 'I am a VIP' }] })).choices[0]!.message.content).toBe('[sandbox model] You said: "I am a VIP".');
    expect(fake.requests).toHaveLength(6);
  });

  describe('streaming', () => {
    it('streams the same text as the plain answer, with usage last when asked', async () => {
      const messages: Message[] = [{ role: 'user', content: 'Tell me something about your opening hours please' }];
      const plain = await chat({ messages });
      const chunks = [];
      for await (const chunk of await client.chat.completions.create({ model: 'flowline-sandbox', messages, stream: true, stream_options: { include_usage: true } })) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(3);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(plain.choices[0]!.message.content);
      expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
      expect(chunks.at(-1)).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage: plain.usage });
    });

    it('streams tool calls that the client reassembles', async () => {
      const stream = client.chat.completions.stream({ model: 'flowline-sandbox', messages: [{ role: 'user', content: 'book an appointment' }], tools: botTools });
      const final = await stream.finalChatCompletion();
      expect(final.choices[0]!.finish_reason).toBe('tool_calls');
      expect(final.choices[0]!.message.tool_calls![0]!).toMatchObject({ type: 'function', function: { name: 'find_free_slots', arguments: '{"from":"2030-01-01"}' } });
    });

    it('answers a queued error before streaming starts', async () => {
      fake.enqueue({ status: 500, message: 'The server had an error while processing your request.' });
      const err = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    });
  });

  it('cuts a long answer at max_tokens with finish_reason length', async () => {
    const reply = await chat({ messages: [{ role: 'user', content: 'a long question '.repeat(10) }], max_completion_tokens: 3 });
    expect(reply.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: '[sandbox mod' } });
  });

  describe('bad requests', () => {
    async function rejection(body: Record<string, unknown>) {
      const err = await chat(body as Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      return err as InstanceType<typeof OpenAI.BadRequestError>;
    }

    it('rejects an unknown role, naming the message', async () => {
      const err = await rejection({ messages: [{ role: 'user', content: 'hi' }, { role: 'robot', content: 'beep' }] });
      expect(err).toMatchObject({ status: 400, param: 'messages[1].role', code: 'invalid_value', type: 'invalid_request_error' });
    });

    it('rejects a tool message without tool_call_id', async () => {
      const call = { id: 'call_1', type: 'function', function: { name: 'find_free_slots', arguments: '{}' } };
      const err = await rejection({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', content: '[]' }], tools: botTools });
      expect(err).toMatchObject({ param: 'messages[2].tool_call_id', code: 'missing_required_parameter' });
    });

    it('rejects a tool message that answers no tool call', async () => {
      const err = await rejection({ messages: [{ role: 'user', content: 'hi' }, { role: 'tool', tool_call_id: 'call_x', content: '[]' }] });
      expect(err.param).toBe('messages.[1].role');
    });

    it('rejects a tool_choice naming a function that is not offered', async () => {
      const err = await rejection({ messages: [{ role: 'user', content: 'hi' }], tools: botTools, tool_choice: { type: 'function', function: { name: 'launch_rocket' } } });
      expect(err).toMatchObject({ param: 'tool_choice', code: 'invalid_value' });
      expect(err.message).toContain('launch_rocket');
    });

    it('rejects a strict schema that allows additional properties', async () => {
      const err = await rejection({
        messages: [{ role: 'user', content: 'hi' }],
        response_format: { type: 'json_schema', json_schema: { name: 'loose', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } } },
      });
      expect(err.param).toBe('response_format');
      expect(err.message).toContain("'additionalProperties' is required to be supplied and to be false");
    });

    it('rejects stream_options without stream', async () => {
      const err = await rejection({ messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
      expect(err.param).toBe('stream_options');
    });
  });

  it('answers 401 to a wrong API key', async () => {
    const wrong = new OpenAI({ baseURL: fake.url, apiKey: 'sk-wrong-key', maxRetries: 0 });
    const err = await wrong.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('answers an enqueued 429 with retry-after, surfaced as RateLimitError', async () => {
    fake.enqueue({ status: 429, message: 'Rate limit reached for requests', retryAfter: 7 });
    const err = await chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimited = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimited.headers.get('retry-after')).toBe('7');
    expect(rateLimited).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    // The next request is answered normally.
    expect((await chat({ messages: [{ role: 'user', content: 'hi' }] })).choices[0]!.finish_reason).toBe('stop');
  });
});
