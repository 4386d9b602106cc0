import { useEffect, useId, useRef, useState } from 'react';
import { listContactOpportunities, type Opportunity, type Uploaded, uploadReceipt } from '../api/receipts';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { formatTime } from '../executions/format';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { receiptPath } from './paths';
import { type Progress, ReceiptDropzone } from './ReceiptDropzone';
import { receiptFileProblem } from './receipt-file';

interface Props {
  orgId: string;
  contactId: string;
  onUploaded: (uploaded: Uploaded) => void;
}

const opportunityLabel = (o: Opportunity) => [o.name ?? o.id, o.status, o.monetaryValue !== null ? `value ${o.monetaryValue}` : ''].filter(Boolean).join(' · ');

/** Upload a receipt for one of the contact's GHL opportunities; it is read in the background. */
export function ReceiptUploadForm({ orgId, contactId, onUploaded }: Props) {
  const opportunities = useLoad((signal) => listContactOpportunities(orgId, contactId, signal), [orgId, contactId]);
  const items = opportunities.data?.items ?? [];
  const [opportunityId, setOpportunityId] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<string>();
  const [last, setLast] = useState<Uploaded>();
  const headingId = useId();
  const controller = useRef<AbortController>(undefined);
  // Leaving the page stops an upload in flight.
  useEffect(() => () => controller.current?.abort(), []);

  // The first opportunity is the likely one: chosen until the person picks another.
  const first = items[0]?.id;
  useEffect(() => {
    if (first) setOpportunityId((current) => current || first);
  }, [first]);

  const upload = async (file: File) => {
    setError(undefined);
    setLast(undefined);
    const problem = receiptFileProblem(file);
    if (problem) return setError(problem);
    const opportunity = opportunityId.trim();
    if (!opportunity) {
      return setError(opportunities.loading ? 'The contact’s opportunities are still loading: drop the file again in a moment.' : 'Choose the opportunity the receipt is for first.');
    }
    setBusy(true);
    setProgress(undefined);
    const request = new AbortController();
    controller.current = request;
    try {
      const uploaded = await uploadReceipt(orgId, opportunity, file, { contactId, onProgress: (sent, total) => setProgress({ sent, total }), signal: request.signal });
      setLast(uploaded);
      onUploaded(uploaded);
    } catch (e) {
      if (request.signal.aborted) setError(`The upload of “${file.name}” was cancelled.`);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="form receipt-upload" aria-labelledby={headingId} role="group">
      <h3 id={headingId}>Upload a receipt</h3>
      {opportunities.loading && !opportunities.data ? (
        <p className="muted" aria-busy="true">
          Loading the contact’s opportunities…
        </p>
      ) : items.length > 0 ? (
        <SelectField label="Opportunity" name="opportunityId" value={opportunityId} onChange={(e) => setOpportunityId(e.target.value)} disabled={busy}>
          {items.map((o) => (
            <option key={o.id} value={o.id}>
              {opportunityLabel(o)}
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField
          label="Opportunity ID"
          name="opportunityId"
          autoComplete="off"
          value={opportunityId}
          onChange={(e) => setOpportunityId(e.target.value)}
          disabled={busy}
          hint={opportunities.error ? `The contact’s opportunities could not be listed (${opportunities.error.message}): enter the GHL opportunity ID.` : 'No GHL opportunity was found for this contact: enter the GHL opportunity ID.'}
        />
      )}
      <ReceiptDropzone busy={busy} progress={progress} onFile={(file) => void upload(file)} onCancel={() => controller.current?.abort()} />
      <ErrorAlert message={error} />
      {last &&
        (last.duplicate ? (
          <p role="status" className="receipt-notice" data-testid="receipt-duplicate">
            This file was uploaded before (on {formatTime(last.receipt.createdAt)}): nothing was read again.{' '}
            <Link to={receiptPath(orgId, last.receipt.id)}>Open the earlier receipt</Link>
          </p>
        ) : (
          <p role="status" className="receipt-uploaded" data-testid="receipt-uploaded">
            Uploaded {last.receipt.fileName}: it is being read. <Link to={receiptPath(orgId, last.receipt.id)}>Open the receipt</Link>
          </p>
        ))}
    </div>
  );
}
