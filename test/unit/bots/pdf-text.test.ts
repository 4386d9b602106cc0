import { joinPages, looksLikePdf } from '../../../activities/bots/pdf-text';
import { chunkDocument } from '../../../bots/knowledge/chunk';

describe('PDF text', () => {
  it('joins pages with markers, leaving out pages without text, so chunks name their page', () => {
    const text = joinPages(['  Cover\f page ', '', '\n', 'Parking behind the studio.\u0000']);
    expect(text).toBe('\f[Page 1]\nCover  page\n\n\f[Page 4]\nParking behind the studio.');
    expect(chunkDocument(text, 'pdf').map((c) => [c.heading, c.content])).toEqual([
      ['Page 1', '[Page 1]\nCover  page'],
      ['Page 4', '[Page 4]\nParking behind the studio.'],
    ]);
    expect(joinPages(['', ' \n '])).toBe('');
  });

  it('knows a PDF by its header, within the first 1024 bytes as readers allow', () => {
    expect(looksLikePdf(Buffer.from('%PDF-1.7\n...'))).toBe(true);
    expect(looksLikePdf(Buffer.concat([Buffer.alloc(100, 0x20), Buffer.from('%PDF-1.4')]))).toBe(true);
    expect(looksLikePdf(Buffer.concat([Buffer.alloc(1024, 0x20), Buffer.from('%PDF-1.4')]))).toBe(false);
    expect(looksLikePdf(Buffer.from('PK\u0003\u0004'))).toBe(false);
    expect(looksLikePdf(new Uint8Array(0))).toBe(false);
  });
});
