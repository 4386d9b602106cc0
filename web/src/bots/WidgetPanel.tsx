import type { BotMode } from '../api/bots';
import { MODES } from './labels';
import { useState } from 'react';
import { embedSnippet, getWidget, rotateWidgetKey, updateWidget, type WidgetSettings } from '../api/bot-widget';
import { ConfirmButton } from '../components/ConfirmButton';
import { CopyButton } from '../components/CopyButton';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { useLoad } from '../use-load';
import { useSubmit } from '../use-submit';
import { TextAreaField } from './controls';

/**
 * The bot's web-chat widget for the organization's own website: on or off, the sites allowed to
 * embed it, and the snippet to paste into their pages. Visitors chat with the bot on the `web`
 * channel; their conversations show in the Conversations tab.
 */
export function WidgetPanel({ orgId, botId, canEdit, mode }: { orgId: string; botId: string; canEdit: boolean; mode: BotMode }) {
  const toast = useToast();
  const loaded = useLoad((signal) => getWidget(orgId, botId, signal), [orgId, botId]);
  if (!loaded.data) return loaded.error ? <ErrorAlert message={loaded.error.message} /> : <Loading what="the widget" />;
  const saved = (w: WidgetSettings, what: string) => {
    loaded.setData(w);
    toast.success(what);
  };
  // Keyed by what the API stored: a save starts the form again from it.
  return (
    <>
      {mode !== 'auto' && (
        <p className="muted" data-testid="widget-mode-note">
          The bot is in {MODES[mode].label} mode: visitors get {mode === 'suggest' ? 'drafted replies only after a person sends them' : 'no reply'} until its mode is Automatic (Settings).
        </p>
      )}
      <WidgetForm key={JSON.stringify(loaded.data)} orgId={orgId} botId={botId} settings={loaded.data} canEdit={canEdit} onSaved={saved} />
    </>
  );
}

function WidgetForm(props: { orgId: string; botId: string; settings: WidgetSettings; canEdit: boolean; onSaved: (w: WidgetSettings, what: string) => void }) {
  const { orgId, botId, settings, canEdit, onSaved } = props;
  const [enabled, setEnabled] = useState(settings.enabled);
  const [origins, setOrigins] = useState(settings.allowedOrigins.join('\n'));
  const originList = () => origins.split(/\s+/).map((o) => o.trim()).filter(Boolean);

  const form = useSubmit(['allowedOrigins'], async () => {
    onSaved(await updateWidget(orgId, botId, { enabled, allowedOrigins: originList() }), 'Widget saved');
  });
  // Field errors name one origin ("allowedOrigins.1"): shown on the list as a whole.
  const originError = form.fieldErrors.allowedOrigins ?? (form.error?.includes('allowedOrigins.') ? form.error : undefined);
  const appOrigin = window.location.origin;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: '0.75rem' }}>
      <form className="form" aria-label="Web chat widget" onSubmit={form.onSubmit} noValidate>
        {!originError && <ErrorAlert message={form.error} />}
        <label className="bot-choice">
          <input type="checkbox" name="enabled" checked={enabled} disabled={!canEdit} onChange={(e) => setEnabled(e.target.checked)} />
          Chat widget on (site visitors can chat with this bot)
        </label>
        <TextAreaField
          label="Allowed sites"
          name="allowedOrigins"
          rows={3}
          placeholder="https://www.example.com"
          value={origins}
          disabled={!canEdit}
          onChange={(e) => setOrigins(e.target.value)}
          error={originError}
          hint="One origin per line (https://host, no path). Only these sites may embed the widget; the API answers browsers from these origins only."
        />
        {canEdit && (
          <div className="actions">
            <button type="submit" className="btn-primary" disabled={form.busy}>
              {form.busy ? 'Saving…' : 'Save widget'}
            </button>
          </div>
        )}
      </form>
      {settings.key && (
        <div data-testid="widget-embed" style={{ display: 'flex', flexDirection: 'column', gap: '0.5rem' }}>
          <h3>Embed on your site</h3>
          {!settings.enabled && <p className="muted">The widget is off: the snippet shows nothing until you turn it on.</p>}
          <pre className="bot-small" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            <code data-testid="widget-snippet">{embedSnippet(appOrigin, settings.key)}</code>
          </pre>
          <div className="actions">
            <CopyButton text={embedSnippet(appOrigin, settings.key)} label="Copy snippet" />
            <a href={`${appOrigin}/widget/${settings.key}`} target="_blank" rel="noreferrer">
              Open the widget
            </a>
            {canEdit && (
              <ConfirmButton
                title="Rotate widget key"
                message={<p>The snippet on your sites stops working until you paste the new one, and current visitors start a new chat.</p>}
                confirmLabel="Rotate key"
                className="btn-danger-outline"
                onConfirm={async () => onSaved(await rotateWidgetKey(orgId, botId), 'Widget key rotated')}
              >
                Rotate key
              </ConfirmButton>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
