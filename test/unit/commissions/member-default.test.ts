import { calculate, memberDefaultFromRow } from '../../../commissions';
import { usd } from './helpers';

describe('memberDefaultFromRow: team_members.commission_rate_bps and commission_type', () => {
  it.each([
    [{ commission_rate_bps: 1250, commission_type: 'percentage' as const }, { type: 'percentage', rateBps: 1250 }],
    [{ commission_rate_bps: 700, commission_type: null }, { type: 'percentage', rateBps: 700 }],
    [{ commission_rate_bps: null, commission_type: 'percentage' as const }, null],
    [{ commission_rate_bps: null, commission_type: null }, null],
    [{ commission_rate_bps: 500, commission_type: 'flat' as const }, null],
  ])('%j -> %j', (row, expected) => {
    expect(memberDefaultFromRow(row)).toEqual(expected);
  });

  it('uses a flat amount only when the caller gives one', () => {
    expect(memberDefaultFromRow({ commission_rate_bps: null, commission_type: 'flat' }, { flatAmountMinor: 2_000 })).toEqual({ type: 'flat', amountMinor: 2_000 });
  });

  it('holds a sale for a flat member without an amount rather than guess one', () => {
    const memberDefault = memberDefaultFromRow({ commission_rate_bps: 500, commission_type: 'flat' });
    const result = calculate({ sale: usd(10_000), teamMemberId: 'rep', plan: null, memberDefault });
    expect(result.heldForReview?.code).toBe('no_rule');
  });
});
