import { previewPlan } from '../../../commissions';
import { flat, pct, planWith, tiered } from './helpers';

describe('previewPlan: what would this pay', () => {
  it('prices each sample on its own with its effective rate', () => {
    const rows = previewPlan(planWith([tiered('marginal'), flat('bonus', 1_000)], { caps: { perDealMinor: 40_000 } }), [0, 50_000, 200_000, 1_000_000]);
    expect(rows.map((r) => [r.saleAmountMinor, r.commissionMinor, r.effectiveBps])).toEqual([
      [0, 1_000, 0],
      [50_000, 3_500, 700],
      [200_000, 14_000, 700],
      [1_000_000, 40_000, 400],
    ]);
    expect(rows[3]!.trace.at(-1)).toEqual(expect.objectContaining({ rule: 'cap-per-deal' }));
  });

  it('applies the override for the chosen product and the given period', () => {
    const plan = planWith([pct('base', 500)], { overrides: [{ id: 'ent', productIds: ['enterprise'], rules: [tiered('retroactive')] }] });
    const [row] = previewPlan(plan, [50_000], { productId: 'enterprise', period: { volumeBeforeMinor: 80_000 } });
    expect(row!.commissionMinor).toBe(6_400);
  });

  it('shows a plan without rules as held, with the reason', () => {
    const [row] = previewPlan(planWith([]), [10_000]);
    expect(row!.commissionMinor).toBeUndefined();
    expect(row!.heldForReview?.code).toBe('no_rule');
  });
});
