/*
 * The Temporal payload codec: every payload a client or worker sends to Temporal is encrypted
 * with AES-256-GCM under the data key of the organization it belongs to, and decrypted on the
 * way back. Temporal's history then holds only ciphertext plus the key id.
 *
 * Which organization a payload belongs to: a codec sees payloads, not the workflow. The
 * TypeScript SDK turns each workflow/activity argument and each result into one payload of its
 * own (JSON, `json/plain`), and every Flowline workflow input and nearly every activity input
 * is an object with a top-level `orgId` (set by our API/worker from the authenticated
 * organization, never from user data). So the codec reads that `orgId` from the plaintext it
 * is about to encrypt and uses the organization's key; the key id
 * (`encryption-key-id: <orgId>:<version>`) travels in the payload's metadata, so decoding needs
 * nothing but the payload, in a worker, a client or the remote codec endpoint alike.
 * Evaluated and not chosen as the primary rule:
 * - A wrapping PayloadConverter: converters run inside the workflow sandbox (deterministic, no
 *   I/O, no crypto randomness), so they cannot fetch keys or encrypt.
 * - The SDK's serialization context (1.24 passes a `SerializationContext` to codecs, marked
 *   experimental): it carries the workflow id, not the organization, and `flow:<executionId>`
 *   ids name no organization; the remote codec endpoint never has one. It is offered as an
 *   opt-in fallback (`orgFromContext`, see orgFromWorkflowId) for payloads without `orgId`.
 * Not covered by the organization rule: payloads with no top-level `orgId` (activity results
 * that are strings, arrays or objects without it; failures' details; memos; heartbeat
 * details). They are encrypted all the same, with the platform key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApplicationFailure, METADATA_ENCODING_KEY, type Payload, type PayloadCodec, type SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { type DataKey, isOrgScope, type KeyScope, PLATFORM_SCOPE } from './keys';

export const ENCODING_ENCRYPTED = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The failure type of a payload that does not decrypt (non-retryable: retrying cannot fix it). */
export const DECRYPTION_FAILURE_TYPE = 'PayloadDecryptionError';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const ORG_ID_FIELD = utf8.encode('"orgId"');

/** What the codec needs of the key store (codec/keys.ts DataKeyStore). */
export interface DataKeys {
  activeKey(scope: KeyScope): Promise<DataKey | undefined>;
  keyById(keyId: string): Promise<DataKey | undefined>;
}

export interface OrgPayloadCodecOptions {
  /**
   * Fallback for payloads without an `orgId`: the organization of the workflow or activity the
   * SDK says the payload belongs to (e.g. orgFromWorkflowId). Absent: the platform key.
   */
  orgFromContext?: (context: SerializationContext) => string | undefined;
}

export class OrgPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: DataKeys,
    private readonly options: OrgPayloadCodecOptions = {},
  ) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.encodeOne(payload, context)));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decodeOne(payload)));
  }

  /** The scope whose key encrypts this payload. */
  scopeOf(payload: Payload, context?: SerializationContext): KeyScope {
    const fromPayload = orgIdOfPayload(payload);
    if (fromPayload) return fromPayload;
    const fromContext = context && this.options.orgFromContext?.(context);
    return fromContext && isOrgScope(fromContext) ? fromContext : PLATFORM_SCOPE;
  }

  private async encodeOne(payload: Payload, context?: SerializationContext): Promise<Payload> {
    const scope = this.scopeOf(payload, context);
    // An organization id that names no organization belongs to no tenant: platform key.
    const key = (await this.keys.activeKey(scope)) ?? (await this.keys.activeKey(PLATFORM_SCOPE));
    if (!key) throw new Error('The platform data key could not be created');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
    // The key id is associated data: relabelling a payload with another key id (another
    // organization's) makes it fail to decrypt rather than decrypt under the wrong name.
    cipher.setAAD(Buffer.from(key.keyId, 'utf8'));
    const plain = temporal.api.common.v1.Payload.encode({ metadata: payload.metadata ?? {}, data: payload.data ?? new Uint8Array() }).finish();
    const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8.encode(ENCODING_ENCRYPTED),
        [METADATA_KEY_ID]: utf8.encode(key.keyId),
        [METADATA_CIPHER]: utf8.encode(CIPHER),
      },
      data: new Uint8Array(sealed),
    };
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    // Payloads written before encryption was on (or by a codec-less client) replay as they are.
    if (!encoding || fromUtf8.decode(encoding) !== ENCODING_ENCRYPTED) return payload;
    const rawKeyId = payload.metadata?.[METADATA_KEY_ID];
    if (!rawKeyId) throw decryptionFailure(`An encrypted payload names no data key (metadata "${METADATA_KEY_ID}" is missing)`);
    const keyId = fromUtf8.decode(rawKeyId);
    const key = await this.keys.keyById(keyId);
    if (!key) throw decryptionFailure(`An encrypted payload names data key "${keyId}", which does not exist`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < NONCE_BYTES + TAG_BYTES) throw decryptionFailure(`An encrypted payload under data key "${keyId}" is truncated`);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw decryptionFailure(`An encrypted payload under data key "${keyId}" does not decrypt: it was altered, or it was encrypted under another key`);
    }
    const inner = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: { ...inner.metadata }, data: inner.data };
  }
}

function decryptionFailure(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: DECRYPTION_FAILURE_TYPE, nonRetryable: true });
}

/**
 * The top-level `orgId` of a JSON payload whose value is an object, lower-cased, when it is a
 * UUID; undefined otherwise (other encodings, arrays, strings, no or malformed orgId).
 */
export function orgIdOfPayload(payload: Payload): string | undefined {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  const data = payload.data;
  if (!encoding || !data || fromUtf8.decode(encoding) !== 'json/plain') return undefined;
  // Most payloads without the field are never parsed.
  if (Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(ORG_ID_FIELD) === -1) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8.decode(data));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const orgId = (value as { orgId?: unknown }).orgId;
  if (typeof orgId !== 'string') return undefined;
  const lower = orgId.toLowerCase();
  return isOrgScope(lower) ? lower : undefined;
}

/**
 * Workflow ids that start `<kind>:<orgId>:` (workflows/*: receipt, commission, conversation...).
 * `flow:<executionId>` ids are absent on purpose: their second part is not an organization.
 */
const ORG_SCOPED_WORKFLOW_KINDS = new Set([
  'receipt',
  'commission',
  'commission-correction',
  'refund',
  'payout',
  'conversation',
  'bot-channel',
  'human-reply',
  'ghl-event',
  'ghl-contacts-sync',
]);

/** For `orgFromContext`: the organization named by a workflow id of a known org-scoped kind. */
export function orgFromWorkflowId(context: SerializationContext): string | undefined {
  const workflowId = context.workflowId;
  if (!workflowId) return undefined;
  const [kind, orgId] = workflowId.split(':');
  if (!kind || !orgId || !ORG_SCOPED_WORKFLOW_KINDS.has(kind)) return undefined;
  const lower = orgId.toLowerCase();
  return isOrgScope(lower) ? lower : undefined;
}
