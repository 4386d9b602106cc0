import { useState } from 'react';
import { type Bot, updateBot } from '../api/bots';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { useSubmit } from '../use-submit';
import { type BotDraft, settingsFieldPaths, toDraft, toFields } from './bot-draft';
import { CheckboxGroup, RadioGroup, TextAreaField } from './controls';
import { GoalsEditor } from './GoalsEditor';
import { CHANNELS, MODES, PLATFORM_MODEL, TOOLS } from './labels';

interface Props {
  orgId: string;
  bot: Bot;
  canEdit: boolean;
  onSaved: (bot: Bot) => void;
}

/** Everything a bot is, in one form; a viewer sees it with every control disabled. */
export function BotSettingsForm({ orgId, bot, canEdit, onSaved }: Props) {
  const [draft, setDraft] = useState<BotDraft>(() => toDraft(bot));
  const set = (changes: Partial<BotDraft>) => setDraft((d) => ({ ...d, ...changes }));
  const form = useSubmit(settingsFieldPaths(draft), async () => {
    onSaved(await updateBot(orgId, bot.id, toFields(draft)));
  });
  const err = form.fieldErrors;

  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Bot settings">
      <ErrorAlert message={form.error} />
      {!canEdit && <p className="muted">Your role can read this bot but not change it.</p>}
      <fieldset className="bare" disabled={!canEdit}>
        <div className="grid-2">
          <TextField label="Name" name="name" required autoComplete="off" value={draft.name} onChange={(e) => set({ name: e.target.value })} error={err.name} />
          <TextField
            label="Model"
            name="model"
            autoComplete="off"
            placeholder="Platform default"
            value={draft.model}
            onChange={(e) => set({ model: e.target.value })}
            error={err.model}
            hint={draft.model.trim() === '' ? `${PLATFORM_MODEL}.` : 'Leave empty for the platform default model.'}
          />
        </div>
        <RadioGroup legend="Mode" name="mode" options={MODES} value={draft.mode} onChange={(mode) => set({ mode })} error={err.mode} />
        <CheckboxGroup legend="Channels" name="channels" options={CHANNELS} selected={draft.channels} onChange={(channels) => set({ channels })} error={err.channels} hint="Where the bot answers." />
        <TextAreaField label="Persona" name="persona" rows={3} value={draft.persona} onChange={(e) => set({ persona: e.target.value })} error={err.persona} hint="Who the bot is and how it speaks." />
        <TextAreaField
          label="Instructions"
          name="instructions"
          rows={6}
          value={draft.instructions}
          onChange={(e) => set({ instructions: e.target.value })}
          error={err.instructions}
          hint="What it must and must not do. Facts belong in the knowledge base."
        />
        <GoalsEditor goals={draft.goals} errors={err} onChange={(goals) => set({ goals })} />
        <fieldset className="bot-fieldset">
          <legend>Guardrails</legend>
          <div className="grid-2">
            <TextField
              label="Max tool calls per turn"
              name="guardrails.maxToolCallsPerTurn"
              inputMode="numeric"
              value={draft.maxToolCallsPerTurn}
              onChange={(e) => set({ maxToolCallsPerTurn: e.target.value })}
              error={err['guardrails.maxToolCallsPerTurn']}
              hint="0 to 20."
            />
          </div>
          <TextAreaField
            label="Fallback message"
            name="guardrails.fallbackMessage"
            rows={2}
            value={draft.fallbackMessage}
            onChange={(e) => set({ fallbackMessage: e.target.value })}
            error={err['guardrails.fallbackMessage']}
            hint="Sent when the bot cannot answer within its guardrails."
          />
          <CheckboxGroup legend="Allowed tools" name="guardrails.allowedTools" options={TOOLS} selected={draft.allowedTools} onChange={(allowedTools) => set({ allowedTools })} error={err['guardrails.allowedTools']} />
        </fieldset>
        <fieldset className="bot-fieldset">
          <legend>Booking</legend>
          <TextField
            label="Booking calendar"
            name="calendarId"
            autoComplete="off"
            placeholder="GoHighLevel calendar id"
            value={draft.calendarId}
            onChange={(e) => set({ calendarId: e.target.value })}
            error={err.calendarId}
            hint="The calendar the booking tools use (finding free slots, booking). Leave empty and the bot cannot book."
          />
        </fieldset>
        <fieldset className="bot-fieldset">
          <legend>Timing</legend>
          <div className="grid-2">
            <TextField
              label="Reply debounce (seconds)"
              name="replyDebounceMs"
              inputMode="decimal"
              value={draft.replyDebounceSeconds}
              onChange={(e) => set({ replyDebounceSeconds: e.target.value })}
              error={err.replyDebounceMs}
              hint="Wait this long after a contact's last message, so several messages get one reply."
            />
            <TextField
              label="Max automatic messages"
              name="maxAutoMessages"
              inputMode="numeric"
              value={draft.maxAutoMessages}
              onChange={(e) => set({ maxAutoMessages: e.target.value })}
              error={err.maxAutoMessages}
              hint="Per conversation; then a person takes over."
            />
            <TextField
              label="Idle timeout (hours)"
              name="idleTimeoutSeconds"
              inputMode="decimal"
              value={draft.idleTimeoutHours}
              onChange={(e) => set({ idleTimeoutHours: e.target.value })}
              error={err.idleTimeoutSeconds}
              hint="A conversation with no message for this long ends."
            />
          </div>
          <label className="bot-choice">
            <input type="checkbox" name="sleepOnHumanReply" checked={draft.sleepOnHumanReply} onChange={(e) => set({ sleepOnHumanReply: e.target.checked })} />
            Sleep when a person replies (the bot steps back from that conversation)
          </label>
        </fieldset>
      </fieldset>
      {canEdit && (
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={form.busy}>
            Save bot
          </button>
        </div>
      )}
    </form>
  );
}
