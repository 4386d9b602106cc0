// The API's JSON shapes as the web app reads them (the API's zod schemas are the source of truth).
import type { Permission, Role } from '../../../db/rbac/matrix';
import type { Session } from './session';

export type AssignableRole = Exclude<Role, 'owner'>;
export type Plan = 'free' | 'starter' | 'professional' | 'enterprise';

export interface User {
  id: string;
  email: string;
  fullName: string | null;
}

export interface Membership {
  memberId: string;
  organizationId: string;
  organizationName: string;
  organizationSlug: string;
  role: Role;
  status: string;
  /** Effective `resource:action` grants, custom grants and denies applied. */
  permissions: Permission[];
}

export interface Me {
  user: User;
  memberships: Membership[];
}

export interface SignedIn {
  user: User;
  session: Session;
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
  subscriptionStatus: string;
  subscriptionPlan: Plan;
  limits: { maxUsers: number; maxWorkflows: number; maxBots: number; maxExecutionsPerMonth: number };
  usage: { users: number; workflows: number; bots: number; executionsThisMonth: number };
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  id: string;
  userId: string;
  email: string | null;
  fullName: string | null;
  role: Role;
  status: 'active' | 'invited' | 'suspended';
  customPermissions: { grant?: Permission[]; deny?: Permission[] };
  createdAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: AssignableRole;
  expiresAt: string;
  createdAt: string;
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: AssignableRole;
  expiresAt: string;
}

export interface MembershipRef {
  memberId: string;
  organizationId: string;
  role: Role;
}

export type MemberType = 'sales' | 'support' | 'operations';
export type CommissionType = 'percentage' | 'flat';

export interface TeamMember {
  id: string;
  externalId: string | null;
  email: string | null;
  fullName: string;
  userId: string | null;
  memberType: MemberType;
  /** Basis points: 1250 = 12.5 %. */
  commissionRateBps: number | null;
  commissionType: CommissionType | null;
  /** Set while the member is in the trash, restorable until restorableUntil. */
  deletedAt: string | null;
  restorableUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export type TeamMemberInput = Partial<Omit<TeamMember, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'restorableUntil'>>;

export interface AuditEntry {
  id: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  tableName: string;
  rowId: string | null;
  operation: 'INSERT' | 'UPDATE' | 'DELETE';
  changedColumns: string[];
  diff: Record<string, unknown>;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
