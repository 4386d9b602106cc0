import type { KnowledgeKind } from '../api/bots';

/** The files the browser may read as text; the kind follows from the extension. */
const KIND_BY_EXTENSION: Record<string, KnowledgeKind> = { txt: 'text', md: 'markdown', markdown: 'markdown' };
export const ACCEPTED_FILES = '.txt,.md,.markdown,text/plain,text/markdown';

export function kindOfFile(fileName: string): KnowledgeKind | undefined {
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
