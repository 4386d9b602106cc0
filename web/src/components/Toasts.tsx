import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/problem';
import './components.css';

type Tone = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  tone: Tone;
  title: string;
  detail?: string;
  fields?: string[];
}

export interface Toaster {
  success: (title: string, detail?: string) => void;
  info: (title: string, detail?: string) => void;
  /** A failed action: an ApiError shows the server's problem detail and field problems. */
  error: (error: unknown, title?: string) => void;
}

const ToastContext = createContext<Toaster | undefined>(undefined);
// Errors stay until dismissed (they may need reading); good news goes away by itself.
const AUTO_DISMISS_MS = 5000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = ++next.current;
      setToasts((all) => [...all.slice(-4), { ...toast, id }]);
      if (toast.tone !== 'error') setTimeout(() => dismiss(id), AUTO_DISMISS_MS);
    },
    [dismiss],
  );

  const toaster = useMemo<Toaster>(
    () => ({
      success: (title, detail) => push({ tone: 'success', title, detail }),
      info: (title, detail) => push({ tone: 'info', title, detail }),
      error: (error, title) => push(describe(error, title)),
    }),
    [push],
  );

  return (
    <ToastContext value={toaster}>
      {children}
      <div className="toasts" aria-label="Notifications" role="region">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'} data-testid="toast">
            <div className="toast-body">
              <strong>{t.title}</strong>
              {t.detail && <p>{t.detail}</p>}
              {t.fields && t.fields.length > 0 && (
                <ul>
                  {t.fields.map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              )}
            </div>
            <button type="button" className="toast-close" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}

function describe(error: unknown, title?: string): Omit<Toast, 'id'> {
  if (error instanceof ApiError) {
    const { problem } = error;
    return {
      tone: 'error',
      title: title ?? problem.title,
      // With a caller's title, the server's own title still says what went wrong.
      detail: problem.detail ?? (title ? problem.title : undefined),
      fields: (problem.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)),
    };
  }
  return { tone: 'error', title: title ?? 'Something went wrong', detail: error instanceof Error ? error.message : String(error) };
}

export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToast needs a ToastProvider above it');
  return toaster;
}
