import { useState } from 'react';
import { type Parsed, sameJson } from './values';

/**
 * The text of an input whose text may not mean a value yet (JSON being typed, "200, 2"):
 * the text is kept as typed, its value is emitted whenever it parses, and it is replaced only
 * when the value changes from outside to something the text does not mean.
 */
export function useDraft(value: unknown, format: (value: unknown) => string, parse: (text: string) => Parsed<unknown>, onChange: (next: unknown) => void) {
  const [state, setState] = useState(() => ({ text: format(value), seen: value }));
  let text = state.text;
  if (!Object.is(state.seen, value)) {
    const parsed = parse(state.text);
    if (!(parsed.ok && sameJson(parsed.value, value))) text = format(value);
    setState({ text, seen: value });
  }
  const parsed = parse(text);
  return {
    text,
    error: parsed.ok ? undefined : parsed.error,
    setText(next: string) {
      setState({ text: next, seen: value });
      const result = parse(next);
      if (result.ok) onChange(result.value);
    },
  };
}
