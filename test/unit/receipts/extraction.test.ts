import { extractedReceiptSchema, formatMinor, fromModelAnswer, modelAnswerSchema, reviewOf, RECEIPT_FIELDS, type Confidence, type ExtractedReceipt, type ModelAnswer } from '../../../receipts/extraction';

const sure = Object.fromEntries(RECEIPT_FIELDS.map((f) => [f, 0.95])) as Confidence;
const answer = (over: Partial<ModelAnswer> = {}): ModelAnswer => ({
  vendor: 'Shop',
  date: '2026-11-20',
  currency: 'USD',
  total: '13.50',
  tax: '1.00',
  lineItems: [{ description: 'Latte', quantity: 2, amount: '12.50' }],
  paymentMethod: 'Visa',
  referenceNumber: 'R-1',
  confidence: { ...sure },
  ...over,
});
const receipt = (over: Partial<ExtractedReceipt> = {}): ExtractedReceipt => ({
  vendor: 'Shop',
  date: '2026-11-20',
  currency: 'USD',
  totalMinor: 1350,
  taxMinor: 100,
  lineItems: [{ description: 'Latte', quantity: 2, amountMinor: 1250 }],
  paymentMethod: 'Visa',
  referenceNumber: 'R-1',
  ...over,
});
const POLICY = { minConfidence: 0.8 };

describe('fromModelAnswer', () => {
  it('converts amounts to minor units in the currency', () => {
    const { extracted, problems } = fromModelAnswer(answer());
    expect(extracted).toEqual(receipt());
    expect(problems).toEqual([]);
  });

  it('reads a zero-decimal currency (JPY) and refuses decimals in it', () => {
    const yen = fromModelAnswer(answer({ currency: 'jpy', total: '1250', tax: '113.5', lineItems: [] }));
    expect(yen.extracted).toMatchObject({ currency: 'JPY', totalMinor: 1250, taxMinor: null });
    expect(yen.problems).toEqual([{ field: 'tax', message: '"113.5" is not an amount in JPY' }]);
    expect(yen.confidence.tax).toBe(0);
  });

  it('reads thousands separators and a leading symbol', () => {
    const { extracted } = fromModelAnswer(answer({ total: '1,250.00', tax: '$0.50', lineItems: [] }));
    expect(extracted).toMatchObject({ totalMinor: 125000, taxMinor: 50 });
  });

  it('drops a currency that is not a code, and the amounts it would have read', () => {
    const { extracted, problems, confidence } = fromModelAnswer(answer({ currency: 'dollars' }));
    expect(extracted).toMatchObject({ currency: null, totalMinor: null, taxMinor: null, lineItems: [] });
    expect(problems.map((p) => p.field)).toEqual(['currency', 'lineItems', 'total', 'tax']);
    expect(confidence).toMatchObject({ currency: 0, total: 0, tax: 0, lineItems: 0, vendor: 0.95 });
  });

  it('drops a date that is not YYYY-MM-DD or not in the calendar', () => {
    for (const date of ['20/11/2026', '2026-02-30']) {
      const { extracted, problems } = fromModelAnswer(answer({ date }));
      expect(extracted.date).toBeNull();
      expect(problems).toEqual([{ field: 'date', message: `"${date}" is not a date (YYYY-MM-DD)` }]);
    }
  });

  it('refuses a day the month does not have in stored receipts too', () => {
    expect(extractedReceiptSchema.safeParse(receipt({ date: '2026-02-30' })).success).toBe(false);
    expect(extractedReceiptSchema.safeParse(receipt({ date: '2028-02-29' })).success).toBe(true);
  });

  it('keeps blanks as null and never a negative amount', () => {
    const { extracted, problems } = fromModelAnswer(answer({ vendor: '  ', tax: '-1.00', referenceNumber: '' }));
    expect(extracted).toMatchObject({ vendor: null, taxMinor: null, referenceNumber: null });
    expect(problems).toEqual([{ field: 'tax', message: '"-1.00" is not an amount in USD' }]);
  });

  it('validates the model answer shape', () => {
    expect(modelAnswerSchema.safeParse(answer()).success).toBe(true);
    expect(modelAnswerSchema.safeParse({ ...answer(), confidence: { ...sure, total: 2 } }).success).toBe(false);
  });
});

describe('reviewOf', () => {
  it('lets a confident receipt whose items make the total through', () => {
    expect(reviewOf(receipt(), sure, POLICY)).toEqual({ needsReview: false, reasons: [], lowConfidence: [] });
  });

  it('flags low confidence fields', () => {
    const review = reviewOf(receipt(), { ...sure, date: 0.6, vendor: 0.4 }, POLICY);
    expect(review).toEqual({ needsReview: true, reasons: ['Low confidence in vendor, date'], lowConfidence: ['vendor', 'date'] });
  });

  it('accepts items that include the tax and items with the tax on top', () => {
    expect(reviewOf(receipt({ lineItems: [{ description: 'A', quantity: null, amountMinor: 1350 }] }), sure, POLICY).needsReview).toBe(false);
    expect(reviewOf(receipt({ lineItems: [{ description: 'A', quantity: null, amountMinor: 1250 }] }), sure, POLICY).needsReview).toBe(false);
  });

  it('flags items that make neither', () => {
    const review = reviewOf(receipt({ lineItems: [{ description: 'A', quantity: null, amountMinor: 1000 }] }), sure, POLICY);
    expect(review.reasons).toEqual(['The line items add up to 10.00 USD, not the total 13.50 USD (tax 1.00 USD)']);
  });

  it('writes amounts as people read them, in the currency\'s own minor unit', () => {
    expect(formatMinor(1234, 'USD')).toBe('12.34 USD');
    expect(formatMinor(5, 'EUR')).toBe('0.05 EUR');
    expect(formatMinor(1250, 'JPY')).toBe('1250 JPY');
    expect(formatMinor(1250, 'KWD')).toBe('1.250 KWD');
    expect(formatMinor(-150, 'USD')).toBe('-1.50 USD');
    expect(formatMinor(1000, null)).toBe('1000 (minor units)');
  });

  it('does not doubt an optional field the receipt does not have, but always judges the essential ones', () => {
    const noTaxNoRef = receipt({ taxMinor: null, referenceNumber: null, lineItems: [{ description: 'A', quantity: null, amountMinor: 1350 }] });
    expect(reviewOf(noTaxNoRef, { ...sure, tax: 0, referenceNumber: 0 }, POLICY)).toEqual({ needsReview: false, reasons: [], lowConfidence: [] });
    const noVendor = reviewOf(receipt({ vendor: null }), { ...sure, vendor: 0 }, POLICY);
    expect(noVendor.lowConfidence).toEqual(['vendor']);
  });

  it('flags a missing total and currency', () => {
    const review = reviewOf(receipt({ totalMinor: null, currency: null }), sure, POLICY);
    expect(review.reasons).toEqual(['No total was found', 'No currency was found']);
  });
});
