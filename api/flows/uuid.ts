import { createHash } from 'node:crypto';

/**
 * RFC 4122 version-5 UUID: the same name always gives the same id. Webhook deliveries with one
 * idempotency key map to one execution id, hence one Temporal workflow id: exactly-once start.
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Namespace of execution ids derived from idempotency keys. */
export const EXECUTION_NAMESPACE = '5b1f3c2e-8e0a-4c59-9a49-0c7d2f4e6a11';
