/*
 * The ai.extractReceipt node: a receipt file fetched from a URL (a GHL attachment, a form
 * upload...) under the same network policy as http.request, size-limited while it streams,
 * checked like an upload, and read by the vision model. Its output is the reading and whether
 * a person should look (the same rule receipts use); the flow decides what follows.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { reviewOf } from '../../receipts/extraction';
import type { StepContext } from '../../workflows/flow/steps';
import { ExtractionError, extractReceipt } from '../receipts/extract';
import { checkReceiptFile, FileRefused } from '../receipts/file-check';
import { permanent, transient } from './failures';
import type { HttpDeps } from './http-request';
import type { LlmDeps } from './llm-chat';
import { refusedDestination } from './network-policy';

export interface ExtractReceiptConfig {
  url: string;
  model?: string;
  maxBytes?: number;
  minConfidence?: number;
  timeoutMs?: number;
}

const MAX_REDIRECTS = 5;
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** The file at `url`, following redirects only to destinations the policy allows. */
async function download(deps: HttpDeps, config: ExtractReceiptConfig, maxBytes: number, attempt: number): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw permanent(`Invalid URL: ${String(config.url)}`, attempt);
  }
  const signal = AbortSignal.any([AbortSignal.timeout(config.timeoutMs ?? 60_000), Context.current().cancellationSignal]);
  for (let hop = 0; ; hop += 1) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw permanent(`Only http(s) URLs are fetched, not ${url.protocol}`, attempt);
    const refused = await refusedDestination(url, deps.allowPrivateNetworks).catch((err: Error) => `cannot resolve ${url.hostname}: ${err.message}`);
    if (refused) throw permanent(`Download refused: ${refused}`, attempt);
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'manual', signal });
    } catch (err) {
      throw transient(`GET ${url.origin}${url.pathname} failed: ${(err as Error).message}`, attempt);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw permanent(`More than ${MAX_REDIRECTS} redirects`, attempt);
      url = new URL(location, url);
      continue;
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      const message = `GET ${url.origin}${url.pathname} answered ${res.status}`;
      throw RETRYABLE_STATUS.has(res.status) ? transient(message, attempt) : permanent(message, attempt);
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > maxBytes) throw permanent(`The file is ${length} bytes, over the ${maxBytes}-byte limit`, attempt);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of res.body ?? []) {
      total += chunk.byteLength;
      if (total > maxBytes) throw permanent(`The file is over the ${maxBytes}-byte limit`, attempt);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
}

export async function extractReceiptFromUrl(deps: { http: HttpDeps; llm: LlmDeps; model: string }, _ctx: StepContext, config: ExtractReceiptConfig) {
  const attempt = Context.current().info.attempt;
  const bytes = await download(deps.http, config, config.maxBytes ?? 10 * 1024 * 1024, attempt);
  const contentType = await checkReceiptFile(bytes).catch((err: unknown) => {
    throw err instanceof FileRefused ? permanent(err.message, attempt) : err;
  });
  try {
    const read = await extractReceipt(
      { ...deps.llm, model: config.model ?? deps.model, signal: Context.current().cancellationSignal },
      { contentType, bytes },
    );
    const review = reviewOf(read.extracted, read.confidence, { minConfidence: config.minConfidence ?? 0.8 });
    return {
      ...read.extracted,
      confidence: read.confidence,
      needsReview: review.needsReview || read.problems.length > 0,
      reviewReasons: [...review.reasons, ...read.problems.map((p) => `${p.field}: ${p.message}`)],
      lowConfidenceFields: review.lowConfidence,
      model: read.model,
      file: { contentType, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
    };
  } catch (err) {
    if (!(err instanceof ExtractionError)) throw err;
    if (err.kind === 'permanent') throw permanent(err.message, attempt);
    throw transient(err.message, attempt, err.rawAnswer !== undefined ? { rawAnswer: err.rawAnswer.slice(0, 2000) } : {});
  }
}
