// The signed-in session, kept in localStorage so a reload (or a new tab) stays signed in.
export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'bearer';
  /** Seconds the access token lives. */
  expiresIn: number;
  /** Epoch seconds when the access token expires. */
  expiresAt: number;
}

const KEY = 'flowline.session';
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
// Signing in or out in another tab changes this tab's state too.
window.addEventListener('storage', (e) => {
  if (e.key === KEY || e.key === null) notify();
});

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.accessToken === 'string' && typeof v.refreshToken === 'string' && typeof v.expiresAt === 'number';
}

export function getSession(): Session | undefined {
  const raw = localStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function setSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
  notify();
}

export function clearSession(): void {
  if (!hasSession()) return;
  localStorage.removeItem(KEY);
  notify();
}

export function hasSession(): boolean {
  return getSession() !== undefined;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
