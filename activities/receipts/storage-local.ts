/*
 * Receipts on local disk: the object at `<dir>/<key>`, its content type in a hidden sidecar
 * `<dir>/<orgId>/.<receiptId>.meta.json` beside it (keys never have segments starting with a
 * dot, see validateReceiptKey, so neither sidecars nor temporary files can collide with a key).
 *
 * Every write goes to a temporary file in the same directory, is flushed, then renamed over the
 * target: rename is atomic within a file system, so a reader sees the old file or the new one,
 * never part of one. A reader that opened the old file keeps reading it whole.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { ReceiptStorage, StoredObject } from './storage';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

interface Sidecar {
  contentType: string;
}

const isMissing = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  // ENOTDIR: a key's parent is a file; EISDIR: the key names a directory (a prefix of other keys).
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
};

async function writeAtomically(target: string, data: Buffer | string): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Flush the directory entry too, so a rename survives a crash (best effort: not every platform allows it). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

async function readSidecar(path: string): Promise<Sidecar | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Sidecar>;
    return typeof parsed.contentType === 'string' ? { contentType: parsed.contentType } : null;
  } catch (error) {
    if (isMissing(error) || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Keys reach this backend already validated (storage.ts); the containment check is a second guard. */
export function createLocalStorage(dir: string): ReceiptStorage {
  const root = resolve(dir);

  function pathsOf(key: string): { file: string; sidecar: string } {
    const file = resolve(root, key);
    if (!file.startsWith(root + sep)) throw new Error(`Receipt storage key ${JSON.stringify(key)} resolves outside ${root}`);
    return { file, sidecar: join(dirname(file), `.${basename(file)}.meta.json`) };
  }

  return {
    kind: 'local',

    async put(key, bytes, contentType) {
      const { file, sidecar } = pathsOf(key);
      await mkdir(dirname(file), { recursive: true, mode: DIR_MODE });
      // The sidecar first: once the object is visible, its content type is too.
      await writeAtomically(sidecar, JSON.stringify({ contentType } satisfies Sidecar));
      await writeAtomically(file, bytes);
      await syncDirectory(dirname(file));
    },

    async get(key): Promise<StoredObject | null> {
      const { file, sidecar } = pathsOf(key);
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) {
          await handle.close();
          return null;
        }
        const meta = await readSidecar(sidecar);
        // The stream reads from the handle already open, so a later overwrite or delete of the
        // key does not change what this reader gets; it closes the handle when done.
        return { sizeBytes: stat.size, contentType: meta?.contentType ?? FALLBACK_CONTENT_TYPE, body: handle.createReadStream() };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async getBytes(key) {
      const { file } = pathsOf(key);
      try {
        return await readFile(file);
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      const { file, sidecar } = pathsOf(key);
      // The object first, so a reader never finds an object without its content type.
      for (const path of [file, sidecar]) {
        try {
          await unlink(path);
        } catch (error) {
          if (!isMissing(error)) throw error;
        }
      }
    },
  };
}
