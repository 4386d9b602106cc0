import { type DependencyList, useEffect, useRef, useState } from 'react';
import type { Page } from './api/types';

interface PagedState<T> {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  error: Error | undefined;
}

/** A keyset-paginated list: the first page whenever deps change, then "load more" appends. */
export function usePaged<T>(fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, deps: DependencyList) {
  const [state, setState] = useState<PagedState<T>>({ items: [], nextCursor: null, loading: true, error: undefined });
  const [version, setVersion] = useState(0);
  // Aborting it drops a "load more" that belongs to a list the deps have since replaced.
  const current = useRef<AbortController>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    current.current = controller;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    fetchPage(undefined, controller.signal).then(
      (page) => !controller.signal.aborted && setState({ items: page.items, nextCursor: page.nextCursor, loading: false, error: undefined }),
      (e: unknown) => !controller.signal.aborted && setState((s) => ({ ...s, loading: false, error: asError(e) })),
    );
    return () => controller.abort();
    // The caller's deps decide when to start over; `fetchPage` is a new closure on every render.
  }, [...deps, version]);

  const loadMore = () => {
    const controller = current.current;
    if (!state.nextCursor || !controller) return;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    fetchPage(state.nextCursor, controller.signal).then(
      (page) =>
        !controller.signal.aborted &&
        setState((s) => ({ items: [...s.items, ...page.items], nextCursor: page.nextCursor, loading: false, error: undefined })),
      (e: unknown) => !controller.signal.aborted && setState((s) => ({ ...s, loading: false, error: asError(e) })),
    );
  };

  return { ...state, loadMore, reload: () => setVersion((v) => v + 1) };
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
