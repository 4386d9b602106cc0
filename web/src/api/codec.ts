import { getSession } from './session';

/**
 * Opens a codec session (POST /api/v1/codec/session): the API keeps the current access token in
 * an HttpOnly cookie that only its codec endpoint reads, so the Temporal UI, calling that endpoint
 * with "include cross-origin credentials", can show this person's payloads decoded. Best effort
 * and silent: signed out (the status page) or refused, the Temporal UI still opens, encrypted.
 */
export async function openCodecSession(): Promise<boolean> {
  const session = getSession();
  if (!session || session.expiresAt < Date.now() / 1000) return false;
  const res = await fetch('/api/v1/codec/session', { method: 'POST', headers: { authorization: `Bearer ${session.accessToken}` } }).catch(() => null);
  return Boolean(res?.ok);
}
