import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  localReceiptStorage,
  receiptStorageFrom,
  s3ReceiptStorage,
  type ReceiptStorage,
  type StorageConfig,
} from '../../activities/receipts/storage';
import { startFakeS3, type FakeS3 } from '../../fakes/s3';

const MB = 1024 * 1024;
const newKey = () => `${randomUUID()}/${randomUUID()}`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: NodeJS.ReadableStream): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

const BAD_KEYS = [
  '',
  '../escape',
  'org/../../escape',
  'org/..',
  '..',
  '/etc/passwd',
  'org/receipt/',
  'org//receipt',
  'org/./receipt',
  './receipt',
  'org/.hidden',
  'org\\receipt',
  'C:\\receipts\\x',
  'org/rec eipt',
  'org/%2e%2e/receipt',
  'org/receipt\n',
  'org/reçu',
  'a'.repeat(201),
];

/** What every backend must do, run against each of them below. */
function behavesAsReceiptStorage(make: () => ReceiptStorage) {
  let storage: ReceiptStorage;
  beforeAll(() => {
    storage = make();
  });

  it('round-trips bytes and content type, as a stream and whole', async () => {
    const key = newKey();
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096)]);
    await storage.put(key, bytes, 'application/pdf');

    const object = await storage.get(key);
    expect(object).not.toBeNull();
    expect(object!.sizeBytes).toBe(bytes.length);
    expect(object!.contentType).toBe('application/pdf');
    expect((await readAll(object!.body)).bytes.equals(bytes)).toBe(true);

    expect((await storage.getBytes(key))?.equals(bytes)).toBe(true);
  });

  it('answers null for a key that was never written', async () => {
    const key = newKey();
    await expect(storage.get(key)).resolves.toBeNull();
    await expect(storage.getBytes(key)).resolves.toBeNull();
  });

  it('overwrites a key whole, and accepts the same bytes again (a retried put)', async () => {
    const key = newKey();
    const first = randomBytes(64 * 1024);
    const second = randomBytes(32 * 1024);
    await storage.put(key, first, 'image/jpeg');
    await storage.put(key, first, 'image/jpeg');
    expect((await storage.getBytes(key))?.equals(first)).toBe(true);

    await storage.put(key, second, 'image/png');
    const object = await storage.get(key);
    expect(object?.contentType).toBe('image/png');
    expect(object?.sizeBytes).toBe(second.length);
    expect((await readAll(object!.body)).bytes.equals(second)).toBe(true);
  });

  it('deletes, and deleting what is not there is not an error', async () => {
    const key = newKey();
    await storage.put(key, Buffer.from('receipt'), 'image/webp');
    await storage.delete(key);
    await expect(storage.get(key)).resolves.toBeNull();
    await expect(storage.getBytes(key)).resolves.toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.delete(newKey())).resolves.toBeUndefined();
  });

  it('streams a 5 MB object in chunks with every byte intact', async () => {
    const key = newKey();
    const bytes = randomBytes(5 * MB);
    await storage.put(key, bytes, 'image/heic');

    const object = await storage.get(key);
    expect(object?.sizeBytes).toBe(5 * MB);
    const hash = createHash('sha256');
    let received = 0;
    let chunks = 0;
    for await (const chunk of object!.body) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      received += buffer.length;
      chunks += 1;
    }
    expect(received).toBe(5 * MB);
    expect(chunks).toBeGreaterThan(1);
    expect(hash.digest('hex')).toBe(sha256(bytes));
  });

  it('refuses keys that could leave the storage or are not <orgId>/<receiptId>-shaped', async () => {
    for (const key of BAD_KEYS) {
      await expect(storage.put(key, Buffer.from('x'), 'image/png')).rejects.toThrow(/receipt storage key/i);
      await expect(storage.get(key)).rejects.toThrow(/receipt storage key/i);
      await expect(storage.getBytes(key)).rejects.toThrow(/receipt storage key/i);
      await expect(storage.delete(key)).rejects.toThrow(/receipt storage key/i);
    }
  });

  it('refuses a content type that is not a MIME type', async () => {
    await expect(storage.put(newKey(), Buffer.from('x'), 'image/png\r\nx-evil: 1')).rejects.toThrow(/content type/);
    await expect(storage.put(newKey(), Buffer.from('x'), '')).rejects.toThrow(/content type/);
  });
}

