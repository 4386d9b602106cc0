import { api } from './client';
import { clearSession, getSession, setSession } from './session';
import type { Me, SignedIn } from './types';

export interface SignupInput {
  email: string;
  password: string;
  fullName: string;
  organizationName: string;
}

export type SignedUp = SignedIn & { organization: { id: string; name: string; slug: string } };

export async function signUp(input: SignupInput): Promise<SignedUp> {
  const result = await api<SignedUp>('POST', '/auth/signup', { body: input, auth: false });
  setSession(result.session);
  return result;
}

export async function logIn(email: string, password: string): Promise<SignedIn> {
  const result = await api<SignedIn>('POST', '/auth/login', { body: { email, password }, auth: false });
  setSession(result.session);
  return result;
}

/** Forgets the session here at once; telling the server is best effort (it expires anyway). */
export async function logOut(): Promise<void> {
  const session = getSession();
  clearSession();
  if (session) await api('POST', '/auth/logout', { body: { refreshToken: session.refreshToken }, auth: false }).catch(() => undefined);
}

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return api<Me>('GET', '/me', { signal });
}
