import { useState } from 'react';

/** Copies text to the clipboard; says so, or says to copy by hand where the browser refuses. */
export function CopyButton({ text, label = 'Copy link' }: { text: string; label?: string }) {
  const [result, setResult] = useState<'copied' | 'failed'>();
  const copy = () => {
    // The Clipboard API exists only in secure contexts (https, localhost).
    if (!navigator.clipboard) return setResult('failed');
    navigator.clipboard.writeText(text).then(
      () => setResult('copied'),
      () => setResult('failed'),
    );
  };
  return (
    <>
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span role="status" className="muted">
        {result === 'copied' ? 'Copied' : result === 'failed' ? 'Select the link and copy it' : ''}
      </span>
    </>
  );
}
