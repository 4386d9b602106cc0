import { Fragment, type ReactNode, useState } from 'react';
import type { Calculation } from '../api/commissions';
import { formatTime } from '../executions/format';
import { Link } from '../router';
import { KINDS, MoneyStatus } from './labels';
import { formatMinor } from './money';
import { TraceTable } from './TraceTable';

export interface Selection {
  selected: ReadonlySet<string>;
  /** Whether a row may be ticked (only pending ones can be approved). */
  selectable: (c: Calculation) => boolean;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
}

interface Props {
  items: Calculation[];
  /** The table's accessible name. */
  label: string;
  /** Leave out the member column (a rep's own list). */
  hideMember?: boolean;
  /** A link to the sale, for members who may open sales. */
  saleHref?: (c: Calculation) => string | undefined;
  selection?: Selection;
  actions?: (c: Calculation) => ReactNode;
}

/** Calculations with their sale, plan, status and reminders; each row's trace opens below it. */
export function CalculationsTable({ items, label, hideMember, saleHref, selection, actions }: Props) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const selectable = selection ? items.filter(selection.selectable) : [];
  const allSelected = selectable.length > 0 && selectable.every((c) => selection?.selected.has(c.id));
  const columns = 7 + (selection ? 1 : 0) + (hideMember ? 0 : 1) + (actions ? 1 : 0);

  return (
    <div className="table-scroll">
      <table className="table calculations-table" aria-label={label}>
        <thead>
          <tr>
            {selection && (
              <th scope="col">
                <input type="checkbox" aria-label="Select all pending" checked={allSelected} disabled={selectable.length === 0} onChange={(e) => selection.onToggleAll(e.target.checked)} />
              </th>
            )}
            {!hideMember && <th scope="col">Member</th>}
            <th scope="col" className="num">
              Sale
            </th>
            <th scope="col" className="num">
              Commission
            </th>
            <th scope="col">Plan</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Reminders</th>
            <th scope="col">Trace</th>
            {actions && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => {
            const traceId = `trace-${c.id}`;
            const href = saleHref?.(c);
            return (
              <Fragment key={c.id}>
                <tr data-testid={`calculation-${c.id}`} data-status={c.status}>
                  {selection && (
                    <td>
                      {selection.selectable(c) && (
                        <input
                          type="checkbox"
                          aria-label={`Select ${c.teamMemberName}: ${formatMinor(c.amountMinor, c.currency)}`}
                          checked={selection.selected.has(c.id)}
                          onChange={(e) => selection.onToggle(c.id, e.target.checked)}
                        />
                      )}
                    </td>
                  )}
                  {!hideMember && <td>{c.teamMemberName}</td>}
                  <td className="num">
                    {c.sale ? href ? <Link to={href}>{formatMinor(c.sale.amountMinor, c.sale.currency)}</Link> : formatMinor(c.sale.amountMinor, c.sale.currency) : '—'}
                    {c.sale?.externalId && <div className="muted small">{c.sale.externalId}</div>}
                  </td>
                  <td className="num">
                    <strong>{formatMinor(c.amountMinor, c.currency)}</strong>
                    {c.kind !== 'commission' && <div className="muted small">{KINDS[c.kind]}</div>}
                  </td>
                  <td>{c.planName ?? <span className="muted">No plan</span>}</td>
                  <td>
                    <MoneyStatus status={c.status} />
                    {c.heldReason && <div className="muted small">{c.heldReason}</div>}
                    <Decision c={c} />
                  </td>
                  <td>
                    <time dateTime={c.createdAt}>{formatTime(c.createdAt)}</time>
                  </td>
                  <td>
                    <Notifications items={c.notifications} />
                  </td>
                  <td>
                    <button type="button" className="text-button" aria-expanded={open.has(c.id)} aria-controls={traceId} onClick={() => toggle(c.id)}>
                      {open.has(c.id) ? 'Hide trace' : 'Show trace'}
                    </button>
                  </td>
                  {actions && <td>{actions(c)}</td>}
                </tr>
                {open.has(c.id) && (
                  <tr id={traceId} className="trace-row">
                    <td colSpan={columns}>
                      <TraceTable trace={c.trace} currency={c.currency} label={`Rule trace for ${c.teamMemberName}`} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Notifications({ items }: { items: Calculation['notifications'] }) {
  if (items.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list small">
      {items.map((n) => (
        <li key={`${n.kind}-${n.createdAt}`}>
          {n.kind === 'escalation' ? 'Escalated' : 'Reminder'} <time dateTime={n.createdAt}>{formatTime(n.createdAt)}</time>
        </li>
      ))}
    </ul>
  );
}

function Decision({ c }: { c: Calculation }) {
  if (!c.decidedAt) return null;
  return (
    <div className="small decision">
      {c.approverEmail ?? 'Automatic'} · <time dateTime={c.decidedAt}>{formatTime(c.decidedAt)}</time>
      {c.comment && <div className="muted">“{c.comment}”</div>}
    </div>
  );
}
