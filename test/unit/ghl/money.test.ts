import fc from 'fast-check';
import { minorUnitDigits, toMinorUnits } from '../../../api/ghl/money';

const CURRENCIES = ['USD', 'EUR', 'JPY', 'KRW', 'KWD', 'BHD', 'CLF', 'GBP'];

/** Writes integer minor units as the major-unit decimal a sender would ("1250.50", "-0.05", "1250"). */
function asDecimal(minor: bigint, digits: number, grouped = false): string {
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  let whole = abs.slice(0, abs.length - digits);
  if (grouped) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

describe('toMinorUnits', () => {
  it.each([
    ['1,250.50', 'USD', 125050],
    [1250.5, 'USD', 125050],
    [1131, 'USD', 113100],
    ['1131', 'usd', 113100],
    [0.1, 'USD', 10],
    [0.29, 'USD', 29],
    [1.005, 'KWD', 1005],
    ['12.500', 'USD', 1250],
    ['1,250', 'JPY', 1250],
    [1250, 'JPY', 1250],
    ['-12.34', 'EUR', -1234],
    ['0', 'USD', 0],
    [-0, 'USD', 0],
    [1e21, 'USD', undefined],
    [1.5e-7, 'USD', undefined],
    ['1250.50', 'JPY', undefined],
    ['12.345', 'USD', undefined],
    ['1.250,50', 'EUR', undefined],
    ['1,25', 'USD', undefined],
    ['$12.00', 'USD', undefined],
    ['1e3', 'USD', undefined],
    ['', 'USD', undefined],
    ['.5', 'USD', undefined],
    [Number.NaN, 'USD', undefined],
    [Number.POSITIVE_INFINITY, 'USD', undefined],
    [12, 'US', undefined],
    [null, 'USD', undefined],
    ['99999999999999999999', 'USD', undefined],
  ])('%j %s → %j', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toBe(expected);
  });

  it('knows zero- and three-decimal currencies', () => {
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('kwd')).toBe(3);
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('dollars')).toBeUndefined();
  });

  // Every exact amount written as a decimal string comes back as the same integer.
  it('round-trips decimal strings exactly (plain and comma-grouped)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }), fc.constantFrom(...CURRENCIES), fc.boolean(), (minor, currency, grouped) => {
        const digits = minorUnitDigits(currency) ?? 2;
        const result = toMinorUnits(asDecimal(minor, digits, grouped), currency);
        expect(Number.isSafeInteger(result)).toBe(true);
        expect(result).toBe(Number(minor));
      }),
    );
  });

  // JSON numbers: the double a sender's "1250.5" parses to gives back exactly 125050.
  it('round-trips JSON numbers exactly up to 15 significant digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.constantFrom(...CURRENCIES), (minor, currency) => {
        const digits = minorUnitDigits(currency) ?? 2;
        const asJsonNumber = JSON.parse(asDecimal(minor, digits)) as number;
        expect(toMinorUnits(asJsonNumber, currency)).toBe(Number(minor));
      }),
    );
  });

  it('never returns anything but a safe integer or undefined', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.stringMatching(/^-?[\d,]{1,20}(\.\d{0,6})?$/)), fc.constantFrom(...CURRENCIES), (value, currency) => {
        const result = toMinorUnits(value, currency);
        if (result !== undefined) expect(Number.isSafeInteger(result)).toBe(true);
      }),
    );
  });

  it('refuses a non-zero digit beyond the currency precision instead of rounding', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom(...CURRENCIES), fc.integer({ min: 1, max: 9 }), (minor, currency, extra) => {
        const digits = minorUnitDigits(currency) ?? 2;
        const text = asDecimal(minor, digits);
        const withExtra = digits > 0 ? `${text}${extra}` : `${text}.${extra}`;
        expect(toMinorUnits(withExtra, currency)).toBeUndefined();
      }),
    );
  });
});
