import { lazy, Suspense, useState } from 'react';
import { type Bot, deleteBot, getBot } from '../api/bots';
import type { Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { restorableFor, useTrashRetentionDays } from '../components/trash';
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
import { ConversationsPanel } from './ConversationsPanel';
import { SimulatorPanel } from './SimulatorPanel';
import { StatsPanel } from './StatsPanel';
import { WidgetPanel } from './WidgetPanel';
import './bots.css';

// The graph editor brings the workflow canvas: loaded when its tab is first opened.
const BotGraphTab = lazy(() => import('./BotGraphTab').then((m) => ({ default: m.BotGraphTab })));

interface Props {
  orgId: string;
  membership: Membership;
  botId: string;
}

const TABS = [
  { id: 'settings', label: 'Settings' },
  { id: 'graph', label: 'Graph' },
  { id: 'knowledge', label: 'Knowledge' },
  { id: 'retrieval', label: 'Test retrieval' },
  { id: 'simulator', label: 'Simulator' },
  { id: 'conversations', label: 'Conversations' },
  { id: 'stats', label: 'Stats' },
  { id: 'widget', label: 'Web widget' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** `/orgs/:orgId/bots/:botId`: one bot's settings, its knowledge, and what it would retrieve. */
export function BotPage({ orgId, membership, botId }: Props) {
  const toast = useToast();
  const bot = useLoad((signal) => getBot(orgId, botId, signal), [orgId, botId]);
  const [tab, setTab] = useState<Tab>('settings');
  const [opened, setOpened] = useState<Tab[]>(['settings']);
  const open = (t: Tab) => {
    setTab(t);
    setOpened((o) => (o.includes(t) ? o : [...o, t]));
  };
  useTitle(bot.data?.name ?? 'Bot');
  const retentionDays = useTrashRetentionDays(orgId);
  // Chatting writes to a conversation; reading them needs conversations:read.
  const tabs = TABS.filter((t) => (t.id === 'simulator' ? may(membership, 'conversations', 'update') : t.id === 'conversations' || t.id === 'stats' ? may(membership, 'conversations', 'read') : true));

  const saved = (b: Bot) => {
    bot.setData(b);
    toast.success('Bot saved', b.name);
  };
  const remove = async () => {
    await deleteBot(orgId, botId);
    toast.success('Bot deleted', bot.data?.name);
    navigate(botsPath(orgId));
  };

  const current = bot.data;

  return (
    <>
      <p className="breadcrumb">
        <Link to={botsPath(orgId)}>← Bots</Link>
      </p>
      {!current ? (
        bot.error ? <ErrorAlert message={bot.error.message} /> : <Loading what="the bot" />
      ) : (
        <>
          <div className="page-head">
            <div>
              <h1>{current.name}</h1>
              <p className="muted">
                <span className={`tag bot-mode bot-mode-${current.mode}`}>{MODES[current.mode].label}</span> <span data-testid="bot-model">{modelLabel(current.model)}</span> ·{' '}
                {current.knowledgeDocuments} document{current.knowledgeDocuments === 1 ? '' : 's'}
              </p>
            </div>
            {may(membership, 'bots', 'delete') && (
              <ConfirmButton
                title="Delete bot"
                message={
                  <p>
                    “{current.name}” is switched off and moves to Deleted with its conversations and knowledge. {restorableFor(retentionDays)}
                  </p>
                }
                confirmLabel="Delete"
                className="btn-danger-outline"
                onConfirm={remove}
              >
                Delete bot
              </ConfirmButton>
            )}
          </div>
          <div role="tablist" aria-label="Bot" className="bot-tabs">
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`bot-tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`bot-panel-${t.id}`}
                className={tab === t.id ? 'bot-tab bot-tab-current' : 'bot-tab'}
                onClick={() => open(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          {/* A tab stays mounted once opened: switching tabs keeps unsaved settings and search results. */}
          {tabs.filter((t) => opened.includes(t.id)).map((t) => (
            <section key={t.id} className="panel" role="tabpanel" id={`bot-panel-${t.id}`} aria-labelledby={`bot-tab-${t.id}`} hidden={tab !== t.id}>
              {t.id === 'settings' && (
                // Keyed by the saved version: a save starts the form from what the API stored.
                <BotSettingsForm key={current.updatedAt} orgId={orgId} bot={current} canEdit={may(membership, 'bots', 'update')} onSaved={saved} />
              )}
              {t.id === 'graph' && (
                <Suspense fallback={<Loading what="the graph editor" />}>
                  <BotGraphTab orgId={orgId} botId={botId} goalIds={current.goals.map((g) => g.id)} canEdit={may(membership, 'bots', 'update')} />
                </Suspense>
              )}
              {t.id === 'knowledge' && (
                <KnowledgePanel orgId={orgId} botId={botId} canAdd={may(membership, 'bots', 'create')} canDelete={may(membership, 'bots', 'delete')} onChanged={bot.reload} />
              )}
              {t.id === 'retrieval' && <RetrievalPanel orgId={orgId} botId={botId} />}
              {t.id === 'simulator' && <SimulatorPanel orgId={orgId} botId={botId} botModel={current.model} />}
              {t.id === 'conversations' && <ConversationsPanel orgId={orgId} botId={botId} botModel={current.model} />}
              {t.id === 'stats' && <StatsPanel orgId={orgId} botId={botId} />}
              {t.id === 'widget' && <WidgetPanel orgId={orgId} botId={botId} canEdit={may(membership, 'bots', 'update')} mode={current.mode} />}
            </section>
          ))}
        </>
      )}
    </>
  );
}