describe('local receipt storage', () => {
  let root: string;
  let dir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'flowline-receipts-'));
    // Not created yet: the first put makes it (mkdir -p).
    dir = join(root, 'nested', 'receipts');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  behavesAsReceiptStorage(() => localReceiptStorage(dir));

  it('writes <dir>/<orgId>/<receiptId> readable by the owner only, and leaves no temporary file', async () => {
    const storage = localReceiptStorage(dir);
    const [org, receipt] = [randomUUID(), randomUUID()];
    await storage.put(`${org}/${receipt}`, Buffer.from('jpeg bytes'), 'image/jpeg');
    await storage.put(`${org}/${receipt}`, Buffer.from('jpeg bytes'), 'image/jpeg');

    const file = await stat(join(dir, org, receipt));
    expect(file.isFile()).toBe(true);
    expect(file.mode & 0o777).toBe(0o600);
    // The object and its hidden content-type sidecar, nothing else (no *.tmp left behind).
    expect((await readdir(join(dir, org))).sort()).toEqual([`.${receipt}.meta.json`, receipt].sort());
  });

  it('never lets a refused key write outside the directory', async () => {
    const storage = localReceiptStorage(dir);
    const before = (await readdir(root)).sort();
    for (const key of BAD_KEYS) await storage.put(key, Buffer.from('x'), 'image/png').catch(() => undefined);
    expect((await readdir(root)).sort()).toEqual(before);
  });

  it('keeps a reader on the file it opened when the key is overwritten (rename, not rewrite)', async () => {
    const storage = localReceiptStorage(dir);
    const key = newKey();
    const before = randomBytes(2 * MB);
    const after = randomBytes(2 * MB);
    await storage.put(key, before, 'image/png');

    const reading = await storage.get(key);
    await storage.put(key, after, 'image/png');

    expect((await readAll(reading!.body)).bytes.equals(before)).toBe(true);
    expect((await storage.getBytes(key))?.equals(after)).toBe(true);
  });

  it('only ever shows whole versions to readers while the key is rewritten', async () => {
    const storage = localReceiptStorage(dir);
    const key = newKey();
    const versions = Array.from({ length: 6 }, () => randomBytes(MB));
    const known = new Set(versions.map(sha256));
    await storage.put(key, versions[0]!, 'image/png');

    const writes = versions.map((v) => storage.put(key, v, 'image/png'));
    const reads = Array.from({ length: 12 }, () => storage.getBytes(key));
    const streams = Array.from({ length: 4 }, async () => {
      const object = await storage.get(key);
      return object ? (await readAll(object.body)).bytes : null;
    });
    await Promise.all(writes);
    const seen = await Promise.all([...reads, ...streams]);

    for (const bytes of seen) {
      expect(bytes).not.toBeNull();
      expect(known.has(sha256(bytes!))).toBe(true);
    }
  });

  it('cannot address its own sidecar files as keys', async () => {
    const storage = localReceiptStorage(dir);
    const [org, receipt] = [randomUUID(), randomUUID()];
    await storage.put(`${org}/${receipt}`, Buffer.from('x'), 'image/png');
    await expect(storage.getBytes(`${org}/.${receipt}.meta.json`)).rejects.toThrow(/receipt storage key/);
  });
});

