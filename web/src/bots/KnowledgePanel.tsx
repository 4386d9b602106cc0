import { useState } from 'react';
import { deleteKnowledge, type KnowledgeAdded, type KnowledgeDocument, listKnowledge } from '../api/bots';
import { ConfirmButton } from '../components/ConfirmButton';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import { useLoad } from '../use-load';
import { AddKnowledgeForm } from './AddKnowledgeForm';
import { ChunksDialog } from './ChunksDialog';
import { formatBytes, KINDS } from './labels';

interface Props {
  orgId: string;
  botId: string;
  canAdd: boolean;
  canDelete: boolean;
  /** The number of documents changed: the bot's count is stale. */
  onChanged: () => void;
}

/** What the bot knows: documents to add, read chunk by chunk, and remove. */
export function KnowledgePanel({ orgId, botId, canAdd, canDelete, onChanged }: Props) {
  const toast = useToast();
  const docs = useLoad((signal) => listKnowledge(orgId, botId, signal), [orgId, botId]);
  const [previewing, setPreviewing] = useState<KnowledgeDocument>();

  const added = ({ document, created }: KnowledgeAdded) => {
    if (!created) return;
    toast.success('Added to knowledge', `${document.title}: ${document.chunkCount} chunk${document.chunkCount === 1 ? '' : 's'}.`);
    docs.reload();
    onChanged();
  };

  return (
    <>
      {canAdd && <AddKnowledgeForm orgId={orgId} botId={botId} onAdded={added} />}
      <h3>Documents</h3>
      <ErrorAlert message={docs.error?.message} />
      {!docs.data ? (
        docs.loading && <Loading what="documents" />
      ) : docs.data.items.length === 0 ? (
        <EmptyState title="No knowledge yet">{canAdd ? 'Paste prices, policies or an FAQ above: the bot quotes what it finds here.' : 'Nothing has been added to this bot yet.'}</EmptyState>
      ) : (
        <table className="table bot-documents" aria-label="Knowledge documents">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Kind</th>
              <th scope="col" className="bot-num">
                Chunks
              </th>
              <th scope="col" className="bot-num">
                Size
              </th>
              <th scope="col">Added</th>
              {canDelete && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {docs.data.items.map((d) => (
              <tr key={d.id} data-testid={`document-${d.id}`}>
                <td>
                  <button type="button" className="bot-text-button" aria-label={`Show chunks of ${d.title}`} onClick={() => setPreviewing(d)}>
                    {d.title}
                  </button>
                  {d.fileName && <div className="muted bot-small">{d.fileName}</div>}
                  {d.status !== 'ready' && <span className="tag">{d.status}</span>}
                </td>
                <td>{KINDS[d.sourceKind] ?? d.sourceKind}</td>
                <td className="bot-num">{d.chunkCount}</td>
                <td className="bot-num">{formatBytes(d.sizeBytes)}</td>
                <td>
                  <time dateTime={d.createdAt}>{formatTime(d.createdAt)}</time>
                </td>
                {canDelete && (
                  <td>
                    <ConfirmButton
                      label={`Delete ${d.title}`}
                      title="Delete document"
                      message={<p>“{d.title}” and its {d.chunkCount} chunks leave the knowledge base: the bot no longer reads them.</p>}
                      confirmLabel="Delete"
                      className="btn-danger-outline"
                      onConfirm={async () => {
                        await deleteKnowledge(orgId, botId, d.id);
                        toast.success('Document deleted', d.title);
                        docs.reload();
                        onChanged();
                      }}
                    >
                      Delete
                    </ConfirmButton>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {previewing && <ChunksDialog orgId={orgId} botId={botId} document={previewing} onClose={() => setPreviewing(undefined)} />}
    </>
  );
}
