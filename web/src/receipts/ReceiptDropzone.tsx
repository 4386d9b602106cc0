import { type DragEvent, useId, useRef, useState } from 'react';
import { formatBytes } from '../bots/labels';
import { ACCEPTED_RECEIPTS, MAX_RECEIPT_BYTES } from './receipt-file';

export interface Progress {
  sent: number;
  total: number;
}

interface Props {
  /** Uploading: no new file until this one is through. */
  busy: boolean;
  progress?: Progress;
  onFile: (file: File) => void;
  onCancel: () => void;
}

/**
 * Where a receipt is dropped, or chosen with the button (the keyboard's way in); shows the
 * upload's progress while it is sent.
 */
export function ReceiptDropzone({ busy, progress, onFile, onCancel }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const progressId = useId();
  const [dragging, setDragging] = useState(false);

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !busy) onFile(file);
  };

  return (
    <div
      className={`receipt-dropzone${dragging ? ' receipt-dropzone-active' : ''}`}
      data-testid="receipt-dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <p>
        Drop a receipt here (JPEG, PNG, WebP or PDF, up to {formatBytes(MAX_RECEIPT_BYTES)}), or{' '}
        <button type="button" onClick={() => input.current?.click()} disabled={busy}>
          Choose a file
        </button>
      </p>
      <input
        ref={input}
        type="file"
        className="receipt-file-input"
        accept={ACCEPTED_RECEIPTS}
        aria-label="Receipt file"
        tabIndex={-1}
        data-testid="receipt-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
      {busy && (
        <div className="receipt-progress">
          <label htmlFor={progressId}>Uploading</label>{' '}
          {/* Without a length yet the bar is indeterminate. */}
          <progress
            id={progressId}
            max={progress ? Math.max(progress.total, 1) : undefined}
            value={progress ? progress.sent : undefined}
            aria-valuetext={progress ? `${Math.round((progress.sent / Math.max(progress.total, 1)) * 100)}%` : undefined}
          />
          {progress && <span className="muted"> {Math.round((progress.sent / Math.max(progress.total, 1)) * 100)}%</span>}
          <button type="button" onClick={onCancel}>
            Cancel upload
          </button>
        </div>
      )}
    </div>
  );
}
