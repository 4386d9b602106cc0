import { useState } from 'react';
import { getBotStats } from '../api/bots';
import { ErrorAlert, Loading } from '../components/Notices';
import { useLoad } from '../use-load';

/** The windows people pick from; "all time" sends no `days`. */
const WINDOWS = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 0, label: 'All time' },
] as const;

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** A bot's numbers over a window: its conversations by status, goals reached, handoffs, messages. */
export function StatsPanel({ orgId, botId }: { orgId: string; botId: string }) {
  const [days, setDays] = useState<number>(30);
  const stats = useLoad((signal) => getBotStats(orgId, botId, days || undefined, signal), [orgId, botId, days]);
  const s = stats.data;
  return (
    <>
      <div className="actions">
        <label>
          Period{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Period">
            {WINDOWS.map((w) => (
              <option key={w.days} value={w.days}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={stats.reload}>
          Refresh
        </button>
      </div>
      {!s ? (
        stats.error ? <ErrorAlert message={stats.error.message} /> : <Loading what="the numbers" />
      ) : (
        <>
          <dl className="bot-stats" aria-label="Bot numbers">
            <Stat label="Conversations" value={s.conversations.total} />
            <Stat label="Active" value={s.conversations.active} />
            <Stat label="With a person" value={s.conversations.handedOff} />
            <Stat label="Closed" value={s.conversations.closed} />
            <Stat label="Goal completion" value={percent(s.goals.completionRate)} hint={`${s.goals.completed} of ${s.conversations.total} conversations reached a goal`} />
            <Stat label="Handoffs" value={s.handoffs} hint="Conversations handed to a person at least once" />
            <Stat label="Messages" value={s.messages.total} hint={`${s.messages.contact} from contacts, ${s.messages.bot} from the bot, ${s.messages.human} from people`} />
          </dl>
          {s.goals.byGoal.length > 0 && (
            <table className="table" aria-label="Goals reached">
              <thead>
                <tr>
                  <th>Goal</th>
                  <th className="bot-num">Conversations that reached it</th>
                </tr>
              </thead>
              <tbody>
                {s.goals.byGoal.map((g) => (
                  <tr key={g.id}>
                    <td>{g.name ?? g.id}</td>
                    <td className="bot-num">{g.reached}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}

function Stat({ label, value, hint }: { label: string; value: number | string; hint?: string }) {
  return (
    <div className="bot-stat" title={hint}>
      <dt className="muted bot-small">{label}</dt>
      <dd data-testid={`stat-${label.toLowerCase().replace(/\s+/g, '-')}`}>{value}</dd>
      {hint && <dd className="muted bot-small">{hint}</dd>}
    </div>
  );
}
