import fc from 'fast-check';
import { chunkDocument, CHUNK_DEFAULTS, type Chunk, type ChunkOptions, type ChunkSourceKind, pageMarker } from '../../../bots/knowledge/chunk';

const word = fc.oneof(
  fc.stringMatching(/^[a-zA-Z]{1,12}$/),
  fc.constantFrom('€120', 'naïve', '📸', 'Q:', 'A:', '#', '---', '```', 'x'.repeat(300)),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const sentence = fc.array(word, { minLength: 1, maxLength: 40 }).map((ws) => `${ws.join(' ')}.`);
const line = fc.oneof(
  sentence,
  fc.tuple(fc.integer({ min: 1, max: 6 }), sentence).map(([n, s]) => `${'#'.repeat(n)} ${s}`),
  sentence.map((s) => `Q: ${s}?`),
  sentence.map((s) => `A: ${s}`),
  fc.constantFrom('', '   ', '```', '\t', '\r'),
  fc.integer({ min: 1, max: 50 }).map(pageMarker),
  fc.array(sentence, { maxLength: 30 }).map((ss) => ss.join(' ')),
);
const document = fc.array(line, { maxLength: 40 }).map((ls) => ls.join('\n'));
const kind = fc.constantFrom<ChunkSourceKind>('text', 'markdown', 'faq', 'pdf');
const options: fc.Arbitrary<ChunkOptions> = fc.oneof(
  fc.constant({}),
  fc.integer({ min: 2, max: 300 }).chain((targetChars) =>
    fc.record({
      targetChars: fc.constant(targetChars),
      maxChars: fc.integer({ min: targetChars, max: targetChars * 2 }),
      overlapChars: fc.integer({ min: 0, max: Math.max(0, Math.ceil(targetChars / 2) - 1) }),
    }),
  ),
);

const maxOf = (o: ChunkOptions) => o.maxChars ?? CHUNK_DEFAULTS.maxChars;

describe('chunkDocument', () => {
  it('keeps every non-blank character of the source in some chunk, in order, as an exact span', () => {
    fc.assert(
      fc.property(document, kind, options, (text, k, o) => {
        const chunks = chunkDocument(text, k, o);
        const covered = new Uint8Array(text.length);
        let previous: Chunk | undefined;
        for (const c of chunks) {
          expect(c.content).toBe(text.slice(c.start, c.end));
          expect(c.content.trim()).not.toBe('');
          if (previous) {
            expect(c.start).toBeGreaterThan(previous.start);
            expect(c.end).toBeGreaterThan(previous.end);
          }
          covered.fill(1, c.start, c.end);
          previous = c;
        }
        const missed = Array.from(covered).findIndex((_, i) => covered[i] === 0 && !/\s/.test(text[i]!));
        expect(missed).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it('makes no chunk that lies inside the one before it (two page markers in a row, then a long word)', () => {
    const text = `\f[Page 1]\n\f[Page 1]\n   \nQ: ${'x'.repeat(300)}.?`;
    const chunks = chunkDocument(text, 'text', { targetChars: 22, maxChars: 22, overlapChars: 9 });
    chunks.slice(1).forEach((c, i) => expect([c.start > chunks[i]!.start, c.end > chunks[i]!.end]).toEqual([true, true]));
    expect(chunks.map((c) => c.content).join('')).toContain('Q: x');
  });

  it('never makes a chunk longer than the hard maximum', () => {
    fc.assert(
      fc.property(document, kind, options, (text, k, o) => {
        for (const c of chunkDocument(text, k, o)) expect(c.content.length).toBeLessThanOrEqual(maxOf(o));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and numbers chunks from 0', () => {
    fc.assert(
      fc.property(document, kind, options, (text, k, o) => {
        const first = chunkDocument(text, k, o);
        expect(chunkDocument(text, k, o)).toEqual(first);
        expect(first.map((c) => c.position)).toEqual(first.map((_, i) => i));
      }),
    );
  });

  it('never cuts a surrogate pair in two', () => {
    const text = '📸'.repeat(2000);
    for (const c of chunkDocument(text, 'text')) expect(c.content).toMatch(/^(📸)+$/u);
  });

  it('keeps the heading path with each markdown section, and folds a bare heading into the next', () => {
    const text = '# Studio\n\n## Prices\n\nFull day: €2,400.\n\n### Albums\n\nLay-flat albums from €450.\n\n## Travel\nFree within 50 km.';
    const chunks = chunkDocument(text, 'markdown');
    expect(chunks.map((c) => [c.heading, c.content])).toEqual([
      ['Studio > Prices', '# Studio\n\n## Prices\n\nFull day: €2,400.'],
      ['Studio > Prices > Albums', '### Albums\n\nLay-flat albums from €450.'],
      ['Studio > Travel', '## Travel\nFree within 50 km.'],
    ]);
  });

  it("heads a PDF's chunks with their page, every piece of a long page too, and nothing before the first page", () => {
    const long = Array.from({ length: 40 }, (_, i) => `Sentence ${i} about the studio's opening hours.`).join(' ');
    const text = `Cover text\n${pageMarker(1)}\nWelcome.\n# Not a heading\n\n${pageMarker(3)}\n${long}`;
    const chunks = chunkDocument(text, 'pdf');
    expect(chunks.slice(0, 2).map((c) => [c.heading, c.content])).toEqual([
      [null, 'Cover text'],
      ['Page 1', '[Page 1]\nWelcome.\n# Not a heading'],
    ]);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.slice(2).every((c) => c.heading === 'Page 3')).toBe(true);
    // A marker is a line of its own: the same words inside a line are text.
    expect(chunkDocument(`See ${pageMarker(2)} below`, 'pdf').map((c) => c.heading)).toEqual([null]);
  });

  it('ignores headings inside fenced code', () => {
    const chunks = chunkDocument('## Setup\n```\n# not a heading\n```\nDone.', 'markdown');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.heading).toBe('Setup');
  });

  it('makes one chunk per FAQ question with its answer, in Q:/A: and ### forms', () => {
    const text = [
      '# FAQ',
      'Q: Do you travel?',
      'A: Yes, anywhere in Europe.',
      '',
      'Q: How much is the deposit?',
      'A: 30% of the package.',
      'It is due when you sign.',
      '### Can we change the date?',
      'Once, free of charge.',
    ].join('\n');
    const chunks = chunkDocument(text, 'faq');
    expect(chunks.map((c) => c.heading)).toEqual(['FAQ > Do you travel?', 'FAQ > How much is the deposit?', 'FAQ > Can we change the date?']);
    expect(chunks[1]!.content).toBe('Q: How much is the deposit?\nA: 30% of the package.\nIt is due when you sign.');
    // In a plain markdown document the Q: lines are just text.
    expect(chunkDocument(text, 'markdown').map((c) => c.heading)).toEqual(['FAQ', 'FAQ > Can we change the date?']);
  });

  it('cuts a long section at paragraph breaks near the target size, with a little overlap', () => {
    const paragraph = (n: number) => `Paragraph ${n} ${'word '.repeat(60).trim()}.`;
    const text = `## Long\n\n${Array.from({ length: 10 }, (_, i) => paragraph(i)).join('\n\n')}`;
    const chunks = chunkDocument(text, 'markdown');
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.heading).toBe('Long');
      expect(c.content.length).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxChars);
    }
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
  });

  it('gives plain text one heading-less section', () => {
    expect(chunkDocument('# not special\nhello', 'text')).toEqual([{ position: 0, heading: null, content: '# not special\nhello', start: 0, end: 19 }]);
    expect(chunkDocument('  \n\t', 'text')).toEqual([]);
  });

  it('refuses options that cannot make progress', () => {
    expect(() => chunkDocument('x', 'text', { targetChars: 100, maxChars: 50 })).toThrow(RangeError);
    expect(() => chunkDocument('x', 'text', { targetChars: 100, overlapChars: 60 })).toThrow(RangeError);
  });
});
