import { useState } from 'react';
import { listAuditLog } from '../api/audit-log';
import type { AuditEntry } from '../api/types';
import { ErrorAlert, Loading } from '../components/Notices';
import { usePaged } from '../use-paged';
import type { OrgPageProps } from './OrgLayout';
import { LoadMore } from '../components/LoadMore';

const PAGE_SIZE = 50;
// The audited tables a tenant can see entries of.
const TABLES = ['organizations', 'organization_members', 'invitations', 'team_members'];

export function AuditLogPage({ orgId }: OrgPageProps) {
  const [table, setTable] = useState('');
  const log = usePaged((cursor, signal) => listAuditLog(orgId, { table: table || undefined, cursor, limit: PAGE_SIZE }, signal), [orgId, table]);

  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">Every change to this organization’s data, newest first. Secret values are redacted.</p>
      <section className="panel" aria-label="Audit entries">
        <div className="field field-search">
          <label htmlFor="audit-table">Table</label>
          <select id="audit-table" value={table} onChange={(e) => setTable(e.target.value)}>
            <option value="">All tables</option>
            {TABLES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <ErrorAlert message={log.error?.message} />
        {log.items.length === 0 ? (
          log.loading ? <Loading what="the audit log" /> : <p className="muted">No entries.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Table</th>
                <th scope="col">Operation</th>
                <th scope="col">Changed columns</th>
                <th scope="col">Diff</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        )}
        <LoadMore list={log} />
      </section>
    </>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  return (
    <tr>
      <td>
        <time dateTime={entry.createdAt}>{new Date(entry.createdAt).toLocaleString()}</time>
      </td>
      <td>
        {entry.actorEmail ?? (entry.actorUserId ? 'former member' : 'platform')}
        {/* Signed-in people act as the database role `authenticated`; only other actors are worth naming. */}
        {entry.actorRole && entry.actorRole !== 'authenticated' && <span className="muted"> ({entry.actorRole})</span>}
      </td>
      <td>{entry.tableName}</td>
      <td>{entry.operation}</td>
      <td>{entry.changedColumns.length ? entry.changedColumns.join(', ') : '—'}</td>
      <td>
        <details>
          <summary>Show</summary>
          <pre className="diff">{JSON.stringify(entry.diff, null, 2)}</pre>
        </details>
      </td>
    </tr>
  );
}
