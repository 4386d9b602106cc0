/*
 * A text area for strings that may hold `{{ … }}` expressions: the text is mirrored in a <pre>
 * behind a transparent textarea so the expressions show highlighted, and while the caret is
 * inside `{{ … }}` a listbox offers the scope paths (ARIA combobox: arrows move, Enter or Tab
 * accept, Escape closes).
 */
import { type KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { applyCompletion, completionAt, type CompletionContext, matchSuggestions, segments } from './expression-text';
import { useForm } from './form-context';

export interface ExpressionInputProps {
  id: string;
  value: string;
  onChange(text: string): void;
  multiline?: boolean;
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
  /** An accessible name when no <label> points at the input (cells of a row). */
  ariaLabel?: string;
}

interface Completion {
  context: CompletionContext;
  options: string[];
  active: number;
}

export function ExpressionInput({ id, value, onChange, multiline = false, placeholder, describedBy, invalid, ariaLabel }: ExpressionInputProps) {
  const { readOnly, suggestions } = useForm();
  const area = useRef<HTMLTextAreaElement>(null);
  const mirror = useRef<HTMLPreElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const listId = `${id}-suggestions`;

  useLayoutEffect(() => {
    if (pendingCaret.current !== null && area.current) {
      area.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  });

  function refresh(text: string, caret: number) {
    const context = readOnly ? null : completionAt(text, caret);
    const options = context ? matchSuggestions(suggestions, context.query) : [];
    setCompletion(context && options.length > 0 ? { context, options, active: 0 } : null);
  }

  function accept(choice: string) {
    const el = area.current;
    if (!el || !completion) return;
    const next = applyCompletion(el.value, completion.context, el.selectionStart, choice);
    pendingCaret.current = next.caret;
    setCompletion(null);
    onChange(next.text);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (completion) {
      const count = completion.options.length;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setCompletion({ ...completion, active: (completion.active + step + count) % count });
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        accept(completion.options[completion.active] as string);
        return;
      }
      if (event.key === 'Escape') {
        // Closes the list only, not a dialog the form sits in.
        event.preventDefault();
        event.stopPropagation();
        setCompletion(null);
        return;
      }
    } else if (event.key === 'ArrowDown' && (event.altKey || !multiline)) {
      const el = event.currentTarget;
      refresh(el.value, el.selectionStart);
    }
    if (event.key === 'Enter' && !multiline) event.preventDefault();
  }

  const open = completion !== null;
  const activeId = open ? `${listId}-${completion.active}` : undefined;
  return (
    <div className={`cf-expr${multiline ? ' cf-expr-multiline' : ''}`}>
      <pre ref={mirror} className="cf-expr-mirror" aria-hidden="true">
        {segments(value).map((s, i) =>
          s.expression ? (
            <span key={i} className="cf-expr-token">
              {s.text}
            </span>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
        {/* Keeps the mirror as tall as the textarea when the text ends with a newline. */}
        {'\u200b'}
      </pre>
      <textarea
        ref={area}
        id={id}
        className="cf-expr-input"
        value={value}
        rows={multiline ? 4 : 1}
        wrap={multiline ? 'soft' : 'off'}
        spellCheck={false}
        placeholder={placeholder}
        readOnly={readOnly}
        aria-label={ariaLabel}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-multiline={multiline}
        onChange={(event) => {
          const text = multiline ? event.target.value : event.target.value.replace(/\r?\n/g, ' ');
          onChange(text);
          refresh(text, event.target.selectionStart);
        }}
        onKeyUp={(event) => {
          if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') {
            refresh(event.currentTarget.value, event.currentTarget.selectionStart);
          }
        }}
        onClick={(event) => refresh(event.currentTarget.value, event.currentTarget.selectionStart)}
        onBlur={() => setCompletion(null)}
        onScroll={(event) => {
          if (mirror.current) {
            mirror.current.scrollTop = event.currentTarget.scrollTop;
            mirror.current.scrollLeft = event.currentTarget.scrollLeft;
          }
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" className="cf-suggestions" aria-label="Expression suggestions" hidden={!open}>
        {completion?.options.map((option, i) => (
          <li
            key={option}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === completion.active}
            className={i === completion.active ? 'cf-suggestion-active' : undefined}
            // mousedown would blur the textarea (closing the list) before the click lands.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => accept(option)}
          >
            {option}
          </li>
        ))}
      </ul>
    </div>
  );
}
