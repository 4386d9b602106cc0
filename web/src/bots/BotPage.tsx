import { useState } from 'react';
import { type Bot, deleteBot, getBot } from '../api/bots';
import type { Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { may } from '../permissions';
import { Link, navigate } from '../router';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';
import { BotSettingsForm } from './BotSettingsForm';
import { KnowledgePanel } from './KnowledgePanel';
import { MODES, modelLabel } from './labels';
import { botsPath } from './paths';
import { RetrievalPanel } from './RetrievalPanel';
import './bots.css';

interface Props {
  orgId: string;
  membership: Membership;
  botId: string;
}

const TABS = [
  { id: 'settings', label: 'Settings' },
  { id: 'knowledge', label: 'Knowledge' },
  { id: 'retrieval', label: 'Test retrieval' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** `/orgs/:orgId/bots/:botId`: one bot's settings, its knowledge, and what it would retrieve. */
export function BotPage({ orgId, membership, botId }: Props) {
  const toast = useToast();
  const bot = useLoad((signal) => getBot(orgId, botId, signal), [orgId, botId]);
  const [tab, setTab] = useState<Tab>('settings');
  useTitle(bot.data?.name ?? 'Bot');

  const saved = (b: Bot) => {
    bot.setData(b);
    toast.success('Bot saved', b.name);
  };
  const remove = async () => {
    await deleteBot(orgId, botId);
    toast.success('Bot deleted', bot.data?.name);
    navigate(botsPath(orgId));
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to={botsPath(orgId)}>← Bots</Link>
      </p>
      {!bot.data ? (
        bot.error ? <ErrorAlert message={bot.error.message} /> : <Loading what="the bot" />
      ) : (
        <>
          <div className="page-head">
            <div>
              <h1>{bot.data.name}</h1>
              <p className="muted">
                <span className={`tag bot-mode bot-mode-${bot.data.mode}`}>{MODES[bot.data.mode].label}</span> <span data-testid="bot-model">{modelLabel(bot.data.model)}</span> ·{' '}
                {bot.data.knowledgeDocuments} document{bot.data.knowledgeDocuments === 1 ? '' : 's'}
              </p>
            </div>
            {may(membership, 'bots', 'delete') && (
              <ConfirmButton
                title="Delete bot"
                message={<p>“{bot.data.name}” is switched off and removed from the list. Its conversations and knowledge are kept for the retention period.</p>}
                confirmLabel="Delete"
                className="btn-danger-outline"
                onConfirm={remove}
              >
                Delete bot
              </ConfirmButton>
            )}
          </div>
          <div role="tablist" aria-label="Bot" className="bot-tabs">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`bot-tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`bot-panel-${t.id}`}
                className={tab === t.id ? 'bot-tab bot-tab-current' : 'bot-tab'}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <section className="panel" role="tabpanel" id={`bot-panel-${tab}`} aria-labelledby={`bot-tab-${tab}`}>
            {tab === 'settings' && (
              // Keyed by the saved version: a save starts the form from what the API stored.
              <BotSettingsForm key={bot.data.updatedAt} orgId={orgId} bot={bot.data} canEdit={may(membership, 'bots', 'update')} onSaved={saved} />
            )}
            {tab === 'knowledge' && (
              <KnowledgePanel orgId={orgId} botId={botId} canAdd={may(membership, 'bots', 'create')} canDelete={may(membership, 'bots', 'delete')} onChanged={bot.reload} />
            )}
            {tab === 'retrieval' && <RetrievalPanel orgId={orgId} botId={botId} />}
          </section>
        </>
      )}
    </>
  );
}
