import type { KnowledgeDocument, KnowledgeKind } from '../api/bots';

/** The files the browser may read as text, and PDFs (uploaded as they are); the kind follows from the extension. */
const KIND_BY_EXTENSION: Record<string, KnowledgeKind | 'pdf'> = { txt: 'text', md: 'markdown', markdown: 'markdown', pdf: 'pdf' };
export const ACCEPTED_FILES = '.txt,.md,.markdown,.pdf,text/plain,text/markdown,application/pdf';
/** The API's limit on a PDF upload. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;

export function kindOfFile(fileName: string): KnowledgeDocument['sourceKind'] | undefined {
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext ? KIND_BY_EXTENSION[ext] : undefined;
}

/** The file's name without its extension: a title to start from. */
export const titleOfFile = (fileName: string) => fileName.replace(/\.[^.]+$/, '');

/** The file as text (UTF-8), read in the browser: the API takes text, never files. */
export function readText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(file);
  });
}
