/** "Load more" under a paged list (see use-paged.ts): shown while the API says there is more. */
export function LoadMore({ list }: { list: { nextCursor: string | null; loading: boolean; loadMore: () => void } }) {
  if (!list.nextCursor) return null;
  return (
    <p>
      <button type="button" onClick={list.loadMore} disabled={list.loading}>
        Load more
      </button>
    </p>
  );
}
