/*
 * Text logic of expression inputs: the `{{ … }}` segments to highlight, and autocomplete of
 * scope paths ("trigger.body.name") while the caret is inside a `{{ … }}`.
 */

export interface Segment {
  text: string;
  expression: boolean;
}

/** The text cut into plain and `{{ … }}` parts (an unclosed `{{` runs to the end). */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const match of text.matchAll(/\{\{[\s\S]*?(?:\}\}|$)/g)) {
    if (match.index > at) out.push({ text: text.slice(at, match.index), expression: false });
    out.push({ text: match[0], expression: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), expression: false });
  return out;
}

export interface CompletionContext {
  /** Where the path being typed starts (it ends at the caret). */
  from: number;
  query: string;
}

/** The path being typed when the caret is inside an open `{{`, else null. */
export function completionAt(text: string, caret: number): CompletionContext | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.includes('}}', open + 2)) return null;
  const query = /[\w$.`-]*$/.exec(before.slice(open + 2))?.[0] ?? '';
  return { from: caret - query.length, query };
}

/** Suggestions for what is typed: those starting with it first, then those containing it. */
export function matchSuggestions(suggestions: readonly string[], query: string, limit = 12): string[] {
  const q = query.toLowerCase();
  const starts = suggestions.filter((s) => s.toLowerCase().startsWith(q) && s !== query);
  const contains = q === '' ? [] : suggestions.filter((s) => !s.toLowerCase().startsWith(q) && s.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** The text with the typed path replaced by `choice`, closing the `{{` when nothing closes it. */
export function applyCompletion(text: string, context: CompletionContext, caret: number, choice: string): { text: string; caret: number } {
  const after = text.slice(caret);
  const close = after.indexOf('}}');
  const nextOpen = after.indexOf('{{');
  const closed = close >= 0 && (nextOpen < 0 || close < nextOpen);
  const insert = closed ? choice : `${choice} }}`;
  return { text: text.slice(0, context.from) + insert + after, caret: context.from + choice.length };
}
