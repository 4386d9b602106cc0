import { useState } from 'react';
import { createOrganization } from '../api/orgs';
import { useMe } from '../me';
import { navigate } from '../router';
import { useSubmit } from '../use-submit';
import { TextField } from './Field';
import { ErrorAlert } from './Notices';

/** Creates an organization owned by the signed-in user and opens its settings. */
export function NewOrganizationForm({ onCancel }: { onCancel?: () => void }) {
  const { reload } = useMe();
  const [name, setName] = useState('');
  const form = useSubmit(['name'], async () => {
    const org = await createOrganization(name);
    await reload();
    onCancel?.();
    setName('');
    navigate(`/orgs/${org.id}/settings`);
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate>
      <ErrorAlert message={form.error} />
      <TextField label="Organization name" name="name" required value={name} onChange={(e) => setName(e.target.value)} error={form.fieldErrors.name} />
      <div className="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="btn-primary" disabled={form.busy}>
          Create organization
        </button>
      </div>
    </form>
  );
}
