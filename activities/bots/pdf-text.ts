/*
 * The text of an uploaded PDF, for the knowledge base: sniffed (`%PDF-`), extracted page by page
 * in a worker thread (see pdf-text-worker.mjs) with a time and memory bound, and joined with page
 * markers the chunker turns into "Page N" headings. A PDF that cannot give text (damaged,
 * password-protected, scanned images only, empty) is refused with a reason a person can act on.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pageMarker } from '../../bots/knowledge/chunk';

/** Biggest PDF accepted, in bytes. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
const EXTRACT_TIMEOUT_MS = 30_000;
const WORKER_HEAP_MB = 256;

export type PdfRefusal = 'not_pdf' | 'damaged' | 'encrypted' | 'no_text' | 'too_complex';

export class PdfRefused extends Error {
  constructor(
    readonly reason: PdfRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'PdfRefused';
  }
}

const MESSAGES: Record<PdfRefusal, string> = {
  not_pdf: 'This file is not a PDF (it does not start with %PDF-)',
  damaged: 'This PDF could not be read: it looks damaged',
  encrypted: 'This PDF is password-protected: remove the password and upload it again',
  no_text: 'This PDF has no text to extract (scanned pages are images: run them through OCR first)',
  too_complex: 'This PDF took too long or too much memory to read: split it or export it again',
};

const refuse = (reason: PdfRefusal) => new PdfRefused(reason, MESSAGES[reason]);

/** PDF readers look for the header in the first 1024 bytes (ISO 32000-1, annex H). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes('%PDF-', 0, 'latin1');
}

/**
 * The pages' text as one document, each page with text under its marker (see pageMarker);
 * pages without text are left out. Form feeds are page breaks of their own: they become spaces.
 */
export function joinPages(pages: readonly string[]): string {
  return pages
    .map((text, i) => ({ page: i + 1, text: text.replaceAll('\f', ' ').replaceAll('\u0000', '').trim() }))
    .filter((p) => p.text !== '')
    .map((p) => `${pageMarker(p.page)}\n${p.text}`)
    .join('\n\n');
}

/** The PDF's text, joined with page markers; throws PdfRefused when it has none to give. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  if (!looksLikePdf(bytes)) throw refuse('not_pdf');
  const pages = await extractPages(bytes);
  const text = joinPages(pages);
  if (text === '') throw refuse('no_text');
  return text;
}

type WorkerAnswer = { ok: true; pages: string[] } | { ok: false; name: string; message: string };

function extractPages(bytes: Uint8Array): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // A copy: pdf.js may detach the buffer it is given, and the caller keeps its own.
    const worker = new Worker(path.join(__dirname, 'pdf-text-worker.mjs'), {
      workerData: { bytes: new Uint8Array(bytes) },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(refuse('too_complex'))), EXTRACT_TIMEOUT_MS);
    // pdf.js asks for a password (PasswordException) or cannot parse the file (anything else).
    worker.on('message', (answer: WorkerAnswer) =>
      settle(() => (answer.ok ? resolve(answer.pages) : reject(refuse(answer.name === 'PasswordException' ? 'encrypted' : 'damaged')))),
    );
    worker.on('error', (err: Error & { code?: string }) =>
      settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? refuse('too_complex') : err)),
    );
    worker.on('exit', (code) => settle(() => reject(new Error(`PDF text extraction stopped (exit code ${code})`))));
  });
}

