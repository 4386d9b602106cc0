/*
 * One file from a multipart/form-data upload, streamed through busboy with limits: the body
 * is read only after the caller is authenticated and allowed (the handler calls this), and a
 * file over the limit is cut off while it streams, never buffered whole.
 */
import busboy from 'busboy';
import type { Request } from 'express';
import { HttpError } from '../http/errors';

export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
  /** The other form fields (short text only). */
  fields: Record<string, string>;
}

export async function readUpload(req: Request, opts: { field: string; maxBytes: number }): Promise<UploadedFile> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    throw new HttpError(415, `Send the receipt as multipart/form-data with the file in the "${opts.field}" field`);
  }
  const maxMb = Math.round((opts.maxBytes / 1024 / 1024) * 10) / 10;
  return new Promise<UploadedFile>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: opts.maxBytes, fields: 10, fieldSize: 2000, parts: 12 } });
    } catch (err) {
      reject(new HttpError(400, `The multipart body could not be read: ${(err as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let file: { fileName: string; chunks: Buffer[]; size: number } | null = null;
    let failed: HttpError | null = null;
    const fail = (err: HttpError) => {
      failed ??= err;
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== opts.field || file) {
        stream.resume();
        if (name !== opts.field) fail(new HttpError(422, `Unexpected file field "${name}"`, [{ path: name, message: `send the file in "${opts.field}"` }]));
        return;
      }
      const current = { fileName: info.filename || 'receipt', chunks: [] as Buffer[], size: 0 };
      file = current;
      stream.on('data', (chunk: Buffer) => {
        current.chunks.push(chunk);
        current.size += chunk.length;
      });
      stream.on('limit', () => fail(new HttpError(413, `The file is larger than ${maxMb} MB`, [{ path: opts.field, message: `At most ${maxMb} MB` }])));
    });
    parser.on('filesLimit', () => fail(new HttpError(422, 'Send one file per upload', [{ path: opts.field, message: 'one file only' }])));
    parser.on('error', (err: Error) => reject(new HttpError(400, `The multipart body could not be read: ${err.message}`)));
    parser.on('close', () => {
      if (failed) return reject(failed);
      const got = file as { fileName: string; chunks: Buffer[]; size: number } | null;
      if (!got) return reject(new HttpError(422, `No file was sent: put it in the "${opts.field}" field`, [{ path: opts.field, message: 'Required' }]));
      resolve({ fileName: got.fileName.slice(0, 300), bytes: Buffer.concat(got.chunks, got.size), fields });
    });
    req.pipe(parser);
  });
}
