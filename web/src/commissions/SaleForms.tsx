import { useState } from 'react';
import { assignSale, correctSale, recordRefund, type RefundRecorded, type Sale } from '../api/commissions';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { InputError, useSubmit } from '../use-submit';
import { amountProblem, formatMinor, minorToMajor, parseMajor } from './money';
import { type Team, TeamOptions } from './use-team';

/** Attributes a sale nobody was matched to; its commission is then calculated. */
export function AssignForm({ orgId, sale, team, onAssigned }: { orgId: string; sale: Sale; team: Team; onAssigned: (sale: Sale) => void }) {
  const [teamMemberId, setTeamMemberId] = useState('');
  const form = useSubmit(['teamMemberId'], async () => {
    if (!teamMemberId) throw new InputError({ teamMemberId: 'Choose a team member.' });
    onAssigned(await assignSale(orgId, sale.id, teamMemberId));
  });
  return (
    <form className="form form-inline" onSubmit={form.onSubmit} noValidate aria-label="Assign team member">
      <ErrorAlert message={form.error} />
      <SelectField label="Team member" name="teamMemberId" value={teamMemberId} onChange={(e) => setTeamMemberId(e.target.value)} error={form.fieldErrors.teamMemberId}>
        <option value="">Choose…</option>
        <TeamOptions team={team} />
      </SelectField>
      <div className="actions">
        <button type="submit" className="btn-primary" disabled={form.busy}>
          Assign team member
        </button>
      </div>
    </form>
  );
}

/** A refund, whole or in part: the commissions it paid are clawed back in proportion. */
export function RefundForm({ orgId, sale, onRecorded }: { orgId: string; sale: Sale; onRecorded: (result: RefundRecorded) => void }) {
  const left = sale.amountMinor - sale.refundedMinor;
  const [amount, setAmount] = useState(minorToMajor(left, sale.currency));
  const [reason, setReason] = useState('');
  const [externalId, setExternalId] = useState('');
  const form = useSubmit(['amountMinor', 'reason', 'externalId'], async () => {
    const problem = amountProblem(amount, sale.currency);
    const amountMinor = parseMajor(amount, sale.currency);
    if (problem || amountMinor === undefined) throw new InputError({ amountMinor: problem ?? 'Enter an amount.' });
    if (amountMinor === 0) throw new InputError({ amountMinor: 'A refund is more than nothing.' });
    if (amountMinor > left) throw new InputError({ amountMinor: `At most ${formatMinor(left, sale.currency)} is left to refund.` });
    onRecorded(await recordRefund(orgId, sale.id, { amountMinor, reason: reason.trim() || undefined, externalId: externalId.trim() || undefined }));
    setReason('');
    setExternalId('');
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Record refund">
      <ErrorAlert message={form.error} />
      <div className="grid-2">
        <TextField
          label={`Refund amount (${sale.currency})`}
          name="amountMinor"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={form.fieldErrors.amountMinor}
          hint={`Up to ${formatMinor(left, sale.currency)}.`}
        />
        <TextField label="Reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} error={form.fieldErrors.reason} />
        <TextField label="Refund external ID" name="externalId" value={externalId} onChange={(e) => setExternalId(e.target.value)} error={form.fieldErrors.externalId} />
      </div>
      <div className="actions">
        <button type="submit" className="btn-danger" disabled={form.busy}>
          Record refund
        </button>
      </div>
    </form>
  );
}

/**
 * A corrected amount (a discrepancy after approval), or the same amount to price the sale again
 * (a held commission once its plan is fixed). Commissions that change wait for a new decision.
 */
export function CorrectForm({ orgId, sale, onCorrected }: { orgId: string; sale: Sale; onCorrected: (sale: Sale) => void }) {
  const [amount, setAmount] = useState(minorToMajor(sale.amountMinor, sale.currency));
  const form = useSubmit(['amountMinor'], async () => {
    const problem = amountProblem(amount, sale.currency);
    const amountMinor = parseMajor(amount, sale.currency);
    if (problem || amountMinor === undefined) throw new InputError({ amountMinor: problem ?? 'Enter an amount.' });
    if (amountMinor < sale.refundedMinor) throw new InputError({ amountMinor: `At least ${formatMinor(sale.refundedMinor, sale.currency)} (already refunded).` });
    onCorrected(await correctSale(orgId, sale.id, amountMinor));
  });
  const same = parseMajor(amount, sale.currency) === sale.amountMinor;
  return (
    <form className="form form-inline" onSubmit={form.onSubmit} noValidate aria-label="Correct the sale">
      <ErrorAlert message={form.error} />
      <TextField
        label={`Sale amount (${sale.currency})`}
        name="amountMinor"
        inputMode="decimal"
        autoComplete="off"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        error={form.fieldErrors.amountMinor}
        hint="The same amount prices the sale again with the rules in force now."
      />
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          {same ? 'Price again' : 'Correct amount'}
        </button>
      </div>
    </form>
  );
}
