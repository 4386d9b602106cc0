import { useState } from 'react';
import { fetchStatementCsv, getPayout, lockPayout, markPayoutPaid, type Payout, type PayoutDetail } from '../api/commissions';
import type { Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import { may } from '../permissions';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';
import { saveBlob } from './download';
import { KINDS, MoneyStatus } from './labels';
import { formatMinor } from './money';
import { periodLabel } from './PayoutsTable';
import './commissions.css';

interface Props {
  orgId: string;
  membership: Membership;
  payoutId: string;
  /** Where "back" goes: the Payouts list, or My earnings for a rep. */
  back: { to: string; label: string };
}

/** `/orgs/:orgId/payouts/:payoutId` (and under My earnings): one payout as a printable statement. */
export function PayoutDetailPage({ orgId, membership, payoutId, back }: Props) {
  const payout = useLoad((signal) => getPayout(orgId, payoutId, signal), [orgId, payoutId]);
  useTitle(payout.data ? `Payout ${payout.data.teamMemberName} ${periodLabel(payout.data)}` : 'Payout');
  // Lock and mark-paid answer the payout without its items: keep the items we have.
  const changed = (p: Payout) => payout.data && payout.setData({ ...payout.data, ...p });

  return (
    <>
      <p className="breadcrumb no-print">
        <Link to={back.to}>← {back.label}</Link>
      </p>
      {!payout.data ? (
        payout.error ? <ErrorAlert message={payout.error.message} /> : <Loading what="the payout" />
      ) : (
        <>
          <PayoutActions orgId={orgId} payout={payout.data} canUpdate={may(membership, 'payouts', 'update')} onChanged={changed} />
          <Statement payout={payout.data} />
        </>
      )}
    </>
  );
}

interface ActionsProps {
  orgId: string;
  payout: PayoutDetail;
  canUpdate: boolean;
  onChanged: (payout: Payout) => void;
}

/** Lock a draft, mark a locked payout paid; the statement is for everyone who can see the payout. */
export function PayoutActions({ orgId, payout, canUpdate, onChanged }: ActionsProps) {
  const toast = useToast();
  const [downloading, setDownloading] = useState(false);
  const total = formatMinor(payout.totalMinor, payout.currency);

  const download = async () => {
    setDownloading(true);
    try {
      const { blob, filename } = await fetchStatementCsv(orgId, payout.id);
      saveBlob(blob, filename);
    } catch (e) {
      toast.error(e, 'Could not download the statement');
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className="actions payout-actions no-print" role="toolbar" aria-label="Payout actions">
      {canUpdate && payout.status === 'draft' && (
        <ConfirmButton
          className="btn-primary"
          title="Lock payout"
          message={
            <p>
              Lock {total} for {payout.teamMemberName} ({periodLabel(payout)})? A locked payout no longer changes: later commissions go to the next period.
            </p>
          }
          confirmLabel="Lock"
          onConfirm={async () => {
            onChanged(await lockPayout(orgId, payout.id));
            toast.success('Payout locked', `${total} for ${payout.teamMemberName}`);
          }}
        >
          Lock payout
        </ConfirmButton>
      )}
      {canUpdate && payout.status === 'locked' && (
        <ConfirmButton
          className="btn-primary"
          title="Mark paid"
          message={
            <p>
              Record that {total} was paid to {payout.teamMemberName}? Its commissions become paid.
            </p>
          }
          confirmLabel="Mark as paid"
          onConfirm={async () => {
            onChanged(await markPayoutPaid(orgId, payout.id));
            toast.success('Payout marked paid', `${total} for ${payout.teamMemberName}`);
          }}
        >
          Mark paid
        </ConfirmButton>
      )}
      <button type="button" disabled={downloading} onClick={() => void download()}>
        Download statement (CSV)
      </button>
      <button type="button" onClick={() => window.print()}>
        Print
      </button>
    </div>
  );
}

/** The statement: who, which period, each line and the total; laid out to print on its own. */
function Statement({ payout: p }: { payout: PayoutDetail }) {
  return (
    <article className="payout-statement" aria-labelledby="payout-heading">
      <header className="statement-head">
        <h1 id="payout-heading">Payout statement</h1>
        <MoneyStatus status={p.status} />
      </header>
      <dl className="facts statement-facts">
        <dt>Team member</dt>
        <dd>{p.teamMemberName}</dd>
        <dt>Period</dt>
        <dd>{periodLabel(p)}</dd>
        <dt>Total</dt>
        <dd data-testid="payout-total">{formatMinor(p.totalMinor, p.currency)}</dd>
        {p.lockedAt && (
          <>
            <dt>Locked</dt>
            <dd>
              <time dateTime={p.lockedAt}>{formatTime(p.lockedAt)}</time>
              {p.lockedBy && <span className="muted"> by {p.lockedByEmail ?? 'a former member'}</span>}
            </dd>
          </>
        )}
        {p.paidAt && (
          <>
            <dt>Paid</dt>
            <dd>
              <time dateTime={p.paidAt}>{formatTime(p.paidAt)}</time>
              {p.paidBy && <span className="muted"> by {p.paidByEmail ?? 'a former member'}</span>}
            </dd>
          </>
        )}
      </dl>
      {p.items.length === 0 ? (
        <p className="muted">This payout has no lines.</p>
      ) : (
        <table className="table statement-table" aria-label="Payout lines">
          <thead>
            <tr>
              <th scope="col">Sale paid</th>
              <th scope="col">Description</th>
              <th scope="col">Sale</th>
              <th scope="col" className="num">
                Sale amount
              </th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((item) => (
              <tr key={item.id}>
                <td>{item.paidAt ? <time dateTime={item.paidAt}>{formatTime(item.paidAt)}</time> : '—'}</td>
                <td>{item.description ?? '—'}</td>
                <td>{item.saleExternalId ?? '—'}</td>
                <td className="num">{item.saleAmountMinor === null ? '—' : formatMinor(item.saleAmountMinor, p.currency)}</td>
                <td>{item.kind ? KINDS[item.kind] : '—'}</td>
                <td className="num">{formatMinor(item.amountMinor, p.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={5}>
                Total
              </th>
              <td className="num">
                <strong>{formatMinor(p.totalMinor, p.currency)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      )}
    </article>
  );
}
