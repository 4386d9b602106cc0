import type { Receipt } from '../api/receipts';
import { isPdf } from './receipt-file';
import { useReceiptFile } from './use-receipt-file';

/** A small picture of the receipt in a list; a PDF shows a badge (a browser draws no PDF thumbnail). */
export function ReceiptThumbnail({ orgId, receipt }: { orgId: string; receipt: Pick<Receipt, 'id' | 'contentType' | 'fileName'> }) {
  const pdf = isPdf(receipt.contentType);
  const file = useReceiptFile(orgId, receipt.id, !pdf);
  if (pdf) {
    return (
      <span className="receipt-thumb receipt-pdf-badge" data-testid="receipt-pdf-badge" aria-label={`PDF: ${receipt.fileName}`}>
        PDF
      </span>
    );
  }
  if (!file.url) return <span className="receipt-thumb receipt-thumb-empty" aria-hidden="true" title={file.error} />;
  return <img className="receipt-thumb" src={file.url} alt={`Receipt ${receipt.fileName}`} />;
}