describe('S3 receipt storage (against the fake S3 server)', () => {
  let fake: FakeS3;
  const prefix = 'receipts-test';

  beforeAll(async () => {
    fake = await startFakeS3({ buckets: ['flowline-receipts'] });
  });
  afterAll(() => fake.close());

  const storageWith = (overrides: Partial<Parameters<typeof s3ReceiptStorage>[0]> = {}) =>
    s3ReceiptStorage({
      bucket: 'flowline-receipts',
      region: fake.region,
      endpoint: fake.url,
      forcePathStyle: true,
      prefix,
      credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey },
      maxAttempts: 1,
      ...overrides,
    });

  behavesAsReceiptStorage(() => storageWith());

  it('stores objects under the prefix with their content type', async () => {
    const key = newKey();
    await storageWith().put(key, Buffer.from('png bytes'), 'image/png');
    const stored = fake.object('flowline-receipts', `${prefix}/${key}`);
    expect(stored?.contentType).toBe('image/png');
    expect(stored?.body.toString()).toBe('png bytes');
  });

  it('surfaces a wrong secret as an error from put (403 SignatureDoesNotMatch)', async () => {
    const key = newKey();
    const storage = storageWith({ credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: 'not-the-secret' } });
    await expect(storage.put(key, Buffer.from('x'), 'image/png')).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(storage.getBytes(key)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    expect(fake.object('flowline-receipts', `${prefix}/${key}`)).toBeUndefined();
  });

  it('surfaces an unknown access key and a missing bucket as errors, not as a missing receipt', async () => {
    const stranger = storageWith({ credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: fake.secretAccessKey } });
    await expect(stranger.put(newKey(), Buffer.from('x'), 'image/png')).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    await expect(storageWith({ bucket: 'no-such-bucket' }).get(newKey())).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('the fake S3 server', () => {
  let fake: FakeS3;
  beforeAll(async () => {
    fake = await startFakeS3();
  });
  afterAll(() => fake.close());

  it('refuses unsigned requests with an S3 XML error, and answers NoSuchKey with its XML body', async () => {
    const response = await fetch(`${fake.url}/receipts/org/receipt`);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/<Error><Code>AccessDenied<\/Code>/);

    const client = new S3Client({
      region: fake.region,
      endpoint: fake.url,
      forcePathStyle: true,
      credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey },
      maxAttempts: 1,
    });
    await expect(client.send(new GetObjectCommand({ Bucket: 'receipts', Key: 'org/missing' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    });
    client.destroy();
  });

  it('refuses a body that is not the one whose hash was signed', async () => {
    const client = new S3Client({
      region: fake.region,
      endpoint: fake.url,
      forcePathStyle: true,
      credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey },
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    // Runs after signing: the bytes sent (same length) differ from those the signature covers.
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { body: unknown }).body = Buffer.from('tampered');
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamperAfterSigning' },
    );
    await expect(
      client.send(new PutObjectCommand({ Bucket: 'receipts', Key: 'org/tampered', Body: Buffer.from('original'), ContentType: 'image/png' })),
    ).rejects.toMatchObject({ name: 'XAmzContentSHA256Mismatch', $metadata: { httpStatusCode: 400 } });
    expect(fake.object('receipts', 'org/tampered')).toBeUndefined();
    client.destroy();
  });

  it("verifies the CRC32 checksums the SDK sends by default and returns them on read", async () => {
    // A client with the SDK's default checksum behaviour (not the storage's WHEN_REQUIRED).
    const client = new S3Client({
      region: fake.region,
      endpoint: fake.url,
      forcePathStyle: true,
      credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey },
      maxAttempts: 1,
    });
    const bytes = randomBytes(100_000);
    await client.send(new PutObjectCommand({ Bucket: 'receipts', Key: 'org/checksummed', Body: bytes, ContentType: 'image/png' }));
    expect(fake.object('receipts', 'org/checksummed')?.crc32).toMatch(/^[A-Za-z0-9+/]{6}==$/);

    const read = await client.send(new GetObjectCommand({ Bucket: 'receipts', Key: 'org/checksummed' }));
    expect(read.ChecksumCRC32).toBe(fake.object('receipts', 'org/checksummed')?.crc32);
    expect(Buffer.from(await read.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    client.destroy();
  });
});

describe('receiptStorageFrom', () => {
  const local: StorageConfig = { RECEIPTS_STORAGE: 'local', RECEIPTS_DIR: '.data/receipts' };

  it('chooses local disk by default settings', () => {
    expect(receiptStorageFrom(local).kind).toBe('local');
  });

  it('names the missing bucket when s3 is chosen without one', () => {
    expect(() => receiptStorageFrom({ ...local, RECEIPTS_STORAGE: 's3' })).toThrow(/RECEIPTS_S3_BUCKET/);
    expect(() => receiptStorageFrom({ ...local, RECEIPTS_STORAGE: 's3', RECEIPTS_S3_BUCKET: '  ' })).toThrow(/RECEIPTS_S3_BUCKET/);
  });

  it('refuses half a key pair, naming the missing half', () => {
    expect(() => receiptStorageFrom({ ...local, RECEIPTS_STORAGE: 's3', RECEIPTS_S3_BUCKET: 'b', RECEIPTS_S3_ACCESS_KEY_ID: 'AKIA' })).toThrow(
      /RECEIPTS_S3_SECRET_ACCESS_KEY is missing/,
    );
    expect(() => receiptStorageFrom({ ...local, RECEIPTS_STORAGE: 's3', RECEIPTS_S3_BUCKET: 'b', RECEIPTS_S3_SECRET_ACCESS_KEY: 's' })).toThrow(
      /RECEIPTS_S3_ACCESS_KEY_ID is missing/,
    );
  });

  it('builds a working S3 storage from the settings', async () => {
    const fake = await startFakeS3({ buckets: ['configured'], region: 'eu-west-1' });
    try {
      const storage = receiptStorageFrom({
        ...local,
        RECEIPTS_STORAGE: 's3',
        RECEIPTS_S3_BUCKET: 'configured',
        RECEIPTS_S3_REGION: 'eu-west-1',
        RECEIPTS_S3_ENDPOINT: fake.url,
        RECEIPTS_S3_FORCE_PATH_STYLE: true,
        RECEIPTS_S3_PREFIX: 'tenant-files/',
        RECEIPTS_S3_ACCESS_KEY_ID: fake.accessKeyId,
        RECEIPTS_S3_SECRET_ACCESS_KEY: fake.secretAccessKey,
      });
      expect(storage.kind).toBe('s3');
      const key = newKey();
      await storage.put(key, Buffer.from('%PDF'), 'application/pdf');
      expect(fake.object('configured', `tenant-files/${key}`)?.contentType).toBe('application/pdf');
      expect((await storage.getBytes(key))?.toString()).toBe('%PDF');
    } finally {
      await fake.close();
    }
  });
});
