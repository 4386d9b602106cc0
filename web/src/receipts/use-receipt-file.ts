import { useEffect, useState } from 'react';
import { fetchReceiptFile } from '../api/receipts';

export interface ReceiptFile {
  /** An object URL of the file, while the component that asked is mounted. */
  url?: string;
  error?: string;
}

/**
 * The receipt's file as an object URL: the file is behind the bearer token, so <img> and
 * <iframe> cannot load it by its API address. The URL is released when the component goes.
 */
export function useReceiptFile(orgId: string, receiptId: string, enabled = true): ReceiptFile {
  const [file, setFile] = useState<ReceiptFile>({});
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let url: string | undefined;
    fetchReceiptFile(orgId, receiptId, controller.signal).then(
      (blob) => {
        if (controller.signal.aborted) return;
        url = URL.createObjectURL(blob);
        setFile({ url });
      },
      (e: unknown) => !controller.signal.aborted && setFile({ error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [orgId, receiptId, enabled]);
  return file;
}
