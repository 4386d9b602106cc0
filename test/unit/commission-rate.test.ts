import { bpsToPercent, percentToBps } from '../../web/src/commission-rate';

describe('commission rate: percent on screen, integer basis points on the wire', () => {
  it.each([
    ['12.5', 1250],
    ['12.50', 1250],
    ['12,5', 1250],
    ['0.29', 29],
    ['0.01', 1],
    ['7', 700],
    ['100', 10_000],
    [' 3.75 % ', 375],
    ['0', 0],
  ])('%j → %d', (text, bps) => {
    const result = percentToBps(text);
    expect(result).toBe(bps);
    expect(Number.isInteger(result)).toBe(true);
  });

  it('treats an empty field as no rate', () => {
    expect(percentToBps('')).toBeNull();
    expect(percentToBps('   ')).toBeNull();
  });

  it.each(['abc', '12.345', '-1', '100.01', '1e2', '1000', '.5'])('refuses %j', (text) => {
    expect(percentToBps(text)).toBeUndefined();
  });

  it.each([
    [1250, '12.5'],
    [29, '0.29'],
    [700, '7'],
    [10_000, '100'],
    [1, '0.01'],
    [0, '0'],
  ])('%d → %j and back', (bps, text) => {
    expect(bpsToPercent(bps)).toBe(text);
    expect(percentToBps(bpsToPercent(bps))).toBe(bps);
  });

  it('shows no rate as an empty field', () => {
    expect(bpsToPercent(null)).toBe('');
  });
});
