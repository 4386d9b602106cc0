import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlowDefinition } from '../../../flows/types';
import { updateWorkflow, type WorkflowDetail } from '../api/flows';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

const AUTOSAVE_DELAY_MS = 800;

/** The workflow builder's autosave: the draft goes to the workflow. */
export function useAutosave(orgId: string, workflowId: string, definition: FlowDefinition, enabled: boolean, initial: FlowDefinition, onSaved: (w: WorkflowDetail) => void) {
  const save = useCallback(async (def: FlowDefinition) => onSaved(await updateWorkflow(orgId, workflowId, { definition: def })), [orgId, workflowId, onSaved]);
  return useDraftAutosave(definition, enabled, initial, save);
}

/**
 * Saves the draft a moment after the last change. Saves run one at a time, newest graph each
 * time, so a slow save never overwrites a newer one; `flush()` saves now (before a run or publish).
 */
export function useDraftAutosave(definition: FlowDefinition, enabled: boolean, initial: FlowDefinition, save: (def: FlowDefinition) => Promise<void>) {
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<Error>();
  const savedJson = useRef(JSON.stringify(initial));
  const latest = useRef(definition);
  latest.current = definition;
  const chain = useRef<Promise<void>>(Promise.resolve());
  const saveRef = useRef(save);
  saveRef.current = save;

  const saveNow = useCallback((): Promise<void> => {
    chain.current = chain.current.then(async () => {
      const def = latest.current;
      const json = JSON.stringify(def);
      if (json === savedJson.current) {
        setState('saved');
        return;
      }
      setState('saving');
      try {
        await saveRef.current(def);
        savedJson.current = json;
        setError(undefined);
        setState(JSON.stringify(latest.current) === json ? 'saved' : 'dirty');
      } catch (e) {
        setError(e instanceof Error ? e : new Error(String(e)));
        setState('error');
        throw e;
      }
    });
    return chain.current;
  }, []);

  useEffect(() => {
    if (!enabled) return;
    if (JSON.stringify(definition) === savedJson.current) return;
    setState('dirty');
    const timer = setTimeout(() => void saveNow().catch(() => undefined), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [definition, enabled, saveNow]);

  // Leaving with unsaved changes: the browser asks first.
  useEffect(() => {
    if (state === 'saved') return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [state]);

  return { state, error, flush: saveNow };
}
