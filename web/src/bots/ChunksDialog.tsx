import { type KnowledgeDocument, listChunks } from '../api/bots';
import { Dialog } from '../components/Dialog';
import { ErrorAlert, Loading } from '../components/Notices';
import { useLoad } from '../use-load';

interface Props {
  orgId: string;
  botId: string;
  document: KnowledgeDocument;
  onClose: () => void;
}

/** A document as retrieval sees it: the chunks it was cut into, in order. */
export function ChunksDialog({ orgId, botId, document, onClose }: Props) {
  return (
    <Dialog open title={`Chunks of ${document.title}`} onClose={onClose}>
      <Chunks orgId={orgId} botId={botId} documentId={document.id} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function Chunks({ orgId, botId, documentId }: { orgId: string; botId: string; documentId: string }) {
  const chunks = useLoad((signal) => listChunks(orgId, botId, documentId, signal), [orgId, botId, documentId]);
  if (!chunks.data) return chunks.error ? <ErrorAlert message={chunks.error.message} /> : <Loading what="the chunks" />;
  if (chunks.data.items.length === 0) return <p className="muted">This document has no chunks.</p>;
  return (
    <ol className="bot-chunks" aria-label="Chunks">
      {chunks.data.items.map((c) => (
        <li key={c.id}>
          {c.heading && <strong className="bot-chunk-heading">{c.heading}</strong>}
          <pre className="bot-chunk-content">{c.content}</pre>
        </li>
      ))}
    </ol>
  );
}
