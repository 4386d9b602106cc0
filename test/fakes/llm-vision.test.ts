import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { instanceOf, startFakeLlm, validateAgainstSchema, type FakeLlm } from '../../fakes/llm';
import { readDate, readReceipt } from '../../fakes/llm/receipt-reader';
import { strictProblem } from '../../fakes/llm/schema';
import { MODEL_ANSWER_JSON_SCHEMA } from '../../receipts/extraction';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'receipts');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const dataUrl = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;
const schema = MODEL_ANSWER_JSON_SCHEMA as unknown as Record<string, unknown>;
const receiptFormat = { type: 'json_schema' as const, json_schema: { name: 'receipt', schema, strict: true } };

/** A WebP container with a receipt in its XMP chunk (enough for the fake, which sniffs and reads chunks). */
function webpWithXmp(text: string): Buffer {
  const riffChunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><fl:receipt xmlns:fl="https://flowline.example/ns/">${text.replaceAll('&', '&amp;')}</fl:receipt></x:xmpmeta>`;
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), riffChunk('VP8X', Buffer.from([0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0])), riffChunk('XMP ', Buffer.from(xmp, 'utf8'))]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

describe('fake LLM: images and receipts', () => {
  let fake: FakeLlm;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeLlm();
    client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const withImage = (url: string, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
    client.chat.completions.create({
      model: 'flowline-sandbox',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Read this receipt.' }, { type: 'image_url', image_url: { url } }] }],
      response_format: receiptFormat,
      ...extra,
    });

  async function readAnswer(url: string) {
    const reply = await withImage(url);
    const answer: unknown = JSON.parse(reply.choices[0]!.message.content!);
    expect(validateAgainstSchema(schema, answer)).toEqual([]);
    return answer;
  }

  async function refusal(promise: Promise<unknown>) {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    return err as InstanceType<typeof OpenAI.BadRequestError>;
  }

  it('accepts an image part and reads the receipt printed in a PNG', async () => {
    const answer = await readAnswer(dataUrl('image/png', fixture('coffee-shop.png')));
    expect(answer).toEqual({
      vendor: 'Blue Fern Coffee',
      date: '2026-11-20',
      currency: 'USD',
      total: '13.50',
      tax: '1.00',
      lineItems: [
        { description: 'Latte', quantity: 2, amount: '9.00' },
        { description: 'Croissant', quantity: null, amount: '3.50' },
      ],
      paymentMethod: 'Visa ****1234',
      referenceNumber: '000482',
      confidence: { vendor: 0.9, date: 0.95, currency: 0.95, total: 0.95, tax: 0.95, lineItems: 0.9, paymentMethod: 0.95, referenceNumber: 0.95 },
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('reads the comment of a JPEG, with a US date guessed', async () => {
    const answer = await readAnswer(dataUrl('image/jpeg', fixture('hardware-store.jpg')));
    expect(answer).toMatchObject({
      vendor: 'Acme Hardware',
      date: '2026-11-18',
      currency: 'USD',
      total: '45.00',
      tax: '3.01',
      lineItems: [
        { description: 'Hammer', quantity: null, amount: '15.99' },
        { description: 'Nails', quantity: 3, amount: '8.97' },
        { description: 'Tape measure', quantity: null, amount: '12.49' },
      ],
      paymentMethod: 'Cash',
      referenceNumber: 'HW-7731',
      confidence: { date: 0.6, total: 0.95 },
    });
  });

  it('reads a blurry receipt (UTF-8 text chunk, euro sign) with low confidence everywhere', async () => {
    const answer = await readAnswer(dataUrl('image/png', fixture('blurry.png')));
    expect(answer).toMatchObject({ vendor: 'Corner Deli', currency: 'EUR', total: '10.50', tax: null, referenceNumber: 'CD-5512' });
    expect(answer).toHaveProperty('confidence', { vendor: 0.4, date: 0.4, currency: 0.4, total: 0.4, tax: 0, lineItems: 0.4, paymentMethod: 0.4, referenceNumber: 0.4 });
  });

  it('reads nothing in a photo with no text, and is sure of nothing', async () => {
    const answer = await readAnswer(dataUrl('image/png', fixture('photo-no-text.png')));
    expect(answer).toEqual({
      vendor: null,
      date: null,
      currency: null,
      total: null,
      tax: null,
      lineItems: [],
      paymentMethod: null,
      referenceNumber: null,
      confidence: { vendor: 0, date: 0, currency: 0, total: 0, tax: 0, lineItems: 0, paymentMethod: 0, referenceNumber: 0 },
    });
  });

  it('reads the XMP chunk of the WebP sample, with a month-name date and pound signs', async () => {
    const answer = await readAnswer(dataUrl('image/webp', fixture('bakery.webp')));
    expect(answer).toMatchObject({
      vendor: 'Rye & Crumb Bakery',
      date: '2026-12-02',
      currency: 'GBP',
      total: '9.50',
      tax: '0.00',
      lineItems: [
        { description: 'Sourdough loaf', quantity: null, amount: '4.50' },
        { description: 'Cinnamon bun', quantity: 2, amount: '5.00' },
      ],
      paymentMethod: 'Contactless debit',
      referenceNumber: '3391',
      confidence: { vendor: 0.95, date: 0.9, currency: 0.9, total: 0.95, tax: 0.95, lineItems: 0.9, paymentMethod: 0.95, referenceNumber: 0.95 },
    });
  });

  it('reads the XMP chunk of a WebP', async () => {
    const answer = await readAnswer(dataUrl('image/webp', webpWithXmp('Bakery & Co\nDate: 2026-10-02\nTOTAL £4.20')));
    expect(answer).toMatchObject({ vendor: 'Bakery & Co', date: '2026-10-02', currency: 'GBP', total: '4.20' });
  });

  it('reads receipt text sent as text, under a "Receipt text:" heading', async () => {
    const reply = await client.chat.completions.create({
      model: 'flowline-sandbox',
      messages: [{ role: 'user', content: 'Read this receipt.\n\nReceipt text (extracted from a PDF):\n[Page 1]\nNorthwind Ltd\nCurrency: GBP\nTOTAL 1,620.00' }],
      response_format: receiptFormat,
    });
    expect(JSON.parse(reply.choices[0]!.message.content!)).toMatchObject({ vendor: 'Northwind Ltd', currency: 'GBP', total: '1620.00' });
  });

  it('keeps the usual answer for a schema with no receipt fields', async () => {
    const reply = await withImage(dataUrl('image/png', fixture('coffee-shop.png')), {
      response_format: { type: 'json_schema', json_schema: { name: 'r', strict: true, schema: { type: 'object', additionalProperties: false, required: ['reply'], properties: { reply: { type: 'string' } } } } },
    });
    expect(JSON.parse(reply.choices[0]!.message.content!)).toEqual({ reply: '[sandbox model] You said: "Read this receipt.".' });
  });

  it('refuses base64 that is not base64', async () => {
    const err = await refusal(withImage('data:image/png;base64,@@not-base64@@'));
    expect(err.status).toBe(400);
    expect(err.param).toBe('messages.[0].content.[1].image_url');
    expect(err.code).toBe('invalid_base64');
  });

  it('refuses bytes that are not the declared type', async () => {
    const err = await refusal(withImage(dataUrl('image/png', fixture('hardware-store.jpg'))));
    expect(err.param).toBe('messages.[0].content.[1].image_url');
    expect(err.message).toMatch(/image\/jpeg but the data URL declares image\/png/);
    const notImage = await refusal(withImage(dataUrl('image/jpeg', Buffer.from('plain text, not a picture'))));
    expect(notImage.code).toBe('invalid_image');
  });

  it('refuses types OpenAI does not take', async () => {
    const err = await refusal(withImage(dataUrl('image/bmp', Buffer.from('BM...'))));
    expect(err.code).toBe('invalid_image_format');
    expect(err.param).toBe('messages.[0].content.[1].image_url');
  });

  it('refuses a remote URL: it cannot be downloaded', async () => {
    const err = await refusal(withImage('https://example.com/receipt.png'));
    expect(err.param).toBe('messages.[0].content.[1].image_url');
    expect(err.code).toBe('invalid_image_url');
    expect(err.message).toMatch(/could not download/);
  });

  it('refuses a bad detail, a missing url, and images outside user messages', async () => {
    const png = dataUrl('image/png', fixture('coffee-shop.png'));
    const detail = await refusal(
      client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: png, detail: 'ultra' as 'high' } }] }],
      }),
    );
    expect(detail.param).toBe('messages.[0].content.[0].image_url.detail');
    const missingUrl = await refusal(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} as { url: string } }] }] }),
    );
    expect(missingUrl.param).toBe('messages.[0].content.[0].image_url.url');
    const system = await refusal(
      client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: png } }] as unknown as OpenAI.Chat.ChatCompletionContentPartText[] }, { role: 'user', content: 'hi' }],
      }),
    );
    expect(system.param).toBe('messages.[0].content.[0].type');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('fake LLM schema: nullable type arrays', () => {
  it('builds, validates and passes strict rules for type: [string, null]', () => {
    const s = MODEL_ANSWER_JSON_SCHEMA as unknown as Record<string, unknown>;
    expect(strictProblem(s)).toBeNull();
    const instance = instanceOf(s) as Record<string, unknown>;
    expect(validateAgainstSchema(s, instance)).toEqual([]);
    expect(validateAgainstSchema(s, { ...instance, vendor: null, total: null })).toEqual([]);
    expect(validateAgainstSchema(s, { ...instance, vendor: 12 })).toEqual(['$.vendor: expected string or null']);
    expect(validateAgainstSchema({ type: ['number', 'null'] }, null)).toEqual([]);
  });
});

describe('sandbox receipt reader', () => {
  it('reads dates in the formats receipts print', () => {
    expect(readDate('2026-11-20')).toEqual({ date: '2026-11-20', confidence: 0.95 });
    expect(readDate('20 Nov 2026')).toEqual({ date: '2026-11-20', confidence: 0.9 });
    expect(readDate('November 20, 2026')).toEqual({ date: '2026-11-20', confidence: 0.9 });
    expect(readDate('20.11.2026')).toEqual({ date: '2026-11-20', confidence: 0.6 });
    expect(readDate('11/20/2026')).toEqual({ date: '2026-11-20', confidence: 0.6 });
    expect(readDate('2026-02-30')).toBeNull();
  });

  it('reads labels, symbols and unlabelled guesses', () => {
    const reading = readReceipt(['Merchant: Kiosk 9', 'Table 12', 'Coffee €2.50', 'VAT (20%) 0.42', 'Amount due 2.50', 'Order #: A-77', 'paid with mastercard'].join('\n'));
    expect(reading).toMatchObject({
      vendor: 'Kiosk 9',
      currency: 'EUR',
      tax: '0.42',
      total: '2.50',
      lineItems: [{ description: 'Coffee', quantity: null, amount: '2.50' }],
      referenceNumber: 'A-77',
      paymentMethod: 'mastercard',
      date: null,
    });
    expect(reading.confidence).toMatchObject({ vendor: 0.95, currency: 0.9, paymentMethod: 0.95, date: 0 });
    expect(readReceipt('Shop\nTOTAL $5.00\nVisa').confidence).toMatchObject({ currency: 0.6, paymentMethod: 0.6 });
  });
});
