import { calculate, type CalculateInput } from '../../../commissions';
import { flat, pct, planWith, tiered, usd } from './helpers';

const base = (extra: Partial<CalculateInput>): CalculateInput => ({ sale: usd(100_000), teamMemberId: 'rep-1', plan: null, ...extra });
const amounts = (input: CalculateInput) => calculate(input).lines.map((l) => [l.teamMemberId, l.amountMinor]);

describe('calculate: one rule kind at a time', () => {
  it.each<[string, CalculateInput, [string, number][]]>([
    ['percentage of the amount', base({ plan: planWith([pct('pct', 1000)]) }), [['rep-1', 10_000]]],
    ['percentage rounds half-even once (2.5% of 100.10 = 250.25 cents -> 250)', base({ sale: usd(10_010), plan: planWith([pct('pct', 250)]) }), [['rep-1', 250]]],
    ['percentage rounds half-even up to even (0.5% of 3.00 = 1.5 cents -> 2)', base({ sale: usd(300), plan: planWith([pct('pct', 50)]) }), [['rep-1', 2]]],
    ['flat per sale', base({ plan: planWith([flat('flat', 2_500)]) }), [['rep-1', 2_500]]],
    ['flat on a zero sale still pays the flat amount', base({ sale: usd(0), plan: planWith([flat('flat', 2_500)]) }), [['rep-1', 2_500]]],
    ['marginal tiers from an empty period', base({ sale: usd(200_000), plan: planWith([tiered('marginal')]) }), [['rep-1', 13_000]]],
    ['retroactive tiers from an empty period', base({ sale: usd(200_000), plan: planWith([tiered('retroactive')]) }), [['rep-1', 16_000]]],
    ['member default: percentage', base({ memberDefault: { type: 'percentage', rateBps: 1250 } }), [['rep-1', 12_500]]],
    ['member default: flat', base({ memberDefault: { type: 'flat', amountMinor: 4_000 } }), [['rep-1', 4_000]]],
    ['a zero sale pays nothing on a percentage', base({ sale: usd(0), plan: planWith([pct('pct', 1000)]) }), [['rep-1', 0]]],
  ])('%s', (_name, input, expected) => {
    expect(amounts(input)).toEqual(expected);
  });
});

describe('calculate: combinations', () => {
  it.each<[string, CalculateInput, [string, number][]]>([
    ['percentage plus a flat bonus add up', base({ plan: planWith([pct('pct', 500), flat('bonus', 1_000)]) }), [['rep-1', 6_000]]],
    ['each rule rounds on its own: 0.5% + 0.5% of 1.00 is 0 + 0 (each 0.5 cent rounds to even), not 1 cent', base({ sale: usd(100), plan: planWith([pct('a', 50), pct('b', 50)]) }), [['rep-1', 0]]],
    ['marginal tiers plus a flat bonus, capped per deal', base({ sale: usd(200_000), plan: planWith([tiered('marginal'), flat('bonus', 5_000)], { caps: { perDealMinor: 15_000 } }) }), [['rep-1', 15_000]]],
    ['per deal cap above the amount changes nothing', base({ plan: planWith([pct('pct', 1000)], { caps: { perDealMinor: 50_000 } }) }), [['rep-1', 10_000]]],
    ['per period cap leaves only the room left in the period', base({ plan: planWith([pct('pct', 1000)], { caps: { perPeriodMinor: 100_000 } }), period: { commissionToDateMinor: 96_000 } }), [['rep-1', 4_000]]],
    ['per period cap already reached pays zero', base({ plan: planWith([pct('pct', 1000)], { caps: { perPeriodMinor: 100_000 } }), period: { commissionToDateMinor: 120_000 } }), [['rep-1', 0]]],
    ['both caps: the tighter one wins', base({ plan: planWith([pct('pct', 1000)], { caps: { perDealMinor: 8_000, perPeriodMinor: 100_000 } }), period: { commissionToDateMinor: 95_000 } }), [['rep-1', 5_000]]],
    [
      'retroactive tiers with a split',
      base({
        sale: usd(200_000),
        plan: planWith([tiered('retroactive')]),
        splits: [
          { teamMemberId: 'rep-2', creditBps: 5_000, payoutBps: 4_000 },
          { teamMemberId: 'rep-1', creditBps: 10_000, payoutBps: 6_000 },
        ],
      }),
      [
        ['rep-1', 9_600],
        ['rep-2', 6_400],
      ],
    ],
    [
      'a split of an odd amount allocates the cent deterministically (by member id on a tie)',
      base({
        sale: usd(1_000),
        plan: planWith([flat('flat', 101)]),
        splits: [
          { teamMemberId: 'b', creditBps: 5_000, payoutBps: 5_000 },
          { teamMemberId: 'a', creditBps: 5_000, payoutBps: 5_000 },
        ],
      }),
      [
        ['a', 51],
        ['b', 50],
      ],
    ],
    [
      'member default rate with a split: the attributed member\'s rate, shared by payout',
      base({
        memberDefault: { type: 'percentage', rateBps: 1000 },
        splits: [
          { teamMemberId: 'rep-1', creditBps: 10_000, payoutBps: 7_500 },
          { teamMemberId: 'rep-2', creditBps: 0, payoutBps: 2_500 },
        ],
      }),
      [
        ['rep-1', 7_500],
        ['rep-2', 2_500],
      ],
    ],
  ])('%s', (_name, input, expected) => {
    expect(amounts(input)).toEqual(expected);
  });
});

