/*
 * Cutting a knowledge document into chunks that retrieval ranks one by one. Pure: no I/O, no
 * clock; the same text always gives the same chunks.
 *
 * A chunk is a span of the source (`content === text.slice(start, end)`), so nothing is ever
 * rewritten nor lost: every non-blank character of the source lies in some chunk, in order.
 * - markdown: one section per heading, each chunk carrying its heading path ("Prices > Albums");
 *   a heading with nothing under it joins the section that follows it.
 * - faq: as markdown, and every `Q:` line starts a section of its own (the question is its
 *   heading, the `A:` lines that follow are its body): one chunk per question and answer.
 * - text: one section without a heading.
 * - pdf: one section per page (the page markers of the extracted text), headed "Page N", so a
 *   chunk says which page it quotes.
 * A section longer than the hard maximum is cut at the best break before the target size
 * (paragraph, line, sentence, word, in that order), each piece overlapping the previous one a
 * little so a sentence cut in two is still found whole in one of them.
 */

export type ChunkSourceKind = 'text' | 'markdown' | 'faq' | 'pdf';

/**
 * The line that starts page N of a PDF's extracted text. The form feed keeps it apart from the
 * page's own words (extraction turns form feeds in a page into spaces).
 */
export const pageMarker = (page: number) => `\f[Page ${page}]`;
const PAGE_MARKER = /^\f\[Page (\d+)\]$/;

export interface Chunk {
  position: number;
  /** The heading path above this chunk ("A > B"), or null when there is none. */
  heading: string | null;
  content: string;
  /** The chunk's span in the source text: content === text.slice(start, end). */
  start: number;
  end: number;
}

export interface ChunkOptions {
  /** Pieces of a long section aim for this many characters. */
  targetChars?: number;
  /** No chunk is longer. */
  maxChars?: number;
  /** How far a piece reaches back into the previous one. */
  overlapChars?: number;
}

export const CHUNK_DEFAULTS = { targetChars: 800, maxChars: 1200, overlapChars: 120 } as const;

