/*
 * Temporal's remote codec protocol, for the Temporal Web UI's and CLI's "codec endpoint": they
 * POST `{"payloads": [{"metadata": {"<key>": "<base64>"}, "data": "<base64>"}]}` (Payloads as
 * proto3 JSON: every bytes field base64, metadata values included) to `<endpoint>/decode` or
 * `<endpoint>/encode`, with `Content-Type: application/json`, `X-Namespace: <namespace>`, and
 * `Authorization: <the UI user's token>` when the UI passes its access token. The answer is the
 * same shape; 400 for a body or payload that does not decode. Only the last path segment
 * selects the operation, so the router may be mounted at any depth.
 */
import { type Request, type RequestHandler, Router, json } from 'express';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { parseKeyId, PLATFORM_SCOPE, type KeyScope } from './keys';
import { ENCODING_ENCRYPTED, METADATA_KEY_ID, type OrgPayloadCodec } from './payload-codec';

const JsonPayloads = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});
export type JsonPayloads = z.infer<typeof JsonPayloads>;

/** Proto3 JSON (base64 bytes) to payloads; throws on anything else. */
export function payloadsFromJson(body: unknown): Payload[] {
  const parsed = JsonPayloads.parse(body);
  return parsed.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  }));
}

export function payloadsToJson(payloads: Payload[]): JsonPayloads {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

/** The key scopes (organization ids, or "platform") an operation on these payloads touches. */
export function scopesOf(codec: OrgPayloadCodec, operation: 'encode' | 'decode', payloads: Payload[]): Set<KeyScope> {
  const scopes = new Set<KeyScope>();
  for (const p of payloads) {
    if (operation === 'encode') {
      scopes.add(codec.scopeOf(p));
      continue;
    }
    const encoding = p.metadata?.encoding && Buffer.from(p.metadata.encoding).toString('utf8');
    if (encoding !== ENCODING_ENCRYPTED) continue;
    const keyId = p.metadata?.[METADATA_KEY_ID];
    // An unparseable key id is refused by the codec itself; count it as the platform's.
    scopes.add((keyId && parseKeyId(Buffer.from(keyId).toString('utf8'))?.scope) || PLATFORM_SCOPE);
  }
  return scopes;
}

export interface RemoteCodecOptions {
  codec: OrgPayloadCodec;
  /** The Temporal namespace served; a request naming another one (X-Namespace) is refused. */
  namespace: string;
  /** Browser origins of the Temporal Web UI allowed to call (CORS); none: no browser access. */
  allowedOrigins: readonly string[];
  /**
   * Whether the caller (its Authorization header) may see or produce payloads of these scopes:
   * members of an organization for its scope, platform operators for "platform".
   */
  authorize(req: Request, scopes: ReadonlySet<KeyScope>, operation: 'encode' | 'decode'): Promise<boolean>;
  maxBodyBytes?: number;
}

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';

export function remoteCodecRouter(options: RemoteCodecOptions): Router {
  const router = Router();
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && options.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      // The UI's "include credentials" setting sends cookies; the answer must allow it.
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
  router.use(cors);
  router.use(json({ limit: options.maxBodyBytes ?? 8 * 1024 * 1024 }));
  router.post(/\/(encode|decode)$/, async (req, res) => {
    const operation = req.path.endsWith('/encode') ? 'encode' : 'decode';
    const namespace = req.header('x-namespace');
    if (namespace && namespace !== options.namespace) {
      res.status(400).json({ message: `This codec serves namespace "${options.namespace}", not "${namespace}"` });
      return;
    }
    let payloads: Payload[];
    try {
      payloads = payloadsFromJson(req.body);
    } catch {
      res.status(400).json({ message: 'The body must be {"payloads": [{"metadata": {...base64}, "data": base64}]}' });
      return;
    }
    if (!(await options.authorize(req, scopesOf(options.codec, operation, payloads), operation))) {
      res.status(403).json({ message: 'Not allowed to read or write these payloads' });
      return;
    }
    try {
      const result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      res.json(payloadsToJson(result));
    } catch (err) {
      res.status(400).json({ message: (err as Error).message });
    }
  });
  return router;
}
