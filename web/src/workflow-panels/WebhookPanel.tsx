import { useId, useState } from 'react';
import type { WorkflowDetail } from '../api/flows';
import { CopyButton } from '../components/CopyButton';
import { curlExample, isWebhookTrigger, sh } from './webhook';
import './panels.css';

export interface WebhookPanelProps {
  workflow: WorkflowDetail;
  /** Where the API answers, e.g. `location.origin`. */
  origin: string;
}

const MASK = '•'.repeat(24);

/** A published webhook workflow's URL, signing secret and a ready-made curl call; a hint otherwise. */
export function WebhookPanel({ workflow, origin }: WebhookPanelProps) {
  const titleId = useId();
  return (
    <section className="panel workflow-panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Webhook</h2>
      {workflow.status === 'published' && isWebhookTrigger(workflow.triggerType) && workflow.webhook ? (
        <WebhookDetails url={origin.replace(/\/+$/, '') + workflow.webhook.path} secret={workflow.webhook.secret} />
      ) : (
        <p className="muted" data-testid="webhook-hint">
          {hint(workflow)}
        </p>
      )}
    </section>
  );
}

function hint(w: WorkflowDetail): string {
  if (w.status === 'disabled') return 'The workflow is unpublished: its webhook answers 404. Publish it again to take calls.';
  if (w.status !== 'published') return 'Publish the workflow to get its webhook URL.';
  if (!isWebhookTrigger(w.triggerType)) return 'This workflow does not start from a webhook: give it a Webhook trigger and publish to get a URL.';
  return 'Only members who may edit this workflow see its webhook URL.';
}

function WebhookDetails({ url, secret }: { url: string; secret: string }) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const curl = curlExample(url, secret);
  return (
    <div className="webhook-details">
      <div className="field">
        <label htmlFor={`${id}-url`}>Webhook URL</label>
        <div className="copy-row">
          <input id={`${id}-url`} readOnly value={url} onFocus={(e) => e.target.select()} />
          <CopyButton text={url} label="Copy URL" />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-secret`}>Signing secret</label>
        <div className="copy-row">
          <input id={`${id}-secret`} readOnly value={shown ? secret : MASK} onFocus={(e) => shown && e.target.select()} />
          <button type="button" onClick={() => setShown((s) => !s)}>
            {shown ? 'Hide secret' : 'Show secret'}
          </button>
          <CopyButton text={secret} label="Copy secret" />
        </div>
        <p className="field-hint">
          Sign each call with <code>X-Flowline-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</code>, keyed with this secret (required when the
          trigger asks for signatures).
        </p>
      </div>
      <div className="field">
        <span className="field-label" id={`${id}-curl`}>
          Example call
        </span>
        <pre className="webhook-curl" aria-labelledby={`${id}-curl`} data-testid="webhook-curl">
          {shown ? curl : curl.replace(sh(secret), `'${MASK}'`)}
        </pre>
        <div className="copy-row">
          <CopyButton text={curl} label="Copy curl command" />
        </div>
      </div>
    </div>
  );
}

