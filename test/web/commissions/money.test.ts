import fc from 'fast-check';
import { exponentOf, formatTotals, hoursToSeconds, minorToMajor, parseMajor, secondsToHours, totalsByCurrency } from '../../../web/src/commissions/money';
import { toNewSale, type SaleDraft } from '../../../web/src/commissions/sale-input';
import { InputError } from '../../../web/src/use-submit';

describe('money typed in major units', () => {
  it('turns major-unit text into integer minor units by its digits', () => {
    expect(parseMajor('1234.56', 'USD')).toBe(123456);
    expect(parseMajor(' 1,234.56 ', 'USD')).toBe(123456);
    expect(parseMajor('10,000.00', 'USD')).toBe(1000000);
    expect(parseMajor('12', 'USD')).toBe(1200);
    expect(parseMajor('12.5', 'USD')).toBe(1250);
    expect(parseMajor('.5', 'USD')).toBe(50);
    expect(parseMajor('12.', 'USD')).toBe(1200);
    expect(parseMajor('0', 'USD')).toBe(0);
  });

  it('gets the amounts right that a float gets wrong', () => {
    // 0.29 * 100 = 28.999999999999996 and 1.005 * 100 = 100.49999999999999 in floating point.
    expect(parseMajor('0.29', 'USD')).toBe(29);
    expect(parseMajor('1.01', 'USD')).toBe(101);
    expect(parseMajor('4.35', 'USD')).toBe(435);
    expect(parseMajor('1.005', 'KWD')).toBe(1005);
  });

  it('uses the currency’s own number of decimals', () => {
    expect(exponentOf('USD')).toBe(2);
    expect(exponentOf('JPY')).toBe(0);
    expect(exponentOf('KWD')).toBe(3);
    expect(parseMajor('1234', 'JPY')).toBe(1234);
    expect(parseMajor('12.5', 'JPY')).toBeUndefined();
    expect(parseMajor('1.234', 'KWD')).toBe(1234);
    expect(parseMajor('1.2345', 'KWD')).toBeUndefined();
  });

  it.each(['', '   ', '-5', '-0.01', '12.345', '1e3', 'abc', '12,34', '1,23.00', '1,2345.00', '1.2.3', '$12', '12 USD', '0x10', 'Infinity', '.'])('refuses %j', (text) => {
    expect(parseMajor(text, 'USD')).toBeUndefined();
  });

  it('refuses amounts too large to travel as a JSON number', () => {
    expect(parseMajor('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseMajor('90071992547409.92', 'USD')).toBeUndefined();
  });

  it('shows minor units back as the text that parses to them', () => {
    expect(minorToMajor(123456, 'USD')).toBe('1234.56');
    expect(minorToMajor(5, 'USD')).toBe('0.05');
    expect(minorToMajor(1234, 'JPY')).toBe('1234');
    fc.assert(
      fc.property(fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (currency, minor) => {
        expect(parseMajor(minorToMajor(minor, currency), currency)).toBe(minor);
      }),
    );
  });

  it('adds amounts up per currency without losing a digit', () => {
    const totals = totalsByCurrency([
      { amountMinor: Number.MAX_SAFE_INTEGER, currency: 'USD' },
      { amountMinor: Number.MAX_SAFE_INTEGER, currency: 'USD' },
      { amountMinor: 2000, currency: 'EUR' },
    ]);
    expect(totals).toEqual([
      { currency: 'EUR', totalMinor: 2000n, count: 1 },
      { currency: 'USD', totalMinor: 18014398509481982n, count: 2 },
    ]);
    expect(formatTotals(totals)).toBe('20.00 EUR + 180143985094819.82 USD');
    expect(formatTotals([])).toBe('—');
  });

  it('converts reminder delays between hours and seconds', () => {
    expect(hoursToSeconds('24')).toBe(86400);
    expect(hoursToSeconds('1.5')).toBe(5400);
    expect(hoursToSeconds('0.01')).toBe(36);
    expect(hoursToSeconds('1.555')).toBeUndefined();
    expect(hoursToSeconds('-1')).toBeUndefined();
    expect(hoursToSeconds('')).toBeUndefined();
    expect(secondsToHours(86400)).toBe('24');
    expect(secondsToHours(5400)).toBe('1.5');
    expect(secondsToHours(900)).toBe('0.25');
  });
});

describe('a manual sale from the form', () => {
  const draft = (changes: Partial<SaleDraft> = {}): SaleDraft => ({
    amount: '1234.56',
    currency: 'usd',
    paidAt: '',
    teamMemberId: 'tm-ada',
    externalId: ' INV-9 ',
    productId: '',
    pipelineId: '',
    splits: [],
    ...changes,
  });

  const fieldsOf = (fn: () => unknown): Record<string, string> => {
    try {
      fn();
    } catch (e) {
      if (e instanceof InputError) return e.fields;
      throw e;
    }
    throw new Error('expected an InputError');
  };

  it('sends the amount in minor units and leaves out what is empty', () => {
    expect(toNewSale(draft())).toEqual({ amountMinor: 123456, currency: 'USD', teamMemberId: 'tm-ada', externalId: 'INV-9' });
  });

  it('names the amount and currency when they are not money', () => {
    const fields = fieldsOf(() => toNewSale(draft({ amount: '12.345', currency: 'dollars' })));
    expect(Object.keys(fields).sort()).toEqual(['amountMinor', 'currency']);
    expect(fieldsOf(() => toNewSale(draft({ amount: '' }))).amountMinor).toBe('Enter an amount.');
  });

  it('sends splits in basis points and wants their payout shares to make 100%', () => {
    const splits = [
      { key: 1, teamMemberId: 'tm-ada', credit: '100', payout: '60' },
      { key: 2, teamMemberId: 'tm-bob', credit: '50', payout: '40' },
    ];
    expect(toNewSale(draft({ splits })).splits).toEqual([
      { teamMemberId: 'tm-ada', creditBps: 10000, payoutBps: 6000 },
      { teamMemberId: 'tm-bob', creditBps: 5000, payoutBps: 4000 },
    ]);
    expect(fieldsOf(() => toNewSale(draft({ splits: [splits[0]!, { ...splits[1]!, payout: '30' }] }))).splits).toMatch(/100%/);
    expect(fieldsOf(() => toNewSale(draft({ splits: [splits[0]!, { ...splits[1]!, teamMemberId: 'tm-ada' }] })))['splits.1.teamMemberId']).toMatch(/already/);
    expect(fieldsOf(() => toNewSale(draft({ splits: [{ ...splits[0]!, payout: '12.345' }] })))['splits.0.payoutBps']).toBeDefined();
  });
});
