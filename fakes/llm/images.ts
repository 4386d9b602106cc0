import { inflateSync } from 'node:zlib';
import { invalid } from './errors';

/*
 * Image inputs as OpenAI's Chat Completions takes them: a user content part
 * `{ type: 'image_url', image_url: { url, detail? } }` whose url is a base64 data URL (the fake
 * has no network, so an http(s) URL is answered as OpenAI answers one it cannot fetch). The
 * bytes must really be the declared type. And the "OCR" of the sandbox model: a receipt's
 * printed text travels inside the image file (PNG text chunk, JPEG comment, WebP XMP chunk).
 */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
const DETAILS = ['auto', 'low', 'high'];
/** OpenAI's limit for one image. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:([^;,]*)(;base64)?,(.*)$/s;

export interface ImageInput {
  type: ImageType;
  bytes: Buffer;
}

/** The type the bytes say they are (magic numbers), whatever the URL declared. */
export function sniffImage(bytes: Buffer): ImageType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'image/gif';
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const unsupported = (param: string) =>
  invalid(
    param,
    "You uploaded an unsupported image. Please make sure your image is below 20 MB in size and is of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
    'invalid_image_format',
  );

/**
 * A content part of type image_url, checked as OpenAI does; `param` is its path
 * (`messages.[0].content.[1]`). Returns the decoded image; throws a 400 otherwise.
 */
export function checkImagePart(param: string, part: Record<string, unknown>, role: unknown): ImageInput {
  const at = `${param}.image_url`;
  if (role !== 'user') {
    throw invalid(`${param}.type`, `Image URLs are only allowed for messages with role 'user', but this message with role '${String(role)}' contains an image URL.`, 'invalid_value');
  }
  const image = part.image_url;
  if (!isObject(image) || image.url === undefined) throw invalid(`${at}.url`, `Missing required parameter: '${at}.url'.`, 'missing_required_parameter');
  if (typeof image.url !== 'string') throw invalid(`${at}.url`, `Invalid type for '${at}.url': expected a string.`, 'invalid_type');
  if (image.detail !== undefined && !DETAILS.includes(image.detail as string)) {
    throw invalid(`${at}.detail`, `Invalid value: '${String(image.detail)}'. Supported values are: 'auto', 'low' and 'high'.`, 'invalid_value');
  }
  const url = image.url;
  if (/^https?:\/\//i.test(url)) {
    // No network here: answered as OpenAI answers a URL it cannot fetch.
    throw invalid(at, `Error while downloading ${url}: the sandbox model could not download it (it has no network access). Send the image as a base64 data URL.`, 'invalid_image_url');
  }
  const data = DATA_URL.exec(url);
  if (!data) {
    throw invalid(
      at,
      "Invalid image URL: expected a URL or a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU=').",
      'invalid_image_url',
    );
  }
  const declared = (data[1] ?? '').toLowerCase() as ImageType;
  if (!IMAGE_TYPES.includes(declared)) throw unsupported(at);
  const payload = (data[3] ?? '').replace(/\s+/g, '');
  if (!data[2] || payload === '' || payload.length % 4 !== 0 || !BASE64.test(payload)) {
    throw invalid(at, `Invalid base64 image data in '${at}.url': the data URL must be '${declared};base64,' followed by base64.`, 'invalid_base64');
  }
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) throw unsupported(at);
  const actual = sniffImage(bytes);
  if (actual !== declared) {
    throw invalid(
      at,
      actual
        ? `The image data is ${actual} but the data URL declares ${declared}. Declare the type the image really is.`
        : `The image data is not a valid ${declared.slice('image/'.length)} image.`,
      'invalid_image',
    );
  }
  return { type: declared, bytes };
}

/** The decoded image of an image_url part that passed validation. */
export function imageOfPart(part: unknown): ImageInput | null {
  if (!isObject(part) || part.type !== 'image_url' || !isObject(part.image_url) || typeof part.image_url.url !== 'string') return null;
  const data = DATA_URL.exec(part.image_url.url);
  if (!data) return null;
  return { type: (data[1] ?? '').toLowerCase() as ImageType, bytes: Buffer.from((data[3] ?? '').replace(/\s+/g, ''), 'base64') };
}

/** The keyword of the PNG text chunk (and the XMP element) carrying a receipt's printed text. */
export const RECEIPT_KEYWORD = 'receipt';

function pngText(bytes: Buffer): string | null {
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    at += 12 + length;
    const nul = data.indexOf(0);
    if (nul < 0 || data.toString('latin1', 0, nul) !== RECEIPT_KEYWORD) continue;
    try {
      if (type === 'tEXt') return data.toString('latin1', nul + 1);
      if (type === 'zTXt') return inflateSync(data.subarray(nul + 2)).toString('latin1');
      if (type === 'iTXt') {
        // keyword \0 compressed method \0 language \0 translated keyword \0 text (UTF-8)
        const compressed = data[nul + 1] === 1;
        let rest = nul + 3;
        for (let skip = 0; skip < 2; skip++) rest = data.indexOf(0, rest) + 1;
        if (rest <= 0) return null;
        const text = data.subarray(rest);
        return (compressed ? inflateSync(text) : text).toString('utf8');
      }
    } catch {
      return null;
    }
  }
  return null;
}

function jpegComment(bytes: Buffer): string | null {
  for (let at = 2; at + 4 <= bytes.length; ) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or start of scan: no more headers
    const length = bytes.readUInt16BE(at + 2);
    if (marker === 0xfe) return bytes.toString('utf8', at + 4, at + 2 + length);
    at += 2 + length;
  }
  return null;
}

function webpXmp(bytes: Buffer): string | null {
  for (let at = 12; at + 8 <= bytes.length; ) {
    const type = bytes.toString('latin1', at, at + 4);
    const length = bytes.readUInt32LE(at + 4);
    if (type === 'XMP ') {
      const xmp = bytes.toString('utf8', at + 8, at + 8 + length);
      const element = new RegExp(`<([\\w-]+):${RECEIPT_KEYWORD}\\b[^>]*>([\\s\\S]*?)</\\1:${RECEIPT_KEYWORD}>`).exec(xmp);
      return element ? unescapeXml(element[2]!) : null;
    }
    at += 8 + length + (length % 2);
  }
  return null;
}

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#(\d+));/g, (_, name: string, code?: string) =>
    code ? String.fromCodePoint(Number(code)) : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[name]!,
  );

/**
 * The receipt text an image carries, standing in for OCR: a PNG tEXt/zTXt/iTXt chunk with
 * keyword `receipt`, a JPEG comment (COM) segment, or a WebP `XMP ` chunk with a
 * `<…:receipt>` element. Null for an image with none (a photo of nothing readable).
 */
export function embeddedText(image: ImageInput): string | null {
  switch (image.type) {
    case 'image/png':
      return pngText(image.bytes);
    case 'image/jpeg':
      return jpegComment(image.bytes);
    case 'image/webp':
      return webpXmp(image.bytes);
    default:
      return null;
  }
}
