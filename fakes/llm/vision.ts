import { embeddedText, imageOfPart } from './images';
import { readReceipt, type ReceiptReading } from './receipt-reader';
import { instanceOf, validate } from './schema';
import type { ChatRequest, JsonSchema } from './types';

/*
 * The sandbox model looking at a receipt: when the last user message has an image (or receipt
 * text, as an app sends a PDF's text) and a JSON schema is asked for, the answer is the
 * receipt's reading (receipt-reader.ts) put into the requested schema. The image's "printed
 * text" is the text the file carries (images.ts); an image without any reads as nothing.
 */

/** A line introducing receipt text in a text part: what follows it is read as the receipt. */
const RECEIPT_TEXT_HEADING = /^[^\n]*\b(?:receipt|invoice|document)\s+text\b[^\n]*:[^\S\n]*$/im;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the last user message shows of a receipt: its image's text, its pasted text, or null (no receipt). */
export function receiptInput(request: ChatRequest): { text: string | null } | null {
  const message = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!message) return null;
  const parts = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
  const image = parts.map(imageOfPart).find((i) => i !== null);
  if (image) return { text: embeddedText(image) };
  for (const part of parts) {
    if (part.type !== 'text' || typeof part.text !== 'string') continue;
    const heading = RECEIPT_TEXT_HEADING.exec(part.text);
    if (heading) return { text: part.text.slice(heading.index + heading[0].length) };
  }
  return null;
}

/** The reading as an instance of `schema`: its fields where the schema has room for them, valid or null. */
function fit(schema: JsonSchema, reading: ReceiptReading): unknown {
  const base = instanceOf(schema);
  if (!isObject(base) || !isObject(schema.properties)) return null;
  const properties = schema.properties;
  // A schema with no receipt fields is not asking for a reading: the usual answer applies.
  if (!Object.keys(reading).some((key) => key in properties)) return null;
  const candidate: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(reading)) if (key in properties) candidate[key] = value;
  return validate(schema, candidate).length === 0 ? candidate : base;
}

/** The JSON text the sandbox model answers for a receipt, or null when the request shows none. */
export function visionAnswer(request: ChatRequest): string | null {
  const schema = request.response_format?.type === 'json_schema' ? request.response_format.json_schema?.schema : undefined;
  if (!schema) return null;
  const input = receiptInput(request);
  if (!input) return null;
  const answer = fit(schema, readReceipt(input.text ?? ''));
  return answer === null ? null : JSON.stringify(answer);
}
