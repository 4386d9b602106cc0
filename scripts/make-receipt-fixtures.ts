/*
 * Writes the sample receipts of test/fixtures/receipts/: real, viewable files made here, never
 * downloaded. The PNGs print their receipt in a 5x7 bitmap font, the JPEG as word bars (its
 * encoder only knows flat 8x8 blocks), the WebP is a plain card; each carries the printed text inside the file, where the sandbox model reads it in place of OCR:
 * a PNG text chunk with keyword "receipt", a JPEG comment segment, a WebP XMP chunk (its
 * image is one flat colour). The PDF is a text PDF.
 *
 *   npx tsx scripts/make-receipt-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { makePdf } from '../test/helpers/pdf';

const OUT = path.join(__dirname, '..', 'test', 'fixtures', 'receipts');

export const SAMPLE_RECEIPTS = {
  coffeeShop: [
    'Blue Fern Coffee',
    '12 Harbour Road, Springfield',
    'Date: 2026-11-20',
    'Latte x2 9.00',
    'Croissant 3.50',
    'Subtotal 12.50',
    'TAX 1.00',
    'TOTAL USD 13.50',
    'Paid by: Visa ****1234',
    'Receipt #: 000482',
  ],
  hardwareStore: [
    'Acme Hardware',
    'Date: 11/18/2026',
    'Hammer 15.99',
    'Nails x3 8.97',
    'Tape measure 12.49',
    'TAX 3.01',
    'TOTAL USD 45.00',
    'Paid by: Cash',
    'Invoice No: HW-7731',
  ],
  blurry: ['~blurry~', 'Corner Deli', 'Date: 2026-11-21', 'Sandwich 8.50', 'Soda 2.00', 'TOTAL €10.50', 'Paid by: Mastercard ****9876', 'Ref: CD-5512'],
  bakery: ['Vendor: Rye & Crumb Bakery', 'Date: 02 Dec 2026', 'Sourdough loaf £4.50', 'Cinnamon bun x2 £5.00', 'VAT 0% £0.00', 'TOTAL £9.50', 'Paid by: Contactless debit', 'Order #: 3391'],
  invoice: [
    'Northwind Consulting Ltd',
    'Invoice No: INV-1001',
    'Date: 2026-11-15',
    'Currency: GBP',
    'Strategy workshop x1 1,200.00',
    'Travel 150.00',
    'VAT 270.00',
    'TOTAL 1,620.00',
    'Paid by: Bank transfer',
  ],
};

/* ---- A grayscale canvas with the receipt's lines drawn as word bars ---- */

interface Canvas {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const WIDTH = 288;
const LINE = 16;
const CHAR = 6;

/** Paper with a bar per word; `grid` rounds every bar to grid-sized cells (8 for JPEG blocks). */
function receiptCanvas(lines: string[], ink: number, paper: number, grid = 1): Canvas {
  const height = Math.ceil((lines.length * LINE + 2 * LINE) / 8) * 8;
  const pixels = new Uint8Array(WIDTH * height).fill(paper);
  const snap = (n: number) => Math.round(n / grid) * grid;
  lines.forEach((line, i) => {
    const top = LINE + i * LINE;
    let x = 16;
    for (const word of line.split(' ')) {
      const from = snap(x);
      const to = Math.min(WIDTH - 16, snap(x + word.length * CHAR));
      for (let y = top; y < top + 8; y++) for (let px = from; px < to; px++) pixels[y * WIDTH + px] = ink;
      x += (word.length + 1) * CHAR;
    }
  });
  return { width: WIDTH, height, pixels };
}

/*
 * A 5x7 bitmap font (each glyph 7 rows of 5 bits, top row first) for what receipts print;
 * lower case is drawn as upper case, as many till printers do.
 */
const FONT: Record<string, number[]> = {
  A: [0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11], B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e], C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
  D: [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c], E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f], F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f], H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11], I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
  J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c], K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11], L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11], N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11], O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10], Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d], R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e], T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04], U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04], W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a], X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
  Y: [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04], Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e], '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e], '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e], '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02], '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e], '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08], '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  ':': [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00], '.': [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c], ',': [0x00, 0x00, 0x00, 0x00, 0x0c, 0x04, 0x08],
  '-': [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00], '/': [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00], '#': [0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a],
  '*': [0x00, 0x04, 0x15, 0x0e, 0x15, 0x04, 0x00], '&': [0x0c, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0d], $: [0x04, 0x0f, 0x14, 0x0e, 0x05, 0x1e, 0x04],
  '£': [0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x1f], '€': [0x07, 0x08, 0x1e, 0x08, 0x1e, 0x08, 0x07], '%': [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
  '~': [0x00, 0x00, 0x08, 0x15, 0x02, 0x00, 0x00], '(': [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02], ')': [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
};

/** The receipt's lines printed in the bitmap font, each font pixel `scale` pixels square. */
function printedCanvas(lines: string[], ink: number, paper: number, scale = 2): Canvas {
  const margin = 8 * scale;
  const lineHeight = 11 * scale;
  const width = Math.max(...lines.map((l) => l.length)) * 6 * scale + 2 * margin;
  const height = lines.length * lineHeight + 2 * margin;
  const pixels = new Uint8Array(width * height).fill(paper);
  lines.forEach((line, row) => {
    [...line.toUpperCase()].forEach((char, column) => {
      const glyph = FONT[char] ?? [];
      glyph.forEach((bits, gy) => {
        for (let gx = 0; gx < 5; gx++) {
          if (!((bits >> (4 - gx)) & 1)) continue;
          const left = margin + (column * 6 + gx) * scale;
          const top = margin + row * lineHeight + gy * scale;
          for (let y = top; y < top + scale; y++) pixels.fill(ink, y * width + left, y * width + left + scale);
        }
      });
    });
  });
  return { width, height, pixels };
}

/** A box blur of `radius` pixels: the photo of a receipt taken out of focus. */
function blurred(canvas: Canvas, radius: number): Canvas {
  const { width, height, pixels } = canvas;
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const [sx, sy] = [x + dx, y + dy];
          if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
          sum += pixels[sy * width + sx]!;
          count++;
        }
      }
      out[y * width + x] = Math.round(sum / count);
    }
  }
  return { width, height, pixels: out };
}

