import { checkLineItems, newLine, toDraft, toEdits } from '../../../web/src/receipts/review-draft';
import { receiptFileProblem, receiptTypeOf } from '../../../web/src/receipts/receipt-file';
import { InputError } from '../../../web/src/use-submit';
import { receipt } from './fixtures';

const fieldsOf = (fn: () => unknown): Record<string, string> => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.fields;
    throw e;
  }
  throw new Error('expected an InputError');
};

describe('the review draft', () => {
  it('shows minor units as the currency writes them and reads them back exactly', () => {
    const draft = toDraft(receipt('r1').extracted);
    expect(draft.total).toBe('42.50');
    expect(toEdits(draft)).toEqual(receipt('r1').extracted);
    // Amounts a float would get wrong (0.29 * 100 = 28.999...).
    expect(toEdits({ ...draft, total: '0.29', tax: '', lineItems: [] }).totalMinor).toBe(29);
    expect(toEdits({ ...draft, total: '1,234.56' }).totalMinor).toBe(123456);
    expect(toEdits({ ...draft, currency: 'jpy', total: '1250', tax: '', lineItems: [] })).toMatchObject({ currency: 'JPY', totalMinor: 1250 });
    expect(toEdits({ ...draft, currency: 'KWD', total: '1.250', tax: '', lineItems: [] }).totalMinor).toBe(1250);
  });

  it('names every field at fault, by the API’s paths', () => {
    const draft = toDraft(receipt('r1').extracted);
    expect(fieldsOf(() => toEdits({ ...draft, currency: 'JPY' }))).toEqual({
      'edits.totalMinor': expect.stringMatching(/no decimals/),
      'edits.taxMinor': expect.stringMatching(/no decimals/),
      'edits.lineItems.0.amountMinor': expect.stringMatching(/no decimals/),
      'edits.lineItems.1.amountMinor': expect.stringMatching(/no decimals/),
    });
    expect(fieldsOf(() => toEdits({ ...draft, currency: 'dollars' }))).toEqual({ 'edits.currency': expect.stringMatching(/three-letter/) });
    expect(fieldsOf(() => toEdits({ ...draft, total: '-5', lineItems: [newLine({ amount: '1', quantity: '0' })] }))).toEqual({
      'edits.totalMinor': expect.stringMatching(/no minus sign/),
      'edits.lineItems.0.description': 'Describe the item.',
      'edits.lineItems.0.quantity': expect.stringMatching(/above 0/),
    });
    // A sale needs its amount.
    expect(fieldsOf(() => toEdits({ ...draft, total: '' }, { forSale: true }))).toEqual({ 'edits.totalMinor': 'Enter an amount.' });
    expect(toEdits({ ...draft, total: '' }).totalMinor).toBeNull();
  });

  it('leaves out empty rows and keeps empty fields as null', () => {
    const edits = toEdits({ vendor: ' ', date: '', currency: '', total: '', tax: '', paymentMethod: '', referenceNumber: '', lineItems: [newLine()] });
    expect(edits).toEqual({ vendor: null, date: null, currency: null, totalMinor: null, taxMinor: null, lineItems: [], paymentMethod: null, referenceNumber: null });
  });

  it('adds the line items up exactly, with or without the tax on top', () => {
    const draft = toDraft(receipt('r1').extracted);
    expect(checkLineItems(draft)).toEqual({ sum: '39.00 USD', matches: true, total: '42.50 USD' });
    expect(checkLineItems({ ...draft, tax: '' })).toEqual({ sum: '39.00 USD', matches: false, total: '42.50 USD' });
    expect(checkLineItems({ ...draft, total: '39' })).toMatchObject({ matches: true });
    const tenths = { ...draft, total: '0.30', tax: '', lineItems: [newLine({ description: 'a', amount: '0.1' }), newLine({ description: 'b', amount: '0.2' })] };
    expect(checkLineItems(tenths)).toEqual({ sum: '0.30 USD', matches: true, total: '0.30 USD' });
    // Nothing to say while an amount is being typed or there is no currency.
    expect(checkLineItems({ ...draft, lineItems: [newLine({ amount: '1.' }), newLine({ amount: 'x' })] })).toBeUndefined();
    expect(checkLineItems({ ...draft, currency: '' })).toBeUndefined();
  });
});

describe('a receipt file', () => {
  it('is a photo or a PDF of at most 10 MB', () => {
    expect(receiptTypeOf({ name: 'r.jpg', type: 'image/jpeg' })).toBe('image/jpeg');
    expect(receiptTypeOf({ name: 'scan.PDF', type: '' })).toBe('application/pdf');
    expect(receiptFileProblem({ name: 'r.webp', type: 'image/webp', size: 10 * 1024 * 1024 })).toBeUndefined();
    expect(receiptFileProblem({ name: 'r.gif', type: 'image/gif', size: 10 })).toMatch(/JPEG, PNG or WebP photo, or a PDF/);
    expect(receiptFileProblem({ name: 'r.png', type: 'image/png', size: 10 * 1024 * 1024 + 1 })).toMatch(/at most 10.0 MB/);
    expect(receiptFileProblem({ name: 'r.png', type: 'image/png', size: 0 })).toMatch(/empty/);
  });
});