interface Section {
  start: number;
  end: number;
  heading: string | null;
  /** Whether the section holds only its heading line (then it joins the next one). */
  bare: boolean;
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const FENCE = /^ {0,3}(```|~~~)/;
const QUESTION = /^\s*(?:\*\*)?(?:Q|Question)\s*[:.](?:\*\*)?\s*(.*?)(?:\*\*)?\s*$/i;

export function chunkDocument(text: string, kind: ChunkSourceKind, options: ChunkOptions = {}): Chunk[] {
  const opts = { ...CHUNK_DEFAULTS, ...options };
  if (!(opts.targetChars >= 2 && opts.maxChars >= opts.targetChars && opts.overlapChars >= 0 && opts.overlapChars < opts.targetChars / 2)) {
    throw new RangeError('chunk options: need 2 <= target <= max and 0 <= overlap < target / 2');
  }
  const sections =
    kind === 'text' ? [{ start: 0, end: text.length, heading: null, bare: false }] : kind === 'pdf' ? pageSections(text) : splitSections(text, kind === 'faq');
  const chunks: Chunk[] = [];
  for (const section of joinBareHeadings(sections)) {
    for (const [rawStart, rawEnd] of splitSpan(text, section.start, section.end, opts)) {
      const [start, end] = trimSpan(text, rawStart, rawEnd);
      // Blank, or (once trimmed) inside the chunk before it: nothing new to find there.
      if (start >= end || end <= (chunks.at(-1)?.end ?? -1)) continue;
      chunks.push({ position: chunks.length, heading: section.heading, content: text.slice(start, end), start, end });
    }
  }
  return chunks;
}

/** Contiguous sections covering the whole text, one per heading (and per question in an FAQ). */
function splitSections(text: string, faq: boolean): Section[] {
  const sections: Section[] = [];
  const path: Array<{ level: number; title: string }> = [];
  let current: Section = { start: 0, end: text.length, heading: null, bare: false };
  let currentHasBody = false;
  let inFence = false;
  const open = (at: number, heading: string | null) => {
    current.end = at;
    current.bare = !currentHasBody;
    if (at > current.start) sections.push(current);
    current = { start: at, end: text.length, heading, bare: false };
    currentHasBody = false;
  };

  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(lineStart, lineEnd).replace(/\r?\n$/, '');
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    const question = inFence || !faq ? null : QUESTION.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
      path.push({ level, title: heading[2]!.trim() });
      open(lineStart, headingPath(path.map((p) => p.title)));
    } else if (question && question[1]) {
      const enclosing = path.map((p) => p.title);
      open(lineStart, headingPath([...enclosing, question[1].trim()]));
      // The question alone is already worth a chunk (an answer may follow on the same line).
      currentHasBody = true;
    } else if (line.trim() !== '') {
      currentHasBody = true;
    }
    lineStart = lineEnd;
  }
  current.bare = !currentHasBody;
  if (current.end > current.start || sections.length === 0) sections.push(current);
  return sections;
}

/** Contiguous sections covering the whole text, one per page marker (text before the first has no heading). */
function pageSections(text: string): Section[] {
  const sections: Section[] = [];
  let current: Section = { start: 0, end: text.length, heading: null, bare: false };
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const marker = PAGE_MARKER.exec(text.slice(lineStart, lineEnd).replace(/\r?\n$/, ''));
    if (marker) {
      current.end = lineStart;
      if (lineStart > current.start) sections.push(current);
      current = { start: lineStart, end: text.length, heading: `Page ${marker[1]}`, bare: false };
    }
    lineStart = lineEnd;
  }
  sections.push(current);
  return sections;
}

function headingPath(titles: string[]): string | null {
  const parts = titles.filter((t) => t !== '');
  return parts.length === 0 ? null : parts.join(' > ');
}

/** A section holding only a heading joins the one after it (which has the deeper path). */
function joinBareHeadings(sections: Section[]): Section[] {
  const out: Section[] = [];
  let pendingStart: number | null = null;
  sections.forEach((section, i) => {
    const start = pendingStart ?? section.start;
    if (section.bare && section.heading !== null && i < sections.length - 1) {
      pendingStart = start;
      return;
    }
    pendingStart = null;
    out.push({ ...section, start });
  });
  return out;
}

/** Pieces of [start, end) no longer than maxChars, cut at good breaks, overlapping a little. */
function splitSpan(text: string, start: number, end: number, opts: Required<ChunkOptions>): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let cur = start;
  // Measure what the trimmed piece would hold: leading blank lines do not count.
  while (trimSpan(text, cur, end)[1] - trimSpan(text, cur, end)[0] > opts.maxChars) {
    cur = trimSpan(text, cur, end)[0];
    const cut = bestBreak(text, cur, Math.min(end, cur + opts.targetChars), opts.targetChars);
    pieces.push([cur, cut]);
    let next = overlapStart(text, cut, opts.overlapChars);
    if (next <= cur) next = cut;
    cur = next;
  }
  pieces.push([cur, end]);
  return pieces;
}

const BREAKS: RegExp[] = [/\n[ \t]*\n/g, /\n/g, /[.!?]["')\]]?[ \t]+/g, /[ \t]+/g];

/** The latest good break in (from + target/2, limit]: a paragraph, else a line, sentence, word; else a hard cut. */
function bestBreak(text: string, from: number, limit: number, target: number): number {
  const window = text.slice(from, limit);
  const minimum = Math.floor(target / 2);
  for (const pattern of BREAKS) {
    let best = -1;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(window); m !== null; m = pattern.exec(window)) {
      const after = m.index + m[0].length;
      if (after > minimum && after <= window.length) best = after;
      if (m[0].length === 0) pattern.lastIndex++;
    }
    if (best > 0) return from + best;
  }
  return safeCut(text, limit);
}

/** Never cut a UTF-16 surrogate pair in two. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** Where the next piece starts: up to `overlap` characters back, at the start of a word. */
function overlapStart(text: string, cut: number, overlap: number): number {
  if (overlap === 0) return cut;
  const from = cut - overlap;
  for (let i = from; i < cut; i++) {
    if (/\s/.test(text[i - 1] ?? ' ') && !/\s/.test(text[i]!)) return i;
  }
  return cut;
}

function trimSpan(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return [s, e];
}
