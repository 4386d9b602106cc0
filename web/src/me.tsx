import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { fetchMe } from './api/auth';
import { hasSession, subscribeSession } from './api/session';
import type { Me } from './api/types';

interface MeState {
  signedIn: boolean;
  /** The signed-in user and their active memberships; undefined while loading or signed out. */
  me: Me | undefined;
  error: Error | undefined;
  /** Fetch GET /me again: after signing in, joining or creating an organization, a role change. */
  reload: () => Promise<Me | undefined>;
}

const MeContext = createContext<MeState | undefined>(undefined);

export function MeProvider({ children }: { children: ReactNode }) {
  const signedIn = useSyncExternalStore(subscribeSession, hasSession);
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<Error>();
  const latest = useRef(0);

  const reload = useCallback(async () => {
    // Only the newest call may set state: an older answer can be about the previous user.
    const call = ++latest.current;
    try {
      const fresh = await fetchMe();
      if (call === latest.current) {
        setMe(fresh);
        setError(undefined);
      }
      return fresh;
    } catch (e) {
      if (call === latest.current) setError(e instanceof Error ? e : new Error(String(e)));
      return undefined;
    }
  }, []);

  useEffect(() => {
    if (signedIn) {
      void reload();
    } else {
      latest.current++;
      setMe(undefined);
      setError(undefined);
    }
  }, [signedIn, reload]);

  return <MeContext value={{ signedIn, me: signedIn ? me : undefined, error, reload }}>{children}</MeContext>;
}

export function useMe(): MeState {
  const state = useContext(MeContext);
  if (!state) throw new Error('useMe needs a MeProvider above it');
  return state;
}

/** Where a signed-in user starts: their first organization's settings. */
export function homePath(me: Me | undefined): string {
  const first = me?.memberships[0];
  return first ? `/orgs/${first.organizationId}/settings` : '/';
}
