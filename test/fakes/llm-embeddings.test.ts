import OpenAI from 'openai';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { FAKE_EMBEDDING_DIMENSIONS } from '../../fakes/llm/embeddings';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('fake LLM embeddings', () => {
  let fake: FakeLlm;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeLlm();
    client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it('answers one string with one unit vector, in OpenAI shape', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'How much does a wedding cost?', encoding_format: 'float' });
    expect(res.object).toBe('list');
    expect(res.model).toBe('text-embedding-3-small');
    expect(res.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    expect(res.data).toHaveLength(1);
    const [item] = res.data;
    expect(item).toMatchObject({ object: 'embedding', index: 0 });
    expect(item!.embedding).toHaveLength(FAKE_EMBEDDING_DIMENSIONS);
    expect(dot(item!.embedding, item!.embedding)).toBeCloseTo(1, 5);
  });

  it('answers an array in order; the client decodes its default base64 to the same floats', async () => {
    const input = ['Can we cancel?', 'Do you travel abroad?', 'Can we cancel?'];
    const floats = await client.embeddings.create({ model: 'm', input, encoding_format: 'float' });
    const decoded = await client.embeddings.create({ model: 'm', input });
    expect(floats.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(floats.data[0]!.embedding).toEqual(floats.data[2]!.embedding);
    decoded.data.forEach((d, i) => d.embedding.forEach((v, j) => expect(v).toBeCloseTo(floats.data[i]!.embedding[j]!, 6)));
  });

  it('puts a paraphrase closer than an unrelated question', async () => {
    const res = await client.embeddings.create({
      model: 'm',
      encoding_format: 'float',
      input: ['What is the price of wedding photography?', 'how much does a wedding photographer cost', 'Do you travel for destination weddings abroad?'],
    });
    const [question, paraphrase, unrelated] = res.data.map((d) => d.embedding);
    expect(dot(question!, paraphrase!)).toBeGreaterThan(dot(question!, unrelated!));
    expect(dot(question!, paraphrase!)).toBeGreaterThan(0.5);
  });

  it('honours dimensions', async () => {
    const res = await client.embeddings.create({ model: 'm', input: 'rain plan', dimensions: 64, encoding_format: 'float' });
    expect(res.data[0]!.embedding).toHaveLength(64);
  });

  it('validates like OpenAI: missing model, empty input, wrong key', async () => {
    await expect(client.embeddings.create({ model: '', input: 'x' })).rejects.toMatchObject({ status: 400, param: 'model' });
    await expect(client.embeddings.create({ model: 'm', input: [] })).rejects.toMatchObject({ status: 400, param: 'input' });
    await expect(client.embeddings.create({ model: 'm', input: [''] })).rejects.toMatchObject({ status: 400, param: 'input' });
    const wrong = new OpenAI({ baseURL: fake.url, apiKey: 'sk-wrong-key', maxRetries: 0 });
    await expect(wrong.embeddings.create({ model: 'm', input: 'x' })).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });
});
