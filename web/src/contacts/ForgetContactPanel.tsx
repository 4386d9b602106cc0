import { type ForgetResult, forgetContact } from '../api/data-retention';
import { ConfirmButton } from '../components/ConfirmButton';
import { useToast } from '../components/Toasts';
import { navigate } from '../router';
import { contactsPath } from './format';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The summary a person sees after forgetting: how much went, never whom. */
export function forgetSummary({ removed, temporalHistories }: ForgetResult): string {
  const parts = [
    plural(removed.conversations, 'conversation'),
    plural(removed.messages, 'message'),
    plural(removed.executions, 'workflow run'),
    plural(removed.webhookEvents, 'webhook delivery', 'webhook deliveries'),
    `${plural(removed.auditEntriesRedacted, 'audit entry', 'audit entries')} redacted`,
  ];
  const failed = temporalHistories.failed.length;
  return `Removed ${parts.join(', ')}.${failed ? ` ${plural(failed, 'Temporal history', 'Temporal histories')} could not be deleted yet: ask an operator.` : ''}`;
}

/** "Forget this contact" (contacts:delete): the right-to-erasure path, with a clear warning. */
export function ForgetContactPanel({ orgId, contactId, name }: { orgId: string; contactId: string; name: string }) {
  const toast = useToast();
  return (
    <section className="panel" aria-labelledby="forget-heading">
      <h2 id="forget-heading">Forget this contact</h2>
      <p className="muted">
        Removes this person’s details, conversations, the workflow runs and webhook deliveries that mention them, and their details in the
        audit log, from Flowline for good. It cannot be undone, and they are not imported again. The contact stays in GoHighLevel.
      </p>
      <div className="actions">
        <ConfirmButton
          className="btn-danger-outline"
          title={`Forget ${name}?`}
          message={<p>Everything Flowline holds about {name} is deleted now, with no way to restore it. Sales and receipts stay, without the link to this contact.</p>}
          confirmLabel="Forget for good"
          onConfirm={async () => {
            const result = await forgetContact(orgId, contactId);
            toast.success(`${name} was forgotten`, forgetSummary(result));
            navigate(contactsPath(orgId));
          }}
        >
          Forget this contact…
        </ConfirmButton>
      </div>
    </section>
  );
}