describe('calculate: overrides per product and pipeline', () => {
  const plan = planWith([pct('base', 500)], {
    overrides: [
      { id: 'enterprise-in-sales', productIds: ['enterprise'], pipelineIds: ['sales'], rules: [pct('ent-sales', 1500)] },
      { id: 'enterprise', productIds: ['enterprise'], rules: [pct('ent', 1000)] },
      { id: 'renewals', pipelineIds: ['renewals'], rules: [flat('renewal', 2_000)] },
      { id: 'free-trial', productIds: ['trial'], rules: [] },
    ],
  });
  it.each<[string, { productId?: string; pipelineId?: string }, number, string]>([
    ['no match: the base rules', { productId: 'starter' }, 5_000, 'base'],
    ['product and pipeline both match the first override', { productId: 'enterprise', pipelineId: 'sales' }, 15_000, 'ent-sales'],
    ['the first matching override wins over a later one', { productId: 'enterprise', pipelineId: 'renewals' }, 10_000, 'ent'],
    ['pipeline only', { productId: 'starter', pipelineId: 'renewals' }, 2_000, 'renewal'],
    ['an override with no rules pays nothing', { productId: 'trial' }, 0, 'override'],
    ['an override naming a product does not match a sale without one', { pipelineId: 'sales' }, 5_000, 'base'],
  ])('%s', (_name, where, expected, lastRule) => {
    const result = calculate(base({ sale: { ...usd(100_000), ...where }, plan }));
    expect(result.lines[0]!.amountMinor).toBe(expected);
    expect(result.lines[0]!.trace.at(-1)!.rule).toBe(lastRule);
  });

  it('does not fall back to the member rate when an override matches', () => {
    const result = calculate(base({ sale: { ...usd(100_000), productId: 'trial' }, plan, memberDefault: { type: 'percentage', rateBps: 2000 } }));
    expect(result.lines[0]!.amountMinor).toBe(0);
    expect(result.heldForReview).toBeUndefined();
  });
});

