import { clawback } from '../../../commissions';

const lines = [
  { teamMemberId: 'a', amountMinor: 6_000, currency: 'USD' },
  { teamMemberId: 'b', amountMinor: 4_001, currency: 'USD' },
];
const amounts = (result: ReturnType<typeof clawback>) => result.map((l) => [l.teamMemberId, l.amountMinor]);

describe('clawback', () => {
  it('cancels a full refund exactly', () => {
    expect(amounts(clawback(lines, 100_000, 100_000))).toEqual([
      ['a', -6_000],
      ['b', -4_001],
    ]);
  });

  it('claws back the refunded share, rounded half-even once and split exactly', () => {
    // 25% of 10,001 = 2,500.25 -> 2,500, shared 1,499.85 / 1,000.15: the leftover unit goes to the larger remainder.
    expect(amounts(clawback(lines, 25_000, 100_000))).toEqual([
      ['a', -1_500],
      ['b', -1_000],
    ]);
    // 50% of 10,001 = 5,000.5 -> 5,000 (even).
    const half = clawback(lines, 50_000, 100_000);
    expect(half.reduce((s, l) => s + l.amountMinor, 0)).toBe(-5_000);
  });

  it('never claws back more than the original, however the refunds add up', () => {
    const first = clawback(lines, 60_000, 100_000);
    const second = clawback(lines, 60_000, 100_000, { refundedMinor: 60_000, lines: first });
    const total = [...first, ...second].reduce((s, l) => s + l.amountMinor, 0);
    expect(total).toBe(-10_001);
    for (const id of ['a', 'b']) {
      const original = lines.find((l) => l.teamMemberId === id)!.amountMinor;
      const clawed = [...first, ...second].filter((l) => l.teamMemberId === id).reduce((s, l) => s + l.amountMinor, 0);
      expect(clawed).toBe(-original);
    }
    expect(amounts(clawback(lines, 5_000, 100_000, { refundedMinor: 100_000, lines: [...first, ...second] }))).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('follows several refunds line by line from what was recorded, not a recomputation', () => {
    // Found by the property test: recomputing the earlier split of 90 + 99 of 266 as one split
    // would take a unit too many from "a" at the end.
    const original = [
      { teamMemberId: 'a', amountMinor: 2_323_314, currency: 'USD' },
      { teamMemberId: 'b', amountMinor: 12, currency: 'USD' },
      { teamMemberId: 'c', amountMinor: 0, currency: 'USD' },
    ];
    const recorded: { teamMemberId: string; amountMinor: number }[] = [];
    let refunded = 0;
    for (const refund of [90, 99, 77]) {
      recorded.push(...clawback(original, refund, 266, { refundedMinor: refunded, lines: recorded }));
      refunded += refund;
    }
    const per = (id: string) => recorded.filter((l) => l.teamMemberId === id).reduce((s, l) => s + l.amountMinor, 0);
    expect([per('a'), per('b'), per('c')]).toEqual([-2_323_314, -12, 0]);
  });

  it('traces the refund on every line', () => {
    const [a] = clawback(lines, 25_000, 100_000);
    expect(a!.trace).toEqual([{ rule: 'clawback', base: 6_000, amountMinor: -1_500, note: 'refund of 250.00 USD (250.00 USD of 1000.00 USD refunded so far): -15.00 USD of 60.00 USD' }]);
  });

  it('returns nothing to claw back for a zero sale', () => {
    expect(clawback(lines, 0, 0)).toEqual([]);
  });

  it.each([
    ['a negative refund', () => clawback(lines, -1, 100)],
    ['mixed currencies', () => clawback([...lines, { teamMemberId: 'c', amountMinor: 1, currency: 'EUR' }], 1, 100)],
    ['a member twice', () => clawback([lines[0]!, lines[0]!], 1, 100)],
    ['earlier clawbacks beyond the original', () => clawback(lines, 1, 100, { refundedMinor: 50, lines: [{ teamMemberId: 'b', amountMinor: -4_002 }] })],
    ['an earlier clawback for a stranger', () => clawback(lines, 1, 100, { refundedMinor: 50, lines: [{ teamMemberId: 'z', amountMinor: -1 }] })],
    ['a negative original line', () => clawback([{ teamMemberId: 'a', amountMinor: -5, currency: 'USD' }], 1, 100)],
  ])('refuses %s', (_name, run) => {
    expect(run).toThrow(RangeError);
  });
});
