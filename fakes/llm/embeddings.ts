import { LlmApiError } from './errors';

/*
 * POST /v1/embeddings for the fake server: OpenAI's request and response shapes, with a
 * deterministic model. A text becomes a bag of its lower-cased words, stop words dropped, each
 * mapped through a small synonym table to a canonical word and crudely stemmed, hashed (FNV-1a)
 * into a fixed number of dimensions with a hashed sign, then L2-normalised. So the same text always
 * gets the same vector, texts sharing words (or synonyms) are close, and unrelated ones are not.
 */
export const FAKE_EMBEDDING_DIMENSIONS = 256;
const MAX_INPUTS = 2048;

const STOP_WORDS = new Set(
  ('a an and are as at be been but by can could do does did for from had has have how i if in into is it its me my no not of on or our ' +
    'so that the their them then there these they this to us was we were what when where which who why will with would you your').split(' '),
);

/** Words that mean the same here (a small, general table: the fake is no language model). */
const SYNONYM_GROUPS: string[][] = [
  ['price', 'cost', 'fee', 'rate', 'charge', 'much', 'expensive', 'cheap', 'pricing', 'tariff'],
  ['book', 'reserve', 'reservation', 'secure', 'hire', 'schedule', 'appointment'],
  ['cancel', 'cancellation', 'refund'],
  ['postpone', 'reschedule', 'move', 'change', 'delay'],
  ['deposit', 'retainer', 'advance', 'downpayment'],
  ['pay', 'payment', 'card', 'transfer', 'paypal'],
  ['instalment', 'installment', 'split', 'monthly', 'plan'],
  ['photo', 'picture', 'image', 'shot', 'photograph'],
  ['photographer', 'shooter', 'photography'],
  ['album', 'print'],
  ['deliver', 'delivery', 'receive', 'get', 'gallery', 'ready'],
  ['available', 'availability', 'free', 'open'],
  ['travel', 'abroad', 'destination', 'trip', 'outside'],
  ['hour', 'time', 'long', 'duration'],
  ['wedding', 'marriage', 'ceremony', 'elopement'],
  ['engagement', 'pre-wedding', 'prewedding'],
  ['rain', 'weather', 'storm'],
  ['edit', 'retouch', 'editing', 'retouching'],
  ['video', 'film', 'videographer'],
];
const SYNONYMS = new Map<string, string>();
for (const group of SYNONYM_GROUPS) for (const word of group) if (!SYNONYMS.has(word)) SYNONYMS.set(word, group[0]!);

/** Strips common English suffixes; good enough to make "booking", "booked" and "books" one word. */
export function stem(word: string): string {
  for (const suffix of ['ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ies', 'ed', 'es', 'ly', 's']) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) return suffix === 'ies' ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length);
  }
  return word;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The words of a text the vector is built from (canonical, stemmed). */
export function embeddingTerms(text: string): string[] {
  const lower = text.toLowerCase().replace(/call(?:ing|ed|s)? off/g, 'cancel');
  const words = lower.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
  const terms: string[] = [];
  for (const word of words) {
    if (STOP_WORDS.has(word)) continue;
    const canonical = SYNONYMS.get(word) ?? SYNONYMS.get(stem(word)) ?? stem(word);
    terms.push(stem(canonical));
  }
  return terms;
}

export function fakeEmbedding(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const term of embeddingTerms(text)) {
    const hash = fnv1a(term);
    vector[hash % dimensions]! += hash & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

export interface EmbeddingsRequest {
  model: string;
  input: string[];
  encodingFormat: 'float' | 'base64';
  dimensions: number;
}

/** Checks a request as OpenAI does (400 naming the parameter). Token arrays are not supported. */
export function validateEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new LlmApiError(400, 'The request body must be a JSON object.');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!['model', 'input', 'encoding_format', 'dimensions', 'user'].includes(key)) throw new LlmApiError(400, `Unrecognized request argument supplied: ${key}`, 'invalid_request_error', key);
  }
  if (typeof b.model !== 'string' || b.model === '') throw new LlmApiError(400, "you must provide a model parameter", 'invalid_request_error', 'model');
  const input = typeof b.input === 'string' ? [b.input] : b.input;
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_INPUTS || !input.every((s) => typeof s === 'string')) {
    throw new LlmApiError(400, `'input' must be a non-empty string or an array of 1 to ${MAX_INPUTS} strings (token arrays are not supported by this server).`, 'invalid_request_error', 'input');
  }
  if (input.some((s) => s === '')) throw new LlmApiError(400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'invalid_request_error', 'input');
  const format = b.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') throw new LlmApiError(400, `Invalid value for 'encoding_format': expected 'float' or 'base64'.`, 'invalid_request_error', 'encoding_format');
  const dimensions = b.dimensions ?? FAKE_EMBEDDING_DIMENSIONS;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 4096) {
    throw new LlmApiError(400, "'dimensions' must be an integer from 1 to 4096.", 'invalid_request_error', 'dimensions');
  }
  return { model: b.model, input: input as string[], encodingFormat: format, dimensions };
}

/** Float32 little-endian bytes in base64: what OpenAI sends for `encoding_format: 'base64'`. */
function base64Floats(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export function embeddingsResponse(request: EmbeddingsRequest) {
  // Usage counts words, as the sandbox chat model does (no tokenizer here).
  const tokens = request.input.reduce((n, text) => n + (text.match(/\S+/g)?.length ?? 0), 0);
  return {
    object: 'list',
    data: request.input.map((text, index) => {
      const vector = fakeEmbedding(text, request.dimensions);
      return { object: 'embedding', index, embedding: request.encodingFormat === 'base64' ? base64Floats(vector) : vector };
    }),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
