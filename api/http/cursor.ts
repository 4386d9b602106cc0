import { z } from 'zod';
import { HttpError } from './errors';

// Keyset pagination: the cursor is the sort key and id of the last row returned, opaque to
// callers (base64url JSON), so pages stay stable while rows are added.
const cursorSchema = z.object({ k: z.string().max(300), id: z.uuid() });
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(422, 'Invalid cursor', [{ path: 'query.cursor', message: 'Use the nextCursor of a previous page' }]);
  }
}

/** Cuts the extra row fetched to learn whether another page exists. */
export function page<T extends { id: string }>(rows: T[], limit: number, key: (row: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ k: key(last), id: last.id }) : null };
}

/** An ILIKE pattern that finds `text` anywhere, its own % and _ taken literally. */
export function containsPattern(text: string | undefined): string | undefined {
  return text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
}
