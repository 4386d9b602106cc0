import { type FormEvent, useState } from 'react';
import { ApiError } from './api/problem';

/** A problem found before asking the server, reported like the server's own field errors. */
export class InputError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('Check the highlighted fields.');
  }
}

/**
 * Runs a form's action and sorts its failure: errors on the fields the form shows go next to
 * them, everything else (and the summary) to the form's alert.
 */
export function useSubmit(fields: readonly string[], action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();

  const run = async () => {
    setBusy(true);
    setFieldErrors({});
    setError(undefined);
    try {
      await action();
    } catch (e) {
      const byPath = e instanceof ApiError ? e.fieldErrors() : e instanceof InputError ? e.fields : {};
      const shown = Object.fromEntries(Object.entries(byPath).filter(([path]) => fields.includes(path)));
      const others = Object.entries(byPath)
        .filter(([path]) => !fields.includes(path))
        .map(([path, message]) => `${path}: ${message}`);
      setFieldErrors(shown);
      // The server's summary of a validation failure ("Invalid body") says less than the fields do.
      const summary = Object.keys(shown).length > 0 ? 'Check the fields marked below.' : e instanceof Error ? e.message : String(e);
      setError([summary, ...others].join(' '));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };

  return { busy, fieldErrors, error, run, onSubmit };
}
