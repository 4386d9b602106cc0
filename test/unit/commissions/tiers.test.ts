import { calculate } from '../../../commissions';
import { planWith, tiered, usd } from './helpers';

// Tiers (helpers.ts): 0-1,000.00 at 5%, 1,000.00-5,000.00 at 8%, from 5,000.00 at 10%.
const pay = (mode: 'marginal' | 'retroactive', saleMinor: number, volumeBeforeMinor: number) =>
  calculate({ sale: usd(saleMinor), teamMemberId: 'rep', plan: planWith([tiered(mode)]), period: { volumeBeforeMinor } }).lines[0]!.amountMinor;

describe('tiered by period volume', () => {
  it.each([
    // sale, volume before, marginal, retroactive, why
    [50_000, 0, 2_500, 2_500, 'inside tier 1: both pay 5%'],
    [100_000, 0, 5_000, 8_000, 'reaching tier 2 exactly: retroactive pays all of it at 8%'],
    [50_000, 30_000, 2_500, 2_500, 'still inside tier 1'],
    [50_000, 80_000, 3_400, 6_400, 'crossing into tier 2: 200 at 5% + 300 at 8%; retroactive 1,300 at 8% less 800 at 5%'],
    [100_000, 200_000, 8_000, 8_000, 'inside tier 2: both pay 8% on the sale'],
    [600_000, 0, 47_000, 60_000, 'through all three tiers in one sale'],
    [100_000, 450_000, 9_000, 19_000, 'crossing into tier 3: retroactive trues up 4,500 of earlier volume from 8% to 10%'],
    [1, 99_999, 0, 3_000, 'one cent that crosses a tier: marginal rounds 0.05 to 0, retroactive trues up the whole period (3,000.05 -> 3,000)'],
    [0, 120_000, 0, 0, 'a zero sale pays nothing'],
  ])('sale %d after %d: marginal %d, retroactive %d (%s)', (sale, before, marginal, retroactive) => {
    expect(pay('marginal', sale, before)).toBe(marginal);
    expect(pay('retroactive', sale, before)).toBe(retroactive);
  });

  it('marginal and retroactive sum to the same period totals as one big sale would pay', () => {
    // Three sales in a period, each priced on the volume before it.
    const sales = [70_000, 80_000, 400_000];
    for (const mode of ['marginal', 'retroactive'] as const) {
      let volume = 0;
      let total = 0;
      for (const sale of sales) {
        total += pay(mode, sale, volume);
        volume += sale;
      }
      expect(total).toBe(pay(mode, volume, 0));
    }
  });

  it('explains a retroactive true-up in the trace', () => {
    const result = calculate({ sale: usd(50_000), teamMemberId: 'rep', plan: planWith([tiered('retroactive')]), period: { volumeBeforeMinor: 80_000 } });
    expect(result.lines[0]!.trace.slice(1).map((s) => [s.tier, s.rate, s.note])).toEqual([
      [2, '8%', 'period volume 1300.00 USD reaches tier 2: all of it earns 8%'],
      [1, '5%', "less the period's earlier volume 800.00 USD, paid at tier 1 (5%): this sale carries the true-up"],
      [undefined, undefined, 'retroactive tiers: 64.00 USD'],
    ]);
  });
});
