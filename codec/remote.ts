/*
 * Temporal's remote codec protocol, for the Temporal Web UI's and CLI's "codec endpoint": they
 * POST `{"payloads": [{"metadata": {"<key>": "<base64>"}, "data": "<base64>"}]}` (Payloads as
 * proto3 JSON: every bytes field base64, metadata values included) to `<endpoint>/decode` or
 * `<endpoint>/encode`, with `Content-Type: application/json`, `X-Namespace: <namespace>`, and
 * either `Authorization: Bearer <token>` (the UI's passAccessToken: https endpoints only) or the
 * endpoint's cookies (the UI's includeCredentials: `fetch(…, { credentials: 'include' })`). Who
 * the caller is, is `authorize`'s business. The answer is the same shape; 400 for a body or
 * payload that does not decode. Only the last path segment selects the operation, so the router
 * may be mounted at any depth.
 */
import { type Request, type RequestHandler, type Response, Router, json } from 'express';
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
    const scope = operation === 'encode' ? codec.scopeOf(p) : scopeOfEncrypted(p);
    if (scope !== undefined) scopes.add(scope);
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
   * Who the caller is (its Authorization header or cookies): the key scopes it may read and write (members
   * of an organization for its scope, platform operators for "platform"), or null when it is
   * not authenticated (401, payloads untouched).
   */
  authorize(req: Request): Promise<((scope: KeyScope) => boolean) | null>;
  maxBodyBytes?: number;
}

/** Errors as the rest of the API answers them: RFC 9457 problem details. */
export function problem(res: Response, status: number, title: string, detail: string): void {
  res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

/** The scope of one encrypted payload, or undefined for a payload that is not encrypted. */
function scopeOfEncrypted(p: Payload): KeyScope | undefined {
  const encoding = p.metadata?.encoding && Buffer.from(p.metadata.encoding).toString('utf8');
  if (encoding !== ENCODING_ENCRYPTED) return undefined;
  const keyId = p.metadata?.[METADATA_KEY_ID];
  return (keyId && parseKeyId(Buffer.from(keyId).toString('utf8'))?.scope) || PLATFORM_SCOPE;
}

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';

export function remoteCodecRouter(options: RemoteCodecOptions): Router {
  const router = Router();
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && options.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      // The UI's "Include cross-origin credentials" sends cookies: the answer must allow them.
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
      problem(res, 400, 'Wrong namespace', `This codec serves namespace "${options.namespace}", not "${namespace}"`);
      return;
    }
    let payloads: Payload[];
    try {
      payloads = payloadsFromJson(req.body);
    } catch {
      problem(res, 400, 'Invalid payloads', 'The body must be {"payloads": [{"metadata": {...base64}, "data": base64}]}');
      return;
    }
    const allowed = await options.authorize(req);
    if (!allowed) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      problem(res, 401, 'Unauthorized', 'Sign in: send Authorization: Bearer <access token>, or open a codec session (POST /api/v1/codec/session)');
      return;
    }
    try {
      if (operation === 'encode') {
        // Writing under an organization's key is for its operators only.
        if (![...scopesOf(options.codec, 'encode', payloads)].every(allowed)) {
          problem(res, 403, 'Forbidden', 'Not allowed to write payloads for this organization');
          return;
        }
        res.json(payloadsToJson(await options.codec.encode(payloads)));
        return;
      }
      // Each payload the caller may read is decoded; the others are answered still encrypted.
      const decoded = await Promise.all(
        payloads.map(async (p) => {
          const scope = scopeOfEncrypted(p);
          return scope === undefined || !allowed(scope) ? p : (await options.codec.decode([p]))[0]!;
        }),
      );
      res.json(payloadsToJson(decoded));
    } catch (err) {
      problem(res, 400, 'Payload does not decode', (err as Error).message);
    }
  });
  return router;
}
