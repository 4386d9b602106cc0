/*
 * Receipts in an S3 bucket or an S3-compatible store (MinIO, R2, ...), through the AWS SDK v3.
 * A PutObject is atomic by nature: readers see the previous object or the new one, never part.
 *
 * `requestChecksumCalculation: 'WHEN_REQUIRED'`: since SDK 3.729 the client adds CRC32 checksum
 * headers (and, for streamed bodies, aws-chunked trailers) to every upload, which a number of
 * S3-compatible stores refuse or mishandle. Receipts are uploaded as a Buffer with a signed
 * SHA-256 payload hash (x-amz-content-sha256), which S3 checks against the body anyway, so the
 * upload stays integrity-checked without the extra checksum.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { ReceiptStorage, StoredObject } from './storage';

export interface S3StorageOptions {
  bucket: string;
  /** Default 'us-east-1'. */
  region?: string;
  /** For S3-compatible stores; AWS S3 itself needs none. */
  endpoint?: string;
  /** `/<bucket>/<key>` URLs instead of `<bucket>.<host>`: MinIO and most local stores need it. */
  forcePathStyle?: boolean;
  /** Objects are stored under `<prefix>/<key>`. */
  prefix?: string;
  /** When absent, the SDK's default credential chain applies (environment, profile, instance role...). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Attempts per call, the SDK's retries included (default 3). */
  maxAttempts?: number;
}

const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** Only a missing key: a missing bucket (NoSuchBucket, also 404) is a misconfiguration and throws. */
const isNoSuchKey = (error: unknown) => {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

export function createS3Storage(opts: S3StorageOptions): ReceiptStorage {
  if (!opts.bucket) throw new Error('S3 receipt storage needs a bucket');
  const config: S3ClientConfig = {
    region: opts.region ?? 'us-east-1',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
    ...(opts.forcePathStyle !== undefined ? { forcePathStyle: opts.forcePathStyle } : {}),
    ...(opts.credentials !== undefined ? { credentials: opts.credentials } : {}),
    ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
  };
  const client = new S3Client(config);
  const bucket = opts.bucket;
  const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
  const objectKey = (key: string) => (prefix === '' ? key : `${prefix}/${key}`);

  async function getObject(key: string) {
    try {
      return await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    } catch (error) {
      if (isNoSuchKey(error)) return null;
      throw error;
    }
  }

  return {
    kind: 's3',

    async put(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: bytes, ContentType: contentType, ContentLength: bytes.length }),
      );
    },

    async get(key): Promise<StoredObject | null> {
      const response = await getObject(key);
      if (!response?.Body) return null;
      return {
        sizeBytes: response.ContentLength ?? 0,
        contentType: response.ContentType ?? FALLBACK_CONTENT_TYPE,
        // In Node the SDK's body is the HTTP response itself: a Readable.
        body: response.Body as Readable,
      };
    },

    async getBytes(key) {
      const response = await getObject(key);
      if (!response?.Body) return null;
      const bytes = await response.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      } catch (error) {
        // S3 answers 204 for a missing key; some compatible stores answer 404 instead.
        if (!isNoSuchKey(error)) throw error;
      }
    },
  };
}
