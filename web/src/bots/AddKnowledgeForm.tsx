import { type DragEvent, useId, useState } from 'react';
import { addKnowledge, type KnowledgeAdded, type KnowledgeKind, uploadPdf } from '../api/bots';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { InputError, useSubmit } from '../use-submit';
import { TextAreaField } from './controls';
import { ACCEPTED_FILES, kindOfFile, MAX_PDF_BYTES, readText, titleOfFile } from './knowledge-file';
import { formatBytes, KINDS } from './labels';

interface Props {
  orgId: string;
  botId: string;
  onAdded: (added: KnowledgeAdded) => void;
}

interface Draft {
  title: string;
  sourceKind: KnowledgeKind;
  text: string;
  file?: { name: string; size: number };
  /** A chosen PDF: uploaded as it is (the API extracts its text), instead of the text field. */
  pdf?: File;
}

const EMPTY: Draft = { title: '', sourceKind: 'text', text: '' };
const FIELDS = ['title', 'sourceKind', 'text', 'fileName', 'body'];

/** Pasted text, a .txt/.md file read here in the browser, or a PDF uploaded as it is becomes a knowledge document. */
export function AddKnowledgeForm({ orgId, botId, onAdded }: Props) {
  const fileInputId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [fileError, setFileError] = useState<string>();
  const [duplicate, setDuplicate] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));

  const form = useSubmit(FIELDS, async () => {
    setDuplicate(undefined);
    if (draft.pdf) {
      if (!draft.title.trim()) throw new InputError({ title: 'Required' });
      const added = await uploadPdf(orgId, botId, draft.pdf, { title: draft.title, fileName: draft.pdf.name });
      if (!added.created) setDuplicate(`Duplicate: this PDF's text is already in the knowledge base (as “${added.document.title}”).`);
      else setDraft(EMPTY);
      onAdded(added);
      return;
    }
    if (!draft.title.trim() || !draft.text.trim()) {
      throw new InputError({ ...(draft.title.trim() ? {} : { title: 'Required' }), ...(draft.text.trim() ? {} : { text: 'Paste some text or choose a file' }) });
    }
    const added = await addKnowledge(orgId, botId, { title: draft.title, sourceKind: draft.sourceKind, text: draft.text, fileName: draft.file?.name });
    if (!added.created) setDuplicate(`Duplicate: this text is already in the knowledge base (as “${added.document.title}”).`);
    else setDraft(EMPTY);
    onAdded(added);
  });

  const takeFile = async (file: File | undefined) => {
    setFileError(undefined);
    setDuplicate(undefined);
    if (!file) return;
    const kind = kindOfFile(file.name);
    if (!kind) {
      setFileError(`“${file.name}” cannot be added: choose a .txt, .md or .pdf file, or paste its text.`);
      return;
    }
    if (kind === 'pdf') {
      if (file.size > MAX_PDF_BYTES) {
        setFileError(`“${file.name}” is larger than ${formatBytes(MAX_PDF_BYTES)}: split it or export a smaller one.`);
        return;
      }
      setDraft((d) => ({ ...d, title: d.title.trim() ? d.title : titleOfFile(file.name), text: '', file: { name: file.name, size: file.size }, pdf: file }));
      return;
    }
    try {
      const text = await readText(file);
      setDraft((d) => ({ title: d.title.trim() ? d.title : titleOfFile(file.name), sourceKind: kind, text, file: { name: file.name, size: file.size }, pdf: undefined }));
    } catch (e) {
      setFileError(`“${file.name}” could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void takeFile(e.dataTransfer.files[0]);
  };

  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-labelledby="add-knowledge-heading">
      <h3 id="add-knowledge-heading">Add knowledge</h3>
      <ErrorAlert message={form.error} />
      {duplicate && (
        <p role="status" className="bot-notice">
          {duplicate}
        </p>
      )}
      <div
        className={`bot-dropzone${dragging ? ' bot-dropzone-active' : ''}`}
        data-testid="knowledge-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <p>Drop a .txt, .md or .pdf file here, or</p>
        <label htmlFor={fileInputId}>Choose a file</label>{' '}
        <input
          id={fileInputId}
          type="file"
          accept={ACCEPTED_FILES}
          onChange={(e) => {
            void takeFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        {draft.file && (
          <p data-testid="knowledge-file">
            {draft.file.name} · {formatBytes(draft.file.size)}
            {draft.pdf ? ' · PDF: its text is extracted when you add it, page by page ' : ' '}
            {draft.pdf ? (
              <button type="button" className="bot-text-button" onClick={() => set({ file: undefined, pdf: undefined })}>
                Remove PDF
              </button>
            ) : (
              <button type="button" className="bot-text-button" onClick={() => set({ file: undefined })}>
                Forget file name
              </button>
            )}
          </p>
        )}
        {form.fieldErrors.body && (
          <p role="alert" className="field-error">
            {form.fieldErrors.body}
          </p>
        )}
        {fileError && (
          <p role="alert" className="field-error">
            {fileError}
          </p>
        )}
      </div>
      <div className="grid-2">
        <TextField label="Title" name="title" required autoComplete="off" value={draft.title} onChange={(e) => set({ title: e.target.value })} error={form.fieldErrors.title} />
        {!draft.pdf && (
          <SelectField label="Kind" name="sourceKind" value={draft.sourceKind} onChange={(e) => set({ sourceKind: e.target.value as KnowledgeKind })} error={form.fieldErrors.sourceKind} hint="An FAQ is split question by question.">
            {(['text', 'markdown', 'faq'] as const).map((k) => (
              <option key={k} value={k}>
                {KINDS[k]}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      {!draft.pdf && (
        <TextAreaField
          label="Text"
          name="text"
          rows={8}
          value={draft.text}
          onChange={(e) => set({ text: e.target.value })}
          error={form.fieldErrors.text ?? form.fieldErrors.fileName}
          hint={`${formatBytes(new Blob([draft.text]).size)} · for an FAQ, start each question with “Q:” and its answer with “A:”.`}
        />
      )}
      <div className="actions">
        <button type="submit" className="btn-primary" disabled={form.busy}>
          Add to knowledge
        </button>
      </div>
    </form>
  );
}
