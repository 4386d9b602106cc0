import fc from 'fast-check';
import { addDays, currentPeriod, isPeriodStart, lastCompletePeriod, periodEndingBy } from '../../../commissions/periods';

describe('payout periods', () => {
  it('are calendar months, and weeks or fortnights from the anchor', () => {
    expect(lastCompletePeriod('monthly', '2026-01-05', '2026-03-01')).toEqual({ periodStart: '2026-02-01', periodEnd: '2026-02-28' });
    expect(lastCompletePeriod('monthly', '2026-01-05', '2026-01-15')).toEqual({ periodStart: '2025-12-01', periodEnd: '2025-12-31' });
    expect(currentPeriod('monthly', '2026-01-05', '2024-02-10')).toEqual({ periodStart: '2024-02-01', periodEnd: '2024-02-29' });
    // 2026-01-05 is a Monday.
    expect(lastCompletePeriod('weekly', '2026-01-05', '2026-01-14')).toEqual({ periodStart: '2026-01-05', periodEnd: '2026-01-11' });
    expect(currentPeriod('weekly', '2026-01-05', '2026-01-14')).toEqual({ periodStart: '2026-01-12', periodEnd: '2026-01-18' });
    expect(lastCompletePeriod('biweekly', '2026-01-05', '2026-01-19')).toEqual({ periodStart: '2026-01-05', periodEnd: '2026-01-18' });
    expect(currentPeriod('biweekly', '2026-01-05', '2025-12-31')).toEqual({ periodStart: '2025-12-22', periodEnd: '2026-01-04' });
    expect(periodEndingBy('monthly', '2026-01-05', '2026-02-28')).toEqual({ periodStart: '2026-02-01', periodEnd: '2026-02-28' });
    expect(isPeriodStart('biweekly', '2026-01-05', '2026-01-19')).toBe(true);
    expect(isPeriodStart('biweekly', '2026-01-05', '2026-01-12')).toBe(false);
    expect(() => lastCompletePeriod('weekly', '2026-01-05', '2026-02-30')).toThrow(/calendar date/);
  });

  it('tile the calendar: each period ends the day before the next starts, and contains its day', () => {
    const day = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('1990-01-01', n));
    fc.assert(
      fc.property(fc.constantFrom('weekly', 'biweekly', 'monthly' as const), day, day, (frequency, anchor, today) => {
        const current = currentPeriod(frequency, anchor, today);
        const last = lastCompletePeriod(frequency, anchor, today);
        expect(current.periodStart <= today && today <= current.periodEnd).toBe(true);
        expect(addDays(last.periodEnd, 1)).toBe(current.periodStart);
        expect(isPeriodStart(frequency, anchor, current.periodStart)).toBe(true);
        if (frequency !== 'monthly') expect(addDays(current.periodStart, frequency === 'weekly' ? 6 : 13)).toBe(current.periodEnd);
      }),
    );
  });
});
