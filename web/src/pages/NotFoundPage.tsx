import { Link } from '../router';
import { AuthLayout } from './AuthLayout';

export function NotFoundPage() {
  return (
    <AuthLayout title="Page not found">
      <p>
        There is nothing at this address. <Link to="/">Go to the start page</Link>
      </p>
    </AuthLayout>
  );
}
