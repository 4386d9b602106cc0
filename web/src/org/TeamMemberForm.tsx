import { useState } from 'react';
import { createTeamMember, updateTeamMember } from '../api/team-members';
import type { CommissionType, Member, MemberType, TeamMember, TeamMemberInput } from '../api/types';
import { bpsToPercent, percentToBps } from '../commission-rate';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { InputError, useSubmit } from '../use-submit';

export const MEMBER_TYPES: { value: MemberType; label: string }[] = [
  { value: 'sales', label: 'Sales' },
  { value: 'support', label: 'Support' },
  { value: 'operations', label: 'Operations' },
];

const FIELDS = ['fullName', 'email', 'externalId', 'memberType', 'commissionRateBps', 'commissionType', 'userId'] as const;

interface Props {
  orgId: string;
  /** Absent: a new team member. */
  teamMember?: TeamMember;
  /** The organization's logins; undefined when the user may not list them (the link is then left as is). */
  members: Member[] | undefined;
  onSaved: (saved: TeamMember) => void;
  onCancel: () => void;
}

export function TeamMemberForm({ orgId, teamMember, members, onSaved, onCancel }: Props) {
  const [fullName, setFullName] = useState(teamMember?.fullName ?? '');
  const [email, setEmail] = useState(teamMember?.email ?? '');
  const [externalId, setExternalId] = useState(teamMember?.externalId ?? '');
  const [memberType, setMemberType] = useState<MemberType>(teamMember?.memberType ?? 'sales');
  const [rate, setRate] = useState(bpsToPercent(teamMember?.commissionRateBps ?? null));
  const [commissionType, setCommissionType] = useState<CommissionType | ''>(teamMember?.commissionType ?? '');
  const [userId, setUserId] = useState(teamMember?.userId ?? '');

  const form = useSubmit(FIELDS, async () => {
    const commissionRateBps = percentToBps(rate);
    if (commissionRateBps === undefined) {
      throw new InputError({ commissionRateBps: 'Enter a percentage from 0 to 100 with at most two decimals, like 12.5.' });
    }
    const input: TeamMemberInput = {
      fullName: fullName.trim(),
      email: email.trim() || null,
      externalId: externalId.trim() || null,
      memberType,
      commissionRateBps,
      commissionType: commissionType || null,
      ...(members ? { userId: userId || null } : {}),
    };
    onSaved(teamMember ? await updateTeamMember(orgId, teamMember.id, input) : await createTeamMember(orgId, input));
  });

  return (
    <form className="form panel" onSubmit={form.onSubmit} noValidate aria-labelledby="team-member-form-heading">
      <h2 id="team-member-form-heading">{teamMember ? `Edit ${teamMember.fullName}` : 'New team member'}</h2>
      <ErrorAlert message={form.error} />
      <div className="grid-2">
        <TextField label="Full name" name="fullName" required value={fullName} onChange={(e) => setFullName(e.target.value)} error={form.fieldErrors.fullName} />
        <TextField label="Email" name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={form.fieldErrors.email} />
        <TextField
          label="GHL user id"
          name="externalId"
          value={externalId}
          onChange={(e) => setExternalId(e.target.value)}
          error={form.fieldErrors.externalId}
          hint="Their user id in the GoHighLevel location; sales are matched to them by it."
        />
        <SelectField label="Member type" name="memberType" value={memberType} onChange={(e) => setMemberType(e.target.value as MemberType)} error={form.fieldErrors.memberType}>
          {MEMBER_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Commission rate (%)"
          name="commissionRateBps"
          inputMode="decimal"
          placeholder="12.5"
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          error={form.fieldErrors.commissionRateBps}
          hint="Up to two decimals."
        />
        <SelectField
          label="Commission type"
          name="commissionType"
          value={commissionType}
          onChange={(e) => setCommissionType(e.target.value as CommissionType | '')}
          error={form.fieldErrors.commissionType}
        >
          <option value="">None</option>
          <option value="percentage">Percentage</option>
          <option value="flat">Flat</option>
        </SelectField>
        {members && (
          <SelectField
            label="Login"
            name="userId"
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            error={form.fieldErrors.userId}
            hint="Link to a member's login so they see their own sales and commissions."
          >
            <option value="">Not linked</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.email ?? m.fullName ?? m.userId}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={form.busy}>
          {teamMember ? 'Save' : 'Add team member'}
        </button>
      </div>
    </form>
  );
}
