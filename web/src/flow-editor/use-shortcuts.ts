import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  enabled: boolean;
  undo?: () => void;
  redo?: () => void;
  copy?: () => void;
  cut?: () => void;
  paste?: () => void;
  duplicate?: () => void;
  selectAll?: () => void;
  save?: () => void;
  fit?: () => void;
  layout?: () => void;
  escape?: () => void;
}

/** The editor's keys, listed for people in SHORTCUTS (shown by the "Keyboard shortcuts" button). */
export const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ Z', 'Undo'],
  ['Ctrl/⌘ Shift Z, Ctrl Y', 'Redo'],
  ['Ctrl/⌘ C / X / V', 'Copy, cut, paste nodes'],
  ['Ctrl/⌘ D', 'Duplicate the selection'],
  ['Ctrl/⌘ A', 'Select every node'],
  ['Ctrl/⌘ S', 'Save now'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Shift F', 'Zoom to fit'],
  ['Shift L', 'Tidy up (auto-layout)'],
  ['Shift-click, Shift-drag', 'Select several nodes'],
  ['Escape', 'Clear the selection'],
];

/** Typing in a field keeps its own keys (Ctrl Z there undoes text, not the graph). */
function inField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      if (!a.enabled || inField(e.target) || document.querySelector('dialog[open]')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const run = (fn: (() => void) | undefined) => {
        if (!fn) return;
        e.preventDefault();
        fn();
      };
      if (mod && key === 'z') return run(e.shiftKey ? a.redo : a.undo);
      if (mod && key === 'y') return run(a.redo);
      if (mod && key === 'c') return run(a.copy);
      if (mod && key === 'x') return run(a.cut);
      if (mod && key === 'v') return run(a.paste);
      if (mod && key === 'd') return run(a.duplicate);
      if (mod && key === 'a') return run(a.selectAll);
      if (mod && key === 's') return run(a.save);
      if (!mod && e.shiftKey && key === 'f') return run(a.fit);
      if (!mod && e.shiftKey && key === 'l') return run(a.layout);
      if (key === 'escape') return run(a.escape);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
