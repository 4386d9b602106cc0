/*
 * What an uploaded receipt really is, from its bytes: the declared Content-Type and file name
 * are a client's claim, so the type is sniffed from the signature and the file's structure is
 * walked far enough to refuse a truncated or damaged one before anything is stored.
 */
import { crc32 } from 'node:zlib';
import { PdfRefused, pdfText } from '../bots/pdf-text';
import type { ReceiptContentType } from './extract';

export class FileRefused extends Error {
  constructor(
    readonly status: 415 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The receipt type the bytes are, or undefined for anything else. */
export function sniffReceiptType(b: Buffer): ReceiptContentType | undefined {
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

const damaged = (what: string) => new FileRefused(422, `This ${what} could not be read: it looks damaged or truncated`);

/** Every chunk's length and CRC, from IHDR to IEND. */
function checkPng(b: Buffer): void {
  let at = 8;
  let first = true;
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (first && (type !== 'IHDR' || length !== 13)) throw damaged('PNG');
    first = false;
    const end = at + 12 + length;
    if (end > b.length) throw damaged('PNG');
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== b.readUInt32BE(at + 8 + length)) throw damaged('PNG');
    if (type === 'IEND') return;
    at = end;
  }
  throw damaged('PNG');
}

/** Segments up to the scan (a frame header among them), and the end-of-image marker. */
function checkJpeg(b: Buffer): void {
  let at = 2;
  let frame = false;
  for (;;) {
    if (at + 4 > b.length || b[at] !== 0xff) throw damaged('JPEG');
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length) throw damaged('JPEG');
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) frame = true;
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
    at += 2 + length;
  }
  if (!frame) throw damaged('JPEG');
  // The image ends with EOI (some encoders pad a few bytes after it).
  const tail = b.subarray(Math.max(0, b.length - 32));
  if (!tail.includes(Buffer.from([0xff, 0xd9]))) throw damaged('JPEG');
}

function checkWebp(b: Buffer): void {
  const riffSize = b.readUInt32LE(4);
  if (riffSize + 8 > b.length || riffSize < 12) throw damaged('WebP image');
  const chunk = b.toString('latin1', 12, 16);
  if (!['VP8 ', 'VP8L', 'VP8X'].includes(chunk)) throw damaged('WebP image');
}

/**
 * The checked type of an upload. Refuses (415) what is not a JPEG, PNG, WebP or PDF, and
 * (422) an empty, damaged or unreadable one; a PDF must have text to read, since receipts in PDF
 * are read from their text (a scan saved as PDF is refused with a way forward).
 */
export async function checkReceiptFile(bytes: Buffer): Promise<ReceiptContentType> {
  if (bytes.length === 0) throw new FileRefused(422, 'The file is empty');
  const type = sniffReceiptType(bytes);
  if (!type) throw new FileRefused(415, 'A receipt must be a JPEG, PNG or WebP image, or a PDF (the file is none of these)');
  if (type === 'image/png') checkPng(bytes);
  else if (type === 'image/jpeg') checkJpeg(bytes);
  else if (type === 'image/webp') checkWebp(bytes);
  else {
    try {
      await pdfText(bytes);
    } catch (err) {
      if (!(err instanceof PdfRefused)) throw err;
      const hint = err.reason === 'no_text' ? ': a scanned receipt saved as PDF has no text to read, upload the scan as an image instead' : '';
      throw new FileRefused(422, `${err.message}${hint}`);
    }
  }
  return type;
}
