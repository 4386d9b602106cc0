import { useState } from 'react';
import { connectPrivateToken, type Integration } from '../api/integrations';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { useSubmit } from '../use-submit';

/** Connects a location with a Private Integration Token; the token is sealed on the server and never shown again. */
export function TokenForm({ orgId, onConnected }: { orgId: string; onConnected: (integration: Integration) => void }) {
  const [locationId, setLocationId] = useState('');
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [companyId, setCompanyId] = useState('');
  const form = useSubmit(['locationId', 'token', 'name', 'companyId'], async () => {
    const integration = await connectPrivateToken(orgId, {
      locationId: locationId.trim(),
      token: token.trim(),
      name: name.trim() || undefined,
      companyId: companyId.trim() || undefined,
    });
    setLocationId('');
    setToken('');
    setName('');
    setCompanyId('');
    onConnected(integration);
  });

  return (
    <form className="form" onSubmit={form.onSubmit} noValidate>
      <h3>With a token</h3>
      <ErrorAlert message={form.error} />
      <TextField
        label="Location ID"
        name="locationId"
        required
        autoComplete="off"
        spellCheck={false}
        value={locationId}
        onChange={(e) => setLocationId(e.target.value)}
        error={form.fieldErrors.locationId}
        hint="The sub-account’s id: in GHL, the part of the address after /v2/location/."
      />
      <TextField
        label="Private Integration Token"
        name="token"
        type="password"
        required
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        error={form.fieldErrors.token}
        hint="Stored encrypted; it is never shown again."
      />
      <TextField label="Name (optional)" name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={form.fieldErrors.name} />
      <TextField
        label="Company ID (optional)"
        name="companyId"
        autoComplete="off"
        spellCheck={false}
        value={companyId}
        onChange={(e) => setCompanyId(e.target.value)}
        error={form.fieldErrors.companyId}
        hint="The agency’s id (Agency settings → Company): needed to import the location’s users as your team."
      />
      <div className="actions">
        <button type="submit" className="btn-primary" disabled={form.busy}>
          {form.busy ? 'Connecting…' : 'Connect location'}
        </button>
      </div>
    </form>
  );
}
