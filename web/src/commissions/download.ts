/** Hands a fetched file to the browser as a download: the way for files behind a bearer token. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download by now; the object URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
