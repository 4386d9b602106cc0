import { useState } from 'react';
import { type Bot, listBots } from '../api/bots';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { TrashTabs, type TrashView, useTrashRetentionDays } from '../components/trash';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { Link, navigate } from '../router';
import { useLoad } from '../use-load';
import { DeletedBots } from './DeletedBots';
import { CHANNELS, MODES } from './labels';
import { NewBotForm } from './NewBotForm';
import { botPath } from './paths';
import './bots.css';

/** `/orgs/:orgId/bots`: the organization's bots; a new one opens in its editor. */
export function BotsPage({ orgId, membership }: OrgPageProps) {
  const toast = useToast();
  const [view, setView] = useState<TrashView>('active');
  // Reloaded on the way back from Deleted: a restored bot is listed again.
  const bots = useLoad((signal) => listBots(orgId, signal), [orgId, view]);
  const retentionDays = useTrashRetentionDays(orgId);
  const [creating, setCreating] = useState(false);
  const canCreate = may(membership, 'bots', 'create');
  const items = bots.data?.items ?? [];

  const created = (bot: Bot) => {
    toast.success('Bot created', `${bot.name} is off until you turn it on.`);
    navigate(botPath(orgId, bot.id));
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Bots</h1>
          <p className="muted">Assistants that answer your contacts: who they are, what they aim for, what they know and what they may do.</p>
        </div>
        {canCreate && !creating && (
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            New bot
          </button>
        )}
      </div>
      {creating && <NewBotForm orgId={orgId} onCreated={created} onCancel={() => setCreating(false)} />}
      <section className="panel" aria-label="Bots">
        <TrashTabs label="Bots to show" view={view} onChange={setView} />
        <ErrorAlert message={bots.error?.message} />
        {view === 'deleted' ? (
          <DeletedBots orgId={orgId} canRestore={may(membership, 'bots', 'delete')} retentionDays={retentionDays} />
        ) : !bots.data ? (
          bots.loading && <Loading what="bots" />
        ) : items.length === 0 ? (
          <EmptyState title="No bots yet">{canCreate ? 'Create one, give it a persona and some knowledge, then try what it would read.' : 'A bot trainer or an administrator can create one.'}</EmptyState>
        ) : (
          <BotsTable orgId={orgId} items={items} />
        )}
      </section>
    </>
  );
}

function BotsTable({ orgId, items }: { orgId: string; items: Bot[] }) {
  return (
    <table className="table bots-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Mode</th>
          <th scope="col">Channels</th>
          <th scope="col" className="num">
            Documents
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((b) => (
          <tr key={b.id} data-testid={`bot-${b.id}`}>
            <td>
              <Link to={botPath(orgId, b.id)}>{b.name}</Link>
            </td>
            <td>
              <span className={`tag bot-mode bot-mode-${b.mode}`}>{MODES[b.mode].label}</span>
            </td>
            <td>{b.channels.length ? b.channels.map((c) => CHANNELS[c] ?? c).join(', ') : <span className="muted">none</span>}</td>
            <td className="num">{b.knowledgeDocuments}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
