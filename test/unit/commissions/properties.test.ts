import fc from 'fast-check';
import { calculate, clawback, roundHalfEven, type Rule } from '../../../commissions';
import { planWith, usd } from './helpers';

const amount = fc.integer({ min: 0, max: 1_000_000_000_00 });
const bps = fc.integer({ min: 0, max: 10_000 });

/** Tiers starting at 0 with increasing starts and non-decreasing rates. */
const tiers = fc
  .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 10_000_000 }), { maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 6, maxLength: 6 }))
  .map(([starts, steps]) => {
    const froms = [0, ...[...starts].sort((a, b) => a - b)];
    let rate = 0;
    return froms.map((fromMinor, i) => {
      rate = Math.min(10_000, rate + steps[i]!);
      return { fromMinor, rateBps: rate };
    });
  });

const rule: fc.Arbitrary<Rule> = fc.oneof(
  bps.map((rateBps) => ({ kind: 'percentage' as const, id: 'pct', rateBps })),
  fc.integer({ min: 0, max: 1_000_000 }).map((amountMinor) => ({ kind: 'flat' as const, id: 'flat', amountMinor })),
  fc.tuple(fc.constantFrom('marginal' as const, 'retroactive' as const), tiers).map(([mode, t]) => ({ kind: 'tiered' as const, id: 'tiers', mode, tiers: t })),
);

/** 1-6 distinct members with payout shares that add up to exactly 100% (cut points on 0..10,000). */
const splits = fc
  .uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 1, maxLength: 6 })
  .chain((ids) =>
    fc.tuple(fc.constant(ids), fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: ids.length - 1, maxLength: ids.length - 1 }), fc.array(bps, { minLength: ids.length, maxLength: ids.length })),
  )
  .map(([ids, cuts, credits]) => {
    const points = [0, ...[...cuts].sort((a, b) => a - b), 10_000];
    return ids.map((teamMemberId, i) => ({ teamMemberId, payoutBps: points[i + 1]! - points[i]!, creditBps: credits[i]! }));
  });

const caps = fc.record({ perDealMinor: fc.option(amount, { nil: undefined }), perPeriodMinor: fc.option(amount, { nil: undefined }) }, { requiredKeys: [] });
const period = fc.record({ volumeBeforeMinor: amount, commissionToDateMinor: amount });

describe('commission properties', () => {
  it('split amounts add up exactly to the whole, each within one unit of its exact share', () => {
    fc.assert(
      fc.property(amount, fc.array(rule, { minLength: 1, maxLength: 3 }), splits, period, (sale, rules, split, p) => {
        const result = calculate({ sale: usd(sale), teamMemberId: 'rep', plan: planWith(rules), splits: split, period: p });
        const total = result.totalMinor!;
        expect(result.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(total);
        for (const line of result.lines) {
          const exact = (total * line.payoutBps) / 10_000;
          expect(Math.abs(line.amountMinor - exact)).toBeLessThan(1);
        }
      }),
    );
  });

  it('retroactive tiers pay at least what marginal tiers pay for the same tiers and volume', () => {
    fc.assert(
      fc.property(tiers, amount, amount, (t, sale, before) => {
        const pay = (mode: 'marginal' | 'retroactive') =>
          calculate({ sale: usd(sale), teamMemberId: 'rep', plan: planWith([{ kind: 'tiered', id: 't', mode, tiers: t }]), period: { volumeBeforeMinor: before } }).totalMinor!;
        expect(pay('retroactive')).toBeGreaterThanOrEqual(pay('marginal'));
      }),
    );
  });

  it('never pays a negative amount (only a clawback is negative)', () => {
    fc.assert(
      fc.property(
        amount,
        fc.array(rule, { maxLength: 3 }),
        fc.array(rule, { maxLength: 2 }),
        caps,
        fc.option(splits, { nil: undefined }),
        period,
        fc.option(bps, { nil: undefined }),
        (sale, rules, overrideRules, c, split, p, memberRate) => {
          const plan = planWith(rules, { caps: c, overrides: [{ id: 'o', productIds: ['x'], rules: overrideRules }] });
          for (const productId of ['x', 'y']) {
            const result = calculate({
              sale: { ...usd(sale), productId },
              teamMemberId: 'rep',
              plan,
              splits: split,
              period: p,
              memberDefault: memberRate === undefined ? null : { type: 'percentage', rateBps: memberRate },
            });
            for (const line of result.lines) {
              expect(line.amountMinor).toBeGreaterThanOrEqual(0);
              expect(line.creditedMinor).toBeGreaterThanOrEqual(0);
            }
            const claws = clawback(result.lines, sale, sale);
            for (const line of claws) expect(line.amountMinor).toBeLessThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('the same input always gives the same lines, whatever the order of the split', () => {
    fc.assert(
      fc.property(amount, rule, splits, (sale, r, split) => {
        const run = (s: typeof split) => calculate({ sale: usd(sale), teamMemberId: 'rep', plan: planWith([r]), splits: s });
        expect(run([...split].reverse())).toEqual(run(split));
      }),
    );
  });

  const originalLines = fc
    .uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 1, maxLength: 6 })
    .chain((ids) => fc.tuple(fc.constant(ids), fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: ids.length, maxLength: ids.length })))
    .map(([ids, amounts]) => ids.map((teamMemberId, i) => ({ teamMemberId, amountMinor: amounts[i]!, currency: 'USD' })));

  it('a full refund claws back exactly the original lines', () => {
    fc.assert(
      fc.property(originalLines, fc.integer({ min: 1, max: 1_000_000_000 }), (lines, sale) => {
        const claws = clawback(lines, sale, sale);
        expect(claws.map((l) => l.amountMinor)).toEqual(lines.map((l) => -l.amountMinor || 0));
      }),
    );
  });

  it('partial refunds never claw back more than a line earned, and cancel it exactly once the whole sale is refunded', () => {
    fc.assert(
      fc.property(originalLines, fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 6 }), (lines, sale, refunds) => {
        const clawed = new Map(lines.map((l) => [l.teamMemberId, 0]));
        const recorded: { teamMemberId: string; amountMinor: number }[] = [];
        let refunded = 0;
        for (const refund of [...refunds, sale]) {
          for (const line of clawback(lines, refund, sale, { refundedMinor: refunded, lines: recorded })) {
            expect(line.amountMinor).toBeLessThanOrEqual(0);
            clawed.set(line.teamMemberId, clawed.get(line.teamMemberId)! + line.amountMinor);
            recorded.push(line);
          }
          refunded += refund;
          for (const line of lines) expect(-clawed.get(line.teamMemberId)!).toBeLessThanOrEqual(line.amountMinor);
        }
        for (const line of lines) expect(clawed.get(line.teamMemberId)! + line.amountMinor).toBe(0);
      }),
    );
  });

  it('rounds half-even: within half a unit, and an exact half goes to the even neighbour', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const r = roundHalfEven(n, d);
        const twiceError = 2n * (n - r * d); // 2 x (exact - rounded) x d
        expect(twiceError <= d && twiceError >= -d).toBe(true);
        if (twiceError === d || twiceError === -d) expect(r % 2n).toBe(0n);
      }),
    );
  });

  it('rounds every ...5 boundary to the even neighbour', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), (k) => {
        const r = roundHalfEven(k * 10n + 5n, 10n); // k.5
        expect(r % 2n).toBe(0n);
        expect(r === k || r === k + 1n).toBe(true);
      }),
    );
  });
});
