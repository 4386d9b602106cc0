// Shapes the commissions API answers with (notes/commissions-contract.md), for the page tests.
import type { Calculation, Payout, PayoutDetail, SaleDetail } from '../../../web/src/api/commissions';
import type { Me, Membership, TeamMember } from '../../../web/src/api/types';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../db/rbac/matrix';

export const ORG_ID = 'o1';
export const USER_ID = 'u-manager';

export function membership(role: Role, permissions: Permission[] = [...ROLE_PERMISSIONS[role]]): Membership {
  return { memberId: 'm1', organizationId: ORG_ID, organizationName: 'Acme', organizationSlug: 'acme', role, status: 'active', permissions };
}

export const ME: Me = { user: { id: USER_ID, email: 'manager@acme.test', fullName: 'Morgan Manager' }, memberships: [membership('administrator')] };

function teamMember(id: string, fullName: string, userId: string | null = null): TeamMember {
  return {
    id,
    externalId: null,
    email: null,
    fullName,
    userId,
    memberType: 'sales',
    commissionRateBps: null,
    commissionType: null,
    deletedAt: null,
    restorableUntil: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

export const TEAM: TeamMember[] = [teamMember('tm-ada', 'Ada Lovelace'), teamMember('tm-bob', 'Bob Stone'), teamMember('tm-me', 'Morgan Manager', USER_ID)];

export function calculation(id: string, changes: Partial<Calculation> = {}): Calculation {
  return {
    id,
    transactionId: `sale-${id}`,
    teamMemberId: 'tm-ada',
    teamMemberName: 'Ada Lovelace',
    planVersionId: 'pv1',
    planName: 'Standard',
    kind: 'commission',
    amountMinor: 10000,
    currency: 'USD',
    status: 'pending',
    heldReason: null,
    approverUserId: null,
    approverEmail: null,
    decidedAt: null,
    comment: null,
    supersedes: null,
    clawbackOf: null,
    trace: [
      { rule: 'plan', note: 'Plan Standard v1' },
      { rule: 'base-rate', base: 100000, rate: '10%', rateBps: 1000, amountMinor: 10000, note: '10% of 1000.00 USD' },
    ],
    sale: { amountMinor: 100000, currency: 'USD', paidAt: '2026-03-02T10:00:00Z', source: 'manual', externalId: `INV-${id}`, status: 'paid', refundedMinor: 0 },
    notifications: [],
    createdAt: '2026-03-02T10:00:05Z',
    ...changes,
  };
}

export function payout(status: Payout['status'], changes: Partial<PayoutDetail> = {}): PayoutDetail {
  return {
    id: 'p1',
    teamMemberId: 'tm-ada',
    teamMemberName: 'Ada Lovelace',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-31',
    currency: 'USD',
    totalMinor: 15050,
    status,
    lockedAt: status === 'draft' ? null : '2026-04-01T09:00:00Z',
    lockedBy: status === 'draft' ? null : 'u-manager',
    lockedByEmail: status === 'draft' ? null : 'manager@acme.test',
    paidAt: status === 'paid' ? '2026-04-02T09:00:00Z' : null,
    paidBy: status === 'paid' ? 'u-manager' : null,
    paidByEmail: status === 'paid' ? 'manager@acme.test' : null,
    itemCount: 2,
    createdAt: '2026-04-01T00:00:00Z',
    items: [
      { id: 'i1', calculationId: 'c1', kind: 'commission', description: 'Commission on INV-1', amountMinor: 10050, transactionId: 's1', saleExternalId: 'INV-1', saleAmountMinor: 100500, paidAt: '2026-03-05T10:00:00Z', createdAt: '2026-04-01T00:00:00Z' },
      { id: 'i2', calculationId: 'c2', kind: 'commission', description: 'Commission on INV-2', amountMinor: 5000, transactionId: 's2', saleExternalId: 'INV-2', saleAmountMinor: 50000, paidAt: '2026-03-09T10:00:00Z', createdAt: '2026-04-01T00:00:00Z' },
    ],
    ...changes,
  };
}

export function sale(id: string, changes: Partial<SaleDetail> = {}): SaleDetail {
  return {
    id,
    source: 'manual',
    externalId: `INV-${id}`,
    contactId: null,
    contactName: 'Grace Hopper',
    ghlOpportunityId: null,
    productId: null,
    pipelineId: null,
    teamMemberId: 'tm-ada',
    teamMemberName: 'Ada Lovelace',
    amountMinor: 123456,
    currency: 'USD',
    paidAt: '2026-03-02T10:00:00Z',
    status: 'paid',
    refundedMinor: 0,
    splits: null,
    originalAmountMinor: null,
    workflowId: null,
    temporalUiUrl: null,
    createdAt: '2026-03-02T10:00:01Z',
    calculations: [],
    refunds: [],
    ...changes,
  };
}
