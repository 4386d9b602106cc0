import { createContext, useContext } from 'react';

/** What every field of one form shares. */
export interface FormContextValue {
  idPrefix: string;
  readOnly: boolean;
  suggestions: readonly string[];
  problemsAt(path: string): readonly string[];
}

export const FormContext = createContext<FormContextValue>({
  idPrefix: 'config',
  readOnly: false,
  suggestions: [],
  problemsAt: () => [],
});

export function useForm(): FormContextValue {
  return useContext(FormContext);
}

/** A stable DOM id for a field path ("cases.0.handle") under the form's prefix. */
export function domId(idPrefix: string, path: string): string {
  return `${idPrefix}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
