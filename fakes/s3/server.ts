import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { errorXml, requestId, S3Error } from './errors';
import { checkPayloadHash, verifySignature, type Credentials } from './sigv4';

/*
 * A fake S3-compatible server in memory: PutObject, GetObject, HeadObject and DeleteObject on
 * path-style URLs (`/<bucket>/<key>`), with S3's SigV4 checks, response headers and XML error
 * bodies, so the real `@aws-sdk/client-s3` runs against it unchanged.
 *
 * Why a fake of our own rather than an npm S3 server: the ones published (s3rver and its forks)
 * are unmaintained, pull in a web framework, and predate the SDK's default CRC32 checksums; this
 * one covers exactly the four calls the receipts storage makes and checks them as S3 does.
 */
export interface FakeS3Options {
  port?: number;
  host?: string;
  region?: string;
  /** Buckets that exist; requests to any other answer NoSuchBucket. */
  buckets?: string[];
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface FakeObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  /** The base64 CRC32 the client sent (and the fake verified), returned when asked for. */
  crc32?: string;
}

export interface FakeS3 {
  /** The endpoint to give the client, with `forcePathStyle: true`. */
  url: string;
  region: string;
  buckets: string[];
  accessKeyId: string;
  secretAccessKey: string;
  /** Every request answered, in order: what a test can assert about traffic. */
  requests: { method: string; bucket: string; key: string; status: number; code?: string }[];
  object(bucket: string, key: string): FakeObject | undefined;
  reset(): void;
  close(): Promise<void>;
}

/** S3 allows 5 GB in one PUT; the fake keeps everything in memory, so it stops far earlier. */
const MAX_BODY = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading (and dropping) so the client gets the error response, not a reset.
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function objectHeaders(object: FakeObject, checksumMode: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    'content-length': String(object.body.length),
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (checksumMode && object.crc32 !== undefined) {
    headers['x-amz-checksum-crc32'] = object.crc32;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

export function startFakeS3(options: FakeS3Options = {}): Promise<FakeS3> {
  const region = options.region ?? 'us-east-1';
  const buckets = options.buckets ?? ['receipts'];
  const credentials: Credentials = {
    accessKeyId: options.accessKeyId ?? 'AKIAFLOWLINEFAKE0001',
    secretAccessKey: options.secretAccessKey ?? 'flowline-fake-s3-secret-access-key-0001',
  };
  const store = new Map<string, FakeObject>();
  const requests: FakeS3['requests'] = [];
  const storeKey = (bucket: string, key: string) => `${bucket}/${key}`;

  async function handle(req: IncomingMessage, res: ServerResponse, id: string, route: { bucket: string; key: string }): Promise<void> {
    const body = await readBody(req);
    const payloadHash = verifySignature({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, credentials, region);
    checkPayloadHash(payloadHash, body);

    const { bucket, key } = route;
    if (!buckets.includes(bucket)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    if (key === '') throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented (bucket operations)');
    if (req.headers.range !== undefined) throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented (Range)', { Header: 'Range' });

    const common = { 'x-amz-request-id': id, server: 'AmazonS3' };
    switch (req.method) {
      case 'PUT': {
        if (req.headers['x-amz-copy-source'] !== undefined) throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented (CopyObject)');
        const md5 = createHash('md5').update(body).digest();
        const contentMd5 = req.headers['content-md5'];
        if (contentMd5 !== undefined && contentMd5 !== md5.toString('base64')) {
          throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
        }
        const sentCrc32 = req.headers['x-amz-checksum-crc32'];
        let crc: string | undefined;
        if (typeof sentCrc32 === 'string') {
          const computed = Buffer.alloc(4);
          computed.writeUInt32BE(crc32(body));
          crc = computed.toString('base64');
          if (crc !== sentCrc32) throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
        }
        for (const name of Object.keys(req.headers)) {
          if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-crc32') {
            throw new S3Error(501, 'NotImplemented', `A header you provided implies functionality that is not implemented (${name})`);
          }
        }
        const object: FakeObject = {
          body,
          contentType: req.headers['content-type'] ?? 'binary/octet-stream',
          etag: `"${md5.toString('hex')}"`,
          lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
          ...(crc !== undefined ? { crc32: crc } : {}),
        };
        store.set(storeKey(bucket, key), object);
        res.writeHead(200, { ...common, etag: object.etag, ...(crc !== undefined ? { 'x-amz-checksum-crc32': crc, 'x-amz-checksum-type': 'FULL_OBJECT' } : {}), 'content-length': '0' });
        res.end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        const object = store.get(storeKey(bucket, key));
        if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        res.writeHead(200, { ...common, ...objectHeaders(object, req.headers['x-amz-checksum-mode'] === 'ENABLED') });
        res.end(req.method === 'GET' ? object.body : undefined);
        return;
      }
      case 'DELETE': {
        // S3 answers 204 whether or not the key existed.
        store.delete(storeKey(bucket, key));
        res.writeHead(204, common);
        res.end();
        return;
      }
      default:
        throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: req.method ?? '', ResourceType: 'OBJECT' });
    }
  }

  const server = createServer((req, res) => {
    const id = requestId();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const [, rawBucket = '', ...rawKey] = path.split('/');
    let route: { bucket: string; key: string };
    try {
      route = { bucket: decodeURIComponent(rawBucket), key: decodeURIComponent(rawKey.join('/')) };
    } catch {
      route = { bucket: rawBucket, key: rawKey.join('/') };
    }
    const record = (status: number, code?: string) => requests.push({ method: req.method ?? '', ...route, status, ...(code ? { code } : {}) });
    handle(req, res, id, route).then(
      () => record(res.statusCode),
      (error: unknown) => {
        const s3Error = error instanceof S3Error ? error : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
        record(s3Error.status, s3Error.code);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        // HEAD responses carry no body: the SDK reads the status alone (404 -> NotFound).
        const xml = req.method === 'HEAD' ? '' : errorXml(s3Error, id);
        res.writeHead(s3Error.status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)), 'x-amz-request-id': id, server: 'AmazonS3' });
        res.end(xml);
      },
    );
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
        region,
        buckets,
        ...credentials,
        requests,
        object: (bucket, key) => store.get(storeKey(bucket, key)),
        reset() {
          store.clear();
          requests.length = 0;
        },
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
  });
}
