import { useState } from 'react';
import { logIn } from '../api/auth';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { homePath, useMe } from '../me';
import { Link, localPath, navigate, useLocation } from '../router';
import { useSubmit } from '../use-submit';
import { AuthLayout } from './AuthLayout';

export function LoginPage() {
  const next = localPath(useLocation().query.get('next'));
  const { reload } = useMe();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(['email', 'password'], async () => {
    await logIn(email, password);
    const me = await reload();
    navigate(next ?? homePath(me), { replace: true });
  });

  return (
    <AuthLayout title="Log in">
      {/* noValidate: the server's checks are the ones that count, and its messages show per field. */}
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <ErrorAlert message={form.error} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={form.fieldErrors.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.fieldErrors.password}
        />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={form.busy}>
            Log in
          </button>
        </div>
      </form>
      <p>
        No account yet? <Link to={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>Sign up</Link>
      </p>
    </AuthLayout>
  );
}