/** A soft diagonal gradient: a photo of something, with no text to read. */
function photoCanvas(width: number, height: number): Canvas {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = 60 + Math.floor((150 * (x + y)) / (width + height));
  return { width, height, pixels };
}

/* ---- PNG (grayscale, 8 bits) ---- */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The receipt text as a PNG text chunk: tEXt when Latin-1 can hold it, else iTXt (UTF-8). */
function textChunk(text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u00ff]*$/.test(text)) return chunk('tEXt', Buffer.concat([Buffer.from('receipt\0', 'latin1'), Buffer.from(text, 'latin1')]));
  return chunk('iTXt', Buffer.concat([Buffer.from('receipt\0\0\0\0\0', 'latin1'), Buffer.from(text, 'utf8')]));
}

function png(canvas: Canvas, text?: string): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(canvas.width, 0);
  header.writeUInt32BE(canvas.height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale, deflate, adaptive filtering, no interlace
  const raw = Buffer.alloc((canvas.width + 1) * canvas.height);
  for (let y = 0; y < canvas.height; y++) raw.set(canvas.pixels.subarray(y * canvas.width, (y + 1) * canvas.width), y * (canvas.width + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(text !== undefined ? [textChunk(text)] : []),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/* ---- Baseline JPEG (grayscale), each 8x8 block one flat tone: only DC coefficients ---- */

// Huffman tables: DC luminance of ITU T.81 annex K (table K.3); AC with the end-of-block code only.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_BITS = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0x00];

/** Canonical Huffman codes (T.81 annex C) for the table's symbols. */
function huffmanCodes(bits: number[], values: number[]): Map<number, { code: number; length: number }> {
  const codes = new Map<number, { code: number; length: number }>();
  let code = 0;
  let k = 0;
  bits.forEach((count, i) => {
    for (let j = 0; j < count; j++) codes.set(values[k++]!, { code: code++, length: i + 1 });
    code <<= 1;
  });
  return codes;
}

class BitWriter {
  private bytes: number[] = [];
  private current = 0;
  private filled = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >> i) & 1);
      if (++this.filled === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00); // byte stuffing
    this.current = 0;
    this.filled = 0;
  }
  finish(): Buffer {
    while (this.filled !== 0) this.write(1, 1); // pad with ones
    return Buffer.from(this.bytes);
  }
}

function segment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

