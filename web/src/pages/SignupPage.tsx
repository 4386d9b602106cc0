import { useState } from 'react';
import { signUp } from '../api/auth';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { useMe } from '../me';
import { Link, localPath, navigate, useLocation } from '../router';
import { useSubmit } from '../use-submit';
import { AuthLayout } from './AuthLayout';

const FIELDS = ['email', 'password', 'fullName', 'organizationName'] as const;
type Fields = Record<(typeof FIELDS)[number], string>;

export function SignupPage() {
  const next = localPath(useLocation().query.get('next'));
  const { reload } = useMe();
  const [values, setValues] = useState<Fields>({ email: '', password: '', fullName: '', organizationName: '' });
  const set = (key: keyof Fields) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));
  const form = useSubmit(FIELDS, async () => {
    const { organization } = await signUp(values);
    await reload();
    navigate(next ?? `/orgs/${organization.id}/settings`, { replace: true });
  });

  return (
    <AuthLayout title="Create your account">
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <ErrorAlert message={form.error} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required value={values.email} onChange={set('email')} error={form.fieldErrors.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          value={values.password}
          onChange={set('password')}
          error={form.fieldErrors.password}
        />
        <TextField label="Full name" name="fullName" autoComplete="name" required value={values.fullName} onChange={set('fullName')} error={form.fieldErrors.fullName} />
        <TextField
          label="Organization name"
          name="organizationName"
          autoComplete="organization"
          required
          value={values.organizationName}
          onChange={set('organizationName')}
          error={form.fieldErrors.organizationName}
        />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={form.busy}>
            Sign up
          </button>
        </div>
      </form>
      <p>
        Already have an account? <Link to={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>Log in</Link>
      </p>
    </AuthLayout>
  );
}
