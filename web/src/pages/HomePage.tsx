import { ErrorAlert, Loading } from '../components/Notices';
import { NewOrganizationForm } from '../components/NewOrganizationForm';
import { homePath, useMe } from '../me';
import { Redirect } from '../router';
import { AuthLayout } from './AuthLayout';

/** `/`: the first organization when signed in, the login page otherwise. */
export function HomePage() {
  const { signedIn, me, error } = useMe();
  if (!signedIn) return <Redirect to="/login" />;
  if (!me) {
    return <AuthLayout title="Flowline">{error ? <ErrorAlert message={error.message} /> : <Loading what="your organizations" />}</AuthLayout>;
  }
  if (me.memberships.length > 0) return <Redirect to={homePath(me)} />;
  // Everyone who signs up gets an organization; this is for those who since left or were removed.
  return (
    <AuthLayout title="Create an organization">
      <p>You are signed in as {me.user.email} and are not a member of any organization.</p>
      <NewOrganizationForm />
    </AuthLayout>
  );
}