function jpeg(canvas: Canvas, comment?: string): Buffer {
  const { width, height, pixels } = canvas;
  const dc = huffmanCodes(DC_BITS, DC_VALUES);
  const eob = huffmanCodes(AC_BITS, AC_VALUES).get(0)!;
  const bits = new BitWriter();
  let previous = 0;
  for (let by = 0; by < Math.ceil(height / 8); by++) {
    for (let bx = 0; bx < Math.ceil(width / 8); bx++) {
      // A flat block of tone v has the DC coefficient 8 * (v - 128) (quantiser 1).
      const tone = pixels[Math.min(height - 1, by * 8) * width + Math.min(width - 1, bx * 8)]!;
      const value = 8 * (tone - 128);
      const diff = value - previous;
      previous = value;
      const size = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      const code = dc.get(size)!;
      bits.write(code.code, code.length);
      if (size > 0) bits.write(diff > 0 ? diff : diff + (1 << size) - 1, size);
      bits.write(eob.code, eob.length);
    }
  }
  const frame = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])), // JFIF 1.01
    ...(comment !== undefined ? [segment(0xfe, Buffer.from(comment, 'utf8'))] : []),
    segment(0xdb, Buffer.from([0, ...new Array<number>(64).fill(1)])), // quantiser 1 everywhere
    segment(0xc0, frame),
    segment(0xc4, Buffer.from([0x00, ...DC_BITS, ...DC_VALUES])),
    segment(0xc4, Buffer.from([0x10, ...AC_BITS, ...AC_VALUES])),
    segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    bits.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/* ---- Lossless WebP (VP8L) of one flat colour, with the receipt in an XMP chunk ---- */

class LsbBitWriter {
  private bytes: number[] = [];
  private bit = 0;
  write(value: number, length: number): void {
    for (let i = 0; i < length; i++) {
      if (this.bit % 8 === 0) this.bytes.push(0);
      this.bytes[this.bytes.length - 1]! |= ((value >> i) & 1) << this.bit % 8;
      this.bit++;
    }
  }
  finish(): Buffer {
    return Buffer.from(this.bytes);
  }
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
}

const escapeXml = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/**
 * Every pixel one ARGB colour: each of the five prefix codes is a "simple code" of one symbol,
 * which takes no bits per pixel, so the image data is the header alone (WebP lossless spec).
 */
function webp(width: number, height: number, rgb: [number, number, number], text?: string): Buffer {
  const bits = new LsbBitWriter();
  bits.write(0x2f, 8); // VP8L signature
  bits.write(width - 1, 14);
  bits.write(height - 1, 14);
  bits.write(0, 1); // no alpha
  bits.write(0, 3); // version 0
  bits.write(0, 1); // no transforms
  bits.write(0, 1); // no colour cache
  bits.write(0, 1); // one prefix code group
  const [r, g, b] = rgb;
  for (const symbol of [g, r, b, 255]) {
    bits.write(1, 1); // simple code
    bits.write(0, 1); // one symbol
    bits.write(1, 1); // an 8-bit symbol
    bits.write(symbol, 8);
  }
  bits.write(1, 1); // distance: simple code, one 1-bit symbol: 0
  bits.write(0, 1);
  bits.write(0, 1);
  bits.write(0, 1);
  const canvas = Buffer.alloc(10);
  canvas[0] = text !== undefined ? 0x04 : 0; // XMP metadata present
  canvas.writeUIntLE(width - 1, 4, 3);
  canvas.writeUIntLE(height - 1, 7, 3);
  const xmp =
    text !== undefined
      ? `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:fl="https://flowline.app/ns/receipt/1.0/"><fl:receipt>${escapeXml(text)}</fl:receipt></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`
      : undefined;
  const body = Buffer.concat([
    Buffer.from('WEBP', 'latin1'),
    riffChunk('VP8X', canvas),
    riffChunk('VP8L', bits.finish()),
    ...(xmp !== undefined ? [riffChunk('XMP ', Buffer.from(xmp, 'utf8'))] : []),
  ]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function main(): void {
  const text = (lines: string[]) => lines.join('\n');
  const files: Record<string, Buffer> = {
    'coffee-shop.png': png(printedCanvas(SAMPLE_RECEIPTS.coffeeShop, 30, 250), text(SAMPLE_RECEIPTS.coffeeShop)),
    'hardware-store.jpg': jpeg(receiptCanvas(SAMPLE_RECEIPTS.hardwareStore, 24, 240, 8), text(SAMPLE_RECEIPTS.hardwareStore)),
    // Low contrast and out of focus: a receipt photographed badly.
    'blurry.png': png(blurred(printedCanvas(SAMPLE_RECEIPTS.blurry.slice(1), 120, 215, 2), 2), text(SAMPLE_RECEIPTS.blurry)),
    // A plain cream card: the receipt is in the XMP chunk only.
    'bakery.webp': webp(240, 320, [246, 240, 226], text(SAMPLE_RECEIPTS.bakery)),
    'invoice.pdf': makePdf([SAMPLE_RECEIPTS.invoice]),
    'photo-no-text.png': png(photoCanvas(240, 180)),
  };
  for (const [name, bytes] of Object.entries(files)) {
    writeFileSync(path.join(OUT, name), bytes);
    console.log(`${name}: ${bytes.length} bytes`);
  }
}

if (require.main === module) main();
