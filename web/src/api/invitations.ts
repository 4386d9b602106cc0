import { api } from './client';
import { setSession } from './session';
import type { InvitationPreview, MembershipRef, SignedIn } from './types';

const base = (token: string) => `/invitations/${encodeURIComponent(token)}`;

/** What the invitation offers; readable without an account. */
export function previewInvitation(token: string, signal?: AbortSignal): Promise<InvitationPreview> {
  return api('GET', base(token), { auth: false, signal });
}

/** Accept as the signed-in user. */
export async function acceptInvitation(token: string): Promise<MembershipRef> {
  return (await api<{ membership: MembershipRef }>('POST', `${base(token)}/accept`, { body: {} })).membership;
}

/** Accept by creating the account the invitation is addressed to; signs it in. */
export async function acceptWithNewAccount(token: string, input: { fullName: string; password: string }): Promise<MembershipRef> {
  const result = await api<SignedIn & { membership: MembershipRef }>('POST', `${base(token)}/accept`, { body: input, auth: false });
  setSession(result.session);
  return result.membership;
}
