import { useState } from 'react';
import { type Bot, createBot } from '../api/bots';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { useSubmit } from '../use-submit';

interface Props {
  orgId: string;
  onCreated: (bot: Bot) => void;
  onCancel: () => void;
}

/** A bot starts with a name: the API gives it the rest (mode off) and the editor takes over. */
export function NewBotForm({ orgId, onCreated, onCancel }: Props) {
  const [name, setName] = useState('');
  const form = useSubmit(['name'], async () => {
    onCreated(await createBot(orgId, { name }));
  });

  return (
    <form className="form panel" onSubmit={form.onSubmit} noValidate aria-labelledby="new-bot-heading">
      <h2 id="new-bot-heading">New bot</h2>
      <ErrorAlert message={form.error} />
      <TextField
        label="Name"
        name="name"
        required
        autoComplete="off"
        autoFocus
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={form.fieldErrors.name}
        hint="It starts switched off: turn it on once it knows enough."
      />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={form.busy}>
          Create bot
        </button>
      </div>
    </form>
  );
}
