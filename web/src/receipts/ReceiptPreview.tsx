import type { Receipt } from '../api/receipts';
import { ErrorAlert, Loading } from '../components/Notices';
import { isPdf } from './receipt-file';
import { useReceiptFile } from './use-receipt-file';

/** The receipt as uploaded, beside its fields: the photo, or the PDF in the browser's viewer. */
export function ReceiptPreview({ orgId, receipt }: { orgId: string; receipt: Pick<Receipt, 'id' | 'contentType' | 'fileName'> }) {
  const file = useReceiptFile(orgId, receipt.id);
  if (file.error) return <ErrorAlert message={`The file could not be shown: ${file.error}`} />;
  if (!file.url) return <Loading what="the receipt" />;
  return (
    <figure className="receipt-preview" data-testid="receipt-preview">
      {isPdf(receipt.contentType) ? (
        <iframe className="receipt-preview-pdf" src={file.url} title={`Receipt ${receipt.fileName}`} />
      ) : (
        <img src={file.url} alt={`Receipt ${receipt.fileName}`} />
      )}
      <figcaption className="muted">
        {receipt.fileName} ·{' '}
        <a href={file.url} download={receipt.fileName}>
          Download
        </a>
      </figcaption>
    </figure>
  );
}
