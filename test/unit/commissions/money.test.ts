import { allocate, bpsText, formatMinor, roundHalfEven } from '../../../commissions';

describe('roundHalfEven: to the minor unit, ties to the even neighbour', () => {
  it.each([
    // numerator, denominator, expected
    [5n, 10n, 0n], // 0.5 -> 0
    [15n, 10n, 2n], // 1.5 -> 2
    [25n, 10n, 2n], // 2.5 -> 2
    [35n, 10n, 4n], // 3.5 -> 4
    [-5n, 10n, 0n], // -0.5 -> 0
    [-15n, 10n, -2n], // -1.5 -> -2
    [-25n, 10n, -2n], // -2.5 -> -2
    [14n, 10n, 1n], // 1.4 -> 1
    [16n, 10n, 2n], // 1.6 -> 2
    [-14n, 10n, -1n],
    [-16n, 10n, -2n],
    [2_500_001n, 1_000_000n, 3n], // just above a tie rounds up
    [2_499_999n, 1_000_000n, 2n], // just below a tie rounds down
    [12_345n * 250n, 10_000n, 309n], // 2.5% of 123.45 = 308.625 cents -> 309 (not a tie)
    [1_005n * 5_000n, 10_000n, 502n], // 50% of 10.05 = 5.025 -> 5.02 (even)
    [1_015n * 5_000n, 10_000n, 508n], // 50% of 10.15 = 5.075 -> 5.08 (even)
    [0n, 7n, 0n],
  ])('%s / %s = %s', (n, d, expected) => {
    expect(roundHalfEven(n, d)).toBe(expected);
  });

  it('refuses a zero or negative denominator', () => {
    expect(() => roundHalfEven(1n, 0n)).toThrow(RangeError);
    expect(() => roundHalfEven(1n, -2n)).toThrow(RangeError);
  });
});

describe('allocate: exact parts by largest remainder', () => {
  it('splits 100 in three equal shares, the extra unit to the first id', () => {
    const parts = allocate(100n, [
      { key: 'c', weight: 1n },
      { key: 'a', weight: 1n },
      { key: 'b', weight: 1n },
    ]);
    expect(Object.fromEntries(parts)).toEqual({ a: 34n, b: 33n, c: 33n });
  });

  it('gives leftover units to the largest remainders first', () => {
    // 10 x 0.15/0.35/0.5 = 1.5/3.5/5: one unit left, remainders tie at .5 -> the lower id, "x".
    const parts = allocate(10n, [
      { key: 'y', weight: 3_500n },
      { key: 'x', weight: 1_500n },
      { key: 'z', weight: 5_000n },
    ]);
    expect(Object.fromEntries(parts)).toEqual({ x: 2n, y: 3n, z: 5n });
    // 7 x 0.6/0.4 = 4.2/2.8: the unit goes to the larger remainder (.8).
    expect(Object.fromEntries(allocate(7n, [{ key: 'a', weight: 6n }, { key: 'b', weight: 4n }]))).toEqual({ a: 4n, b: 3n });
  });

  it('gives nothing to a zero weight and everything zero when all weights are zero', () => {
    expect(Object.fromEntries(allocate(5n, [{ key: 'a', weight: 0n }, { key: 'b', weight: 3n }]))).toEqual({ a: 0n, b: 5n });
    expect(Object.fromEntries(allocate(5n, [{ key: 'a', weight: 0n }]))).toEqual({ a: 0n });
  });

  it('refuses a negative total', () => {
    expect(() => allocate(-1n, [{ key: 'a', weight: 1n }])).toThrow(RangeError);
  });
});

describe('how amounts and rates read in traces', () => {
  it.each([
    [123_456, 'USD', '1234.56 USD'],
    [5, 'EUR', '0.05 EUR'],
    [-5, 'EUR', '-0.05 EUR'],
    [1_500, 'JPY', '1500 JPY'],
    [1_234, 'KWD', '1.234 KWD'],
  ])('%d %s -> %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency)).toBe(text);
  });

  it.each([
    [1250, '12.5%'],
    [500, '5%'],
    [1, '0.01%'],
    [10_000, '100%'],
    [0, '0%'],
  ])('%d bps -> %s', (bps, text) => {
    expect(bpsText(bps)).toBe(text);
  });
});
