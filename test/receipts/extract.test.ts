import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { ExtractionError, extractReceipt, type ExtractDeps, type ReceiptContentType } from '../../activities/receipts/extract';
import { reviewOf } from '../../receipts/extraction';
import { makePdf } from '../helpers/pdf';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'receipts');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const POLICY = { minConfidence: 0.8 };

describe('extractReceipt against the fake model', () => {
  let fake: FakeLlm;
  let deps: ExtractDeps;

  beforeAll(async () => {
    fake = await startFakeLlm();
    deps = { baseURL: fake.url, apiKey: fake.apiKey, model: 'flowline-sandbox', timeoutMs: 30_000 };
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const extract = (name: string, contentType: ReceiptContentType) => extractReceipt(deps, { contentType, bytes: fixture(name), fileName: name });

  async function failure(promise: Promise<unknown>): Promise<ExtractionError> {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExtractionError);
    return err as ExtractionError;
  }

  it('reads a clean receipt photo that needs no review', async () => {
    const result = await extract('coffee-shop.png', 'image/png');
    expect(result.extracted).toEqual({
      vendor: 'Blue Fern Coffee',
      date: '2026-11-20',
      currency: 'USD',
      totalMinor: 1350,
      taxMinor: 100,
      lineItems: [
        { description: 'Latte', quantity: 2, amountMinor: 900 },
        { description: 'Croissant', quantity: null, amountMinor: 350 },
      ],
      paymentMethod: 'Visa ****1234',
      referenceNumber: '000482',
    });
    expect(result.problems).toEqual([]);
    expect(result.model).toBe('flowline-sandbox');
    expect(JSON.parse(result.rawAnswer)).toMatchObject({ total: '13.50' });
    expect(reviewOf(result.extracted, result.confidence, POLICY)).toEqual({ needsReview: false, reasons: [], lowConfidence: [] });
    // What was sent: a system prompt, an instruction and the image as a data URL, the strict schema.
    const request = fake.requests[0]!;
    expect(request.messages[0]!.role).toBe('system');
    expect(request.messages[1]!.content).toEqual([
      { type: 'text', text: 'Read this receipt (file "coffee-shop.png").' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${fixture('coffee-shop.png').toString('base64')}`, detail: 'high' } },
    ]);
    expect(request.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'receipt', strict: true } });
  });

  it('reads a JPEG whose line items do not make the total: it needs review', async () => {
    const result = await extract('hardware-store.jpg', 'image/jpeg');
    expect(result.extracted).toMatchObject({ vendor: 'Acme Hardware', date: '2026-11-18', currency: 'USD', totalMinor: 4500, taxMinor: 301, referenceNumber: 'HW-7731' });
    expect(result.extracted.lineItems.map((i) => i.amountMinor)).toEqual([1599, 897, 1249]);
    const review = reviewOf(result.extracted, result.confidence, POLICY);
    expect(review.needsReview).toBe(true);
    expect(review.reasons).toContain('The line items add up to 37.45 USD, not the total 45.00 USD (tax 3.01 USD)');
  });

  it('reads a WebP receipt in pounds that needs no review', async () => {
    const result = await extract('bakery.webp', 'image/webp');
    expect(result.extracted).toEqual({
      vendor: 'Rye & Crumb Bakery',
      date: '2026-12-02',
      currency: 'GBP',
      totalMinor: 950,
      taxMinor: 0,
      lineItems: [
        { description: 'Sourdough loaf', quantity: null, amountMinor: 450 },
        { description: 'Cinnamon bun', quantity: 2, amountMinor: 500 },
      ],
      paymentMethod: 'Contactless debit',
      referenceNumber: '3391',
    });
    expect(reviewOf(result.extracted, result.confidence, POLICY).needsReview).toBe(false);
  });

  it('reads a blurry receipt with low confidence: it needs review', async () => {
    const result = await extract('blurry.png', 'image/png');
    expect(result.extracted).toMatchObject({ vendor: 'Corner Deli', currency: 'EUR', totalMinor: 1050, taxMinor: null });
    expect(result.confidence.total).toBe(0.4);
    const review = reviewOf(result.extracted, result.confidence, POLICY);
    expect(review.needsReview).toBe(true);
    // Every field it has is doubtful; the tax it does not print is no doubt.
    expect(review.lowConfidence).toEqual(['vendor', 'date', 'currency', 'total', 'lineItems', 'paymentMethod', 'referenceNumber']);
  });

  it('reads nothing from a photo without text: no total, no currency', async () => {
    const result = await extract('photo-no-text.png', 'image/png');
    expect(result.extracted).toEqual({ vendor: null, date: null, currency: null, totalMinor: null, taxMinor: null, lineItems: [], paymentMethod: null, referenceNumber: null });
    expect(reviewOf(result.extracted, result.confidence, POLICY).reasons).toEqual(expect.arrayContaining(['No total was found', 'No currency was found']));
  });

  it('reads a text PDF through its text', async () => {
    const result = await extract('invoice.pdf', 'application/pdf');
    expect(result.extracted).toEqual({
      vendor: 'Northwind Consulting Ltd',
      date: '2026-11-15',
      currency: 'GBP',
      totalMinor: 162000,
      taxMinor: 27000,
      lineItems: [
        { description: 'Strategy workshop', quantity: 1, amountMinor: 120000 },
        { description: 'Travel', quantity: null, amountMinor: 15000 },
      ],
      paymentMethod: 'Bank transfer',
      referenceNumber: 'INV-1001',
    });
    expect(reviewOf(result.extracted, result.confidence, POLICY).needsReview).toBe(false);
    const content = fake.requests[0]!.messages[1]!.content as string | { type: string; text?: string }[];
    const text = typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('');
    expect(text).toContain('Receipt text (extracted from a PDF):\n[Page 1]\nNorthwind Consulting Ltd');
    expect(text).not.toContain('\f');
  });

  it('reads every page of a PDF, a page without text left out', async () => {
    const result = await extractReceipt(deps, { contentType: 'application/pdf', bytes: makePdf([[], ['Kiosk', 'Currency: USD', 'TOTAL 5.00']]) });
    expect(result.extracted).toMatchObject({ vendor: 'Kiosk', currency: 'USD', totalMinor: 500 });
    const content = fake.requests[0]!.messages[1]!.content as { text?: string }[];
    expect(content[0]!.text).toContain('Receipt text (extracted from a PDF):\n[Page 2]\nKiosk');
  });

  it('refuses a PDF without text, before asking the model', async () => {
    const err = await failure(extractReceipt(deps, { contentType: 'application/pdf', bytes: makePdf([[]]) }));
    expect(err.kind).toBe('permanent');
    expect(err.message).toBe('The PDF has no text to read; upload a photo or scan as an image');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a file that is not a PDF as permanent', async () => {
    const err = await failure(extractReceipt(deps, { contentType: 'application/pdf', bytes: Buffer.from('hello') }));
    expect(err.kind).toBe('permanent');
  });

  it('keeps the raw answer when it is not JSON', async () => {
    fake.enqueue('Sure! The total is 13.50.');
    const err = await failure(extract('coffee-shop.png', 'image/png'));
    expect(err.kind).toBe('invalid_answer');
    expect(err.rawAnswer).toBe('Sure! The total is 13.50.');
  });

  it('calls an answer cut off by the token limit invalid, keeping what came', async () => {
    fake.enqueue({ text: '{"vendor": "Blue', finishReason: 'length' });
    const err = await failure(extract('coffee-shop.png', 'image/png'));
    expect(err.kind).toBe('invalid_answer');
    expect(err.rawAnswer).toBe('{"vendor": "Blue');
  });

  it('keeps the raw answer when the JSON is not the receipt schema', async () => {
    fake.enqueue({ json: { vendor: 'X' } });
    const err = await failure(extract('coffee-shop.png', 'image/png'));
    expect(err.kind).toBe('invalid_answer');
    expect(err.rawAnswer).toBe('{"vendor":"X"}');
    expect(err.message).toMatch(/does not match the receipt schema/);
  });

  it('calls a 500, a 429 and a 408 transient', async () => {
    fake.enqueue({ status: 500, message: 'The server had an error' }, { status: 429, message: 'Rate limit reached', retryAfter: 1 }, { status: 408, message: 'Request timed out' });
    for (let i = 0; i < 3; i++) expect((await failure(extract('coffee-shop.png', 'image/png'))).kind).toBe('transient');
  });

  it('calls a 400 permanent, with the API message', async () => {
    fake.enqueue({ status: 400, message: 'Invalid image.', param: 'messages.[1].content.[1].image_url', code: 'invalid_image' });
    const err = await failure(extract('coffee-shop.png', 'image/png'));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/400.*Invalid image\./);
  });

  it('sends an image as the type its bytes are, whatever the upload declared', async () => {
    const result = await extractReceipt(deps, { contentType: 'image/webp', bytes: fixture('coffee-shop.png') });
    expect(result.extracted.vendor).toBe('Blue Fern Coffee');
    const parts = fake.requests[0]!.messages[1]!.content as { type: string; image_url?: { url: string } }[];
    expect(parts[1]!.image_url!.url).toMatch(/^data:image\/png;base64,/);
  });

  it('refuses a file that is no image it can send, before asking the model', async () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('GIF89a not supported'), Buffer.from('%PDF-1.4')]) {
      const err = await failure(extractReceipt(deps, { contentType: 'image/jpeg', bytes }));
      expect(err.kind).toBe('permanent');
      expect(err.message).toBe('The file is not a JPEG, PNG or WebP image');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('calls an unreachable server transient', async () => {
    const closed = await startFakeLlm();
    await closed.close();
    const err = await failure(extractReceipt({ ...deps, baseURL: closed.url }, { contentType: 'image/png', bytes: fixture('coffee-shop.png') }));
    expect(err.kind).toBe('transient');
  });
});
