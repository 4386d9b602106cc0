import { MAX_DURATION_MS, parseDuration } from '../../../flows/duration';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1w', 604_800_000],
    ['500ms', 500],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    [' 10S ', 10_000],
    ['PT1H30M', 5_400_000],
    ['PT0.5S', 500],
    ['P1DT12H', 129_600_000],
    ['P2W', 1_209_600_000],
    ['pt15m', 900_000],
    ['2500', 2_500],
    [2_500, 2_500],
  ])('%j is %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each([
    ['', /expected a duration/],
    ['soon', /expected a duration/],
    ['5 minutes', /expected a duration/],
    ['-5m', /expected a duration/],
    ['P', /expected a duration/],
    ['PT', /expected a duration/],
    ['P1M', /months vary/],
    ['P1Y2D', /months vary/],
    ['0s', /longer than zero/],
    [0, /longer than zero/],
    [-1, /longer than zero/],
    [1.5, /whole number/],
    [Number.NaN, /whole number/],
    [MAX_DURATION_MS + 1, /at most/],
    ['3651d', /at most/],
    [null, /expected a duration/],
    [{ ms: 5 }, /expected a duration/],
  ])('%j is refused', (input, problem) => {
    expect(parseDuration(input)).toEqual({ ok: false, problem: expect.stringMatching(problem) });
  });
});
