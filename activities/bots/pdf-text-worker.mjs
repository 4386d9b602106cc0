// Extracts a PDF's text page by page (pdf.js, through unpdf) in a worker thread, so a hostile or
// huge PDF costs this thread, which its parent bounds in time and memory, not the API's. Plain
// ESM because unpdf's pdf.js build is ESM-only.
import { parentPort, workerData } from 'node:worker_threads';
import { extractText, getDocumentProxy } from 'unpdf';

try {
  // unpdf turns pdf.js's font eval off; verbosity 0 keeps pdf.js's repair warnings off stdout.
  const pdf = await getDocumentProxy(workerData.bytes, { verbosity: 0 });
  const { text } = await extractText(pdf, { mergePages: false });
  parentPort.postMessage({ ok: true, pages: text });
} catch (err) {
  parentPort.postMessage({ ok: false, name: String(err?.name ?? 'Error'), message: String(err?.message ?? err) });
}
