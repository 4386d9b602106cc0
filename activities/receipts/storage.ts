/*
 * Where receipt files (images and PDFs, up to about 10 MB) live: local disk under
 * RECEIPTS_DIR by default, or an S3-compatible bucket. Both sit behind `ReceiptStorage`, whose
 * keys are checked here once, by one rule, before either backend sees them.
 */
import { createLocalStorage } from './storage-local';
import { createS3Storage, type S3StorageOptions } from './storage-s3';

export type { S3StorageOptions } from './storage-s3';

export interface StoredObject {
  sizeBytes: number;
  contentType: string;
  /** A node Readable of the object's bytes. */
  body: NodeJS.ReadableStream;
}

export interface ReceiptStorage {
  readonly kind: 'local' | 's3';
  /** Writes the object whole or not at all (a reader never sees half a file); overwriting the same key with the same bytes is fine (idempotent retries). */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** A stream of the object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** The whole object (for sending to a model), or null. */
  getBytes(key: string): Promise<Buffer | null>;
  /** Removes it; removing what is not there is not an error. */
  delete(key: string): Promise<void>;
}

export interface StorageConfig {
  RECEIPTS_STORAGE: 'local' | 's3';
  /** Default '.data/receipts'. */
  RECEIPTS_DIR: string;
  RECEIPTS_S3_BUCKET?: string;
  /** Default 'us-east-1'. */
  RECEIPTS_S3_REGION?: string;
  /** For MinIO, R2 and other S3-compatible stores. */
  RECEIPTS_S3_ENDPOINT?: string;
  RECEIPTS_S3_FORCE_PATH_STYLE?: boolean;
  RECEIPTS_S3_PREFIX?: string;
  RECEIPTS_S3_ACCESS_KEY_ID?: string;
  RECEIPTS_S3_SECRET_ACCESS_KEY?: string;
}

export const DEFAULT_RECEIPTS_DIR = '.data/receipts';
export const DEFAULT_RECEIPTS_S3_REGION = 'us-east-1';

/** S3's limit on a key; a segment is also a file name on local disk, where 255 bytes is usual. */
const MAX_KEY_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 200;
const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * Keys look like `<orgId>/<receiptId>`. Only `[A-Za-z0-9/_.-]`, no leading or trailing slash, no
 * empty segment, and no segment starting with a dot: that refuses `.` and `..` (so a key can
 * never leave the storage directory) and leaves dot-names free for the local backend's own
 * files (content-type sidecars, temporary files), which therefore never collide with a key.
 */
export function validateReceiptKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new Error('Receipt storage key is empty');
  if (key.length > MAX_KEY_LENGTH) throw new Error(`Receipt storage key is longer than ${MAX_KEY_LENGTH} characters`);
  for (const segment of key.split('/')) {
    if (!KEY_SEGMENT.test(segment) || segment.length > MAX_SEGMENT_LENGTH) {
      throw new Error(
        `Invalid receipt storage key ${JSON.stringify(key.slice(0, 100))}: keys are segments of [A-Za-z0-9_.-] joined by "/", none empty or starting with "."`,
      );
    }
  }
  return key;
}

/** A MIME type such as image/jpeg or application/pdf (parameters allowed), sent as a header to S3. */
const CONTENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\r\n]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

/** Every call's key goes through validateReceiptKey before the backend sees it. */
function checkedKeys(inner: ReceiptStorage): ReceiptStorage {
  return {
    kind: inner.kind,
    put: async (key, bytes, contentType) => {
      validateReceiptKey(key);
      if (!Buffer.isBuffer(bytes)) throw new Error('Receipt storage put needs the bytes as a Buffer');
      if (typeof contentType !== 'string' || contentType.length > 255 || !CONTENT_TYPE.test(contentType)) {
        throw new Error(`Invalid content type ${JSON.stringify(String(contentType).slice(0, 100))}: expected a MIME type such as image/jpeg`);
      }
      return inner.put(key, bytes, contentType);
    },
    get: async (key) => inner.get(validateReceiptKey(key)),
    getBytes: async (key) => inner.getBytes(validateReceiptKey(key)),
    delete: async (key) => inner.delete(validateReceiptKey(key)),
  };
}

/** Files under `dir` (created on first write): `<dir>/<key>`, written atomically, mode 0600. */
export function localReceiptStorage(dir: string): ReceiptStorage {
  return checkedKeys(createLocalStorage(dir));
}

/** Objects in an S3 bucket (or an S3-compatible store) under `prefix/<key>`. */
export function s3ReceiptStorage(opts: S3StorageOptions): ReceiptStorage {
  if (opts.prefix !== undefined && opts.prefix.replace(/\/+$/, '') !== '') validateReceiptKey(opts.prefix.replace(/\/+$/, ''));
  return checkedKeys(createS3Storage(opts));
}

/** The storage the settings choose; s3 without a bucket (or with half the credentials) is refused by name. */
export function receiptStorageFrom(config: StorageConfig): ReceiptStorage {
  if (config.RECEIPTS_STORAGE === 'local') return localReceiptStorage(config.RECEIPTS_DIR || DEFAULT_RECEIPTS_DIR);
  if (config.RECEIPTS_STORAGE !== 's3') {
    throw new Error(`RECEIPTS_STORAGE must be 'local' or 's3' (got ${JSON.stringify(config.RECEIPTS_STORAGE)})`);
  }
  const bucket = config.RECEIPTS_S3_BUCKET?.trim();
  if (!bucket) throw new Error('RECEIPTS_STORAGE=s3 needs RECEIPTS_S3_BUCKET (the bucket receipts are stored in)');
  const accessKeyId = config.RECEIPTS_S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = config.RECEIPTS_S3_SECRET_ACCESS_KEY?.trim();
  if (!!accessKeyId !== !!secretAccessKey) {
    // Half a key pair would silently fall back to the default chain's identity: refuse instead.
    throw new Error(
      `RECEIPTS_S3_ACCESS_KEY_ID and RECEIPTS_S3_SECRET_ACCESS_KEY go together: ${accessKeyId ? 'RECEIPTS_S3_SECRET_ACCESS_KEY' : 'RECEIPTS_S3_ACCESS_KEY_ID'} is missing (leave both unset to use the AWS default credential chain)`,
    );
  }
  return s3ReceiptStorage({
    bucket,
    region: config.RECEIPTS_S3_REGION?.trim() || DEFAULT_RECEIPTS_S3_REGION,
    ...(config.RECEIPTS_S3_ENDPOINT?.trim() ? { endpoint: config.RECEIPTS_S3_ENDPOINT.trim() } : {}),
    ...(config.RECEIPTS_S3_FORCE_PATH_STYLE !== undefined ? { forcePathStyle: config.RECEIPTS_S3_FORCE_PATH_STYLE } : {}),
    ...(config.RECEIPTS_S3_PREFIX?.trim() ? { prefix: config.RECEIPTS_S3_PREFIX.trim() } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
}