describe('calculate: the member default and holds', () => {
  it('uses the member rate when the plan has no rules', () => {
    const result = calculate(base({ plan: planWith([]), memberDefault: { type: 'percentage', rateBps: 300 } }));
    expect(result.lines[0]!.amountMinor).toBe(3_000);
    expect(result.lines[0]!.trace.map((s) => s.rule)).toEqual(['plan', 'member-default']);
  });

  it('holds a sale in another currency than the plan, with no amount', () => {
    const result = calculate(base({ sale: { amountMinor: 100_000, currency: 'EUR' }, plan: planWith([pct('pct', 1000)]) }));
    expect(result.lines).toEqual([]);
    expect(result.totalMinor).toBeUndefined();
    expect(result.heldForReview).toEqual({ code: 'currency_mismatch', reason: expect.stringContaining('the sale is in EUR but plan plan-a v1 pays in USD') });
  });

  it('holds a sale no rule and no member rate can price', () => {
    const result = calculate(base({ plan: null }));
    expect(result.lines).toEqual([]);
    expect(result.heldForReview).toEqual({ code: 'no_rule', reason: 'no commission plan applies and team member rep-1 has no commission rate' });
  });

  it('pays a sale in any currency by the member rate when there is no plan', () => {
    const result = calculate(base({ sale: { amountMinor: 10_000, currency: 'JPY' }, memberDefault: { type: 'percentage', rateBps: 1000 } }));
    expect(result.lines).toEqual([expect.objectContaining({ amountMinor: 1_000, currency: 'JPY' })]);
  });
});

describe('calculate: splits and credit', () => {
  it('reports credit apart from payout, and the whole on the result', () => {
    const result = calculate(
      base({
        sale: usd(100_001),
        plan: planWith([pct('pct', 1000)]),
        splits: [
          { teamMemberId: 'rep-1', creditBps: 10_000, payoutBps: 3_333 },
          { teamMemberId: 'rep-2', creditBps: 10_000, payoutBps: 3_333 },
          { teamMemberId: 'rep-3', creditBps: 5_000, payoutBps: 3_334 },
        ],
      }),
    );
    expect(result.totalMinor).toBe(10_000);
    expect(result.lines.map((l) => [l.teamMemberId, l.amountMinor, l.creditedMinor])).toEqual([
      ['rep-1', 3_333, 100_001],
      ['rep-2', 3_333, 100_001],
      ['rep-3', 3_334, 50_000],
    ]);
    expect(result.lines[2]!.trace.at(-1)).toEqual(expect.objectContaining({ rule: 'split', rate: '33.34%', amountMinor: 3_334 }));
  });

  it.each([
    ['payout shares under 100%', [{ teamMemberId: 'a', creditBps: 10_000, payoutBps: 5_000 }], 'payout shares must add up to 100% (they add up to 50%)'],
    [
      'a member twice',
      [
        { teamMemberId: 'a', creditBps: 10_000, payoutBps: 5_000 },
        { teamMemberId: 'a', creditBps: 10_000, payoutBps: 5_000 },
      ],
      'a appears twice in the split',
    ],
  ])('refuses %s', (_name, splits, message) => {
    expect(() => calculate(base({ plan: planWith([pct('pct', 1000)]), splits }))).toThrow(message);
  });
});

describe('calculate: the trace', () => {
  it('names every rule, base, rate and tier on the way to the amount', () => {
    const result = calculate(base({ sale: usd(200_000), plan: planWith([tiered('marginal')], { caps: { perDealMinor: 12_000 } }), period: { volumeBeforeMinor: 50_000 } }));
    expect(result.lines[0]!.trace).toEqual([
      { rule: 'plan', note: 'plan plan-a v1 (effective 2026-01-01T00:00:00Z)' },
      { rule: 'tiers', base: 50_000, rate: '5%', rateBps: 500, tier: 1, note: '500.00 USD of the sale falls in tier 1 at 5%' },
      { rule: 'tiers', base: 150_000, rate: '8%', rateBps: 800, tier: 2, note: '1500.00 USD of the sale falls in tier 2 at 8%' },
      { rule: 'tiers', base: 200_000, amountMinor: 14_500, note: 'marginal tiers: 145.00 USD' },
      { rule: 'cap-per-deal', base: 14_500, amountMinor: 12_000, note: 'capped at 120.00 USD per deal' },
    ]);
  });

  it('refuses malformed input', () => {
    expect(() => calculate(base({ sale: { amountMinor: 10.5, currency: 'USD' } }))).toThrow();
    expect(() => calculate(base({ sale: { amountMinor: -1, currency: 'USD' } }))).toThrow();
    expect(() => calculate(base({ sale: { amountMinor: 1, currency: 'usd' } }))).toThrow('ISO 4217');
  });
});
