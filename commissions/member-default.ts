/*
 * The simple default: a team member's own rate (team_members.commission_rate_bps and
 * commission_type), used when no plan rule applies.
 *
 * team_members stores one number, in basis points, and the form asks for it as a percent for
 * both types. It holds no amount for 'flat', so a flat amount is only used when the caller
 * passes one; without it a flat member has no default and the sale is held for review rather
 * than paid a guessed amount.
 */
import type { MemberDefault } from './calculate';

export type TeamMemberRateRow = {
  commission_rate_bps: number | null;
  commission_type: 'percentage' | 'flat' | null;
};

export function memberDefaultFromRow(row: TeamMemberRateRow, options: { flatAmountMinor?: number } = {}): MemberDefault | null {
  if (row.commission_type === 'flat') return options.flatAmountMinor === undefined ? null : { type: 'flat', amountMinor: options.flatAmountMinor };
  // A rate without a type is read as a percentage: that is what the form shows it as.
  if (row.commission_rate_bps === null) return null;
  return { type: 'percentage', rateBps: row.commission_rate_bps };
}
