/*
 * Reads a receipt with a vision-capable OpenAI-compatible model: an image is sent as a base64
 * data URL, a PDF as its extracted text, and the answer is asked for as the strict JSON schema
 * of receipts/extraction.ts, then checked and converted to minor units. Failures are sorted for
 * the caller's retry policy: `transient` (rate limits, timeouts, 5xx, the network) may succeed
 * on a retry; `invalid_answer` (an answer that is not the schema) keeps the raw text for a
 * person; `permanent` (a refused request, a PDF without text) will not get better.
 */
import OpenAI from 'openai';
import { PdfRefused, MAX_PDF_BYTES, pdfText } from '../bots/pdf-text';
import {
  MODEL_ANSWER_JSON_SCHEMA,
  fromModelAnswer,
  modelAnswerSchema,
  type Confidence,
  type ExtractedReceipt,
  type ReceiptField,
} from '../../receipts/extraction';

export type ReceiptContentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

export interface ExtractDeps {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ExtractionSuccess {
  extracted: ExtractedReceipt;
  confidence: Confidence;
  /** Values the model gave that could not be kept (see fromModelAnswer). */
  problems: { field: ReceiptField; message: string }[];
  /** The model that answered, as the API names it. */
  model: string;
  rawAnswer: string;
}

export type ExtractionErrorKind = 'transient' | 'invalid_answer' | 'permanent';

export class ExtractionError extends Error {
  constructor(
    readonly kind: ExtractionErrorKind,
    message: string,
    readonly rawAnswer?: string,
  ) {
    super(message);
    this.name = 'ExtractionError';
  }
}

/** OpenAI's limit for one image. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** Receipt text sent from a PDF, in characters: a receipt is short; a long PDF is cut, not refused. */
export const MAX_PDF_TEXT_CHARS = 20_000;

export const SYSTEM_PROMPT = [
  'You read receipts and invoices for bookkeeping.',
  'Answer with the JSON schema given: the vendor, the purchase date as YYYY-MM-DD, the ISO 4217 currency code,',
  'the total paid and the tax as printed (digits with a dot for decimals, no currency symbol, no thousands separators),',
  'each line item with its quantity (or null) and amount, the payment method and the receipt or invoice number.',
  'Use null for anything not on the receipt; never invent a value.',
  'Give each field a confidence from 0 to 1: 0 when absent, low when the print is unclear or you had to guess.',
].join(' ');
const IMAGE_INSTRUCTION = 'Read this receipt';
/** The heading the receipt text follows when it is sent as text. */
export const PDF_TEXT_HEADING = 'Receipt text (extracted from a PDF):';

const clients = new Map<string, OpenAI>();
function client(deps: ExtractDeps): OpenAI {
  const key = `${deps.baseURL}|${deps.apiKey}|${deps.timeoutMs}`;
  let c = clients.get(key);
  // Retries belong to the caller's policy (Temporal), not to the SDK.
  if (!c) clients.set(key, (c = new OpenAI({ baseURL: deps.baseURL, apiKey: deps.apiKey, maxRetries: 0, timeout: deps.timeoutMs })));
  return c;
}

/** The PDF's text for the model: page markers become plain "[Page N]" lines (see pageMarker), capped in length. */
async function receiptTextOfPdf(bytes: Buffer): Promise<string> {
  if (bytes.length > MAX_PDF_BYTES) throw new ExtractionError('permanent', `The PDF is larger than ${MAX_PDF_BYTES / 1024 / 1024} MB`);
  let text: string;
  try {
    text = await pdfText(bytes);
  } catch (err) {
    if (err instanceof PdfRefused) {
      throw new ExtractionError('permanent', err.reason === 'no_text' ? 'The PDF has no text to read; upload a photo or scan as an image' : err.message);
    }
    // The extraction worker stopped (memory, a crash): another attempt may get through.
    throw new ExtractionError('transient', `The PDF could not be read: ${(err as Error).message}`);
  }
  // Form feeds inside pages are already spaces (joinPages): the ones left open page markers.
  text = text.replaceAll('\f', '');
  return text.length > MAX_PDF_TEXT_CHARS ? text.slice(0, MAX_PDF_TEXT_CHARS) : text;
}

type ImageType = Exclude<ReceiptContentType, 'application/pdf'>;

/** What the bytes are by their magic numbers: an upload's declared type is often only its file name's. */
export function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

async function userContent(file: { contentType: ReceiptContentType; bytes: Buffer; fileName?: string }): Promise<OpenAI.Chat.ChatCompletionContentPart[]> {
  const named = file.fileName ? ` (file "${file.fileName.replace(/\s+/g, ' ').slice(0, 200)}")` : '';
  if (file.contentType === 'application/pdf') {
    return [{ type: 'text', text: `${IMAGE_INSTRUCTION}${named}.\n\n${PDF_TEXT_HEADING}\n${await receiptTextOfPdf(file.bytes)}` }];
  }
  if (file.bytes.length > MAX_IMAGE_BYTES) throw new ExtractionError('permanent', `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
  // The API refuses bytes that are not the type the data URL declares: send the type they are.
  const type = sniffImageType(file.bytes);
  if (!type) throw new ExtractionError('permanent', 'The file is not a JPEG, PNG or WebP image');
  return [
    { type: 'text', text: `${IMAGE_INSTRUCTION}${named}.` },
    { type: 'image_url', image_url: { url: `data:${type};base64,${file.bytes.toString('base64')}`, detail: 'high' } },
  ];
}

function classify(err: unknown): ExtractionError {
  if (err instanceof ExtractionError) return err;
  if (err instanceof OpenAI.APIError && err.status !== undefined) {
    const status = err.status;
    const message = `The model request failed (${status}): ${err.message}`;
    return new ExtractionError(status === 429 || status === 408 || status >= 500 ? 'transient' : 'permanent', message);
  }
  // No status: the connection failed, timed out or was aborted; none of it is the receipt's fault.
  return new ExtractionError('transient', `The model request failed: ${(err as Error).message}`);
}

/** Reads one receipt file into an ExtractedReceipt, or throws an ExtractionError saying what kind of failure. */
export async function extractReceipt(
  deps: ExtractDeps,
  file: { contentType: ReceiptContentType; bytes: Buffer; fileName?: string },
): Promise<ExtractionSuccess> {
  let completion: OpenAI.Chat.ChatCompletion;
  try {
    const content = await userContent(file);
    completion = await client(deps).chat.completions.create(
      {
        model: deps.model,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content },
        ],
        temperature: 0,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'receipt', schema: MODEL_ANSWER_JSON_SCHEMA as unknown as Record<string, unknown>, strict: true },
        },
      },
      deps.signal ? { signal: deps.signal } : {},
    );
  } catch (err) {
    throw classify(err);
  }
  const choice = completion.choices[0];
  const raw = choice?.message.content ?? '';
  if (choice?.message.refusal) throw new ExtractionError('invalid_answer', `The model refused to read the receipt: ${choice.message.refusal}`, choice.message.refusal);
  if (choice?.finish_reason === 'length') throw new ExtractionError('invalid_answer', 'The model answer was cut off before it was complete', raw);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ExtractionError('invalid_answer', 'The model did not answer valid JSON', raw);
  }
  const parsed = modelAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
    throw new ExtractionError('invalid_answer', `The model answer does not match the receipt schema: ${issues.join('; ')}`, raw);
  }
  return { ...fromModelAnswer(parsed.data), model: completion.model, rawAnswer: raw };
}
