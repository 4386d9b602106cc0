import { randomUUID } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Sql } from '../../db/client';
import { DataKeyStore } from '../../codec/keys';
import { DECRYPTION_FAILURE_TYPE, ENCODING_ENCRYPTED, METADATA_KEY_ID, OrgPayloadCodec, orgFromWorkflowId, orgIdOfPayload } from '../../codec/payload-codec';
import { appSql, testSql } from '../helpers/db';
import { createOrg } from '../helpers/tenants';
import { TEST_MASTER_RING } from './setup';

const toPayload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const fromPayload = (payload: Payload) => defaultPayloadConverter.fromPayload(payload);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const metadataOf = (payload: Payload) => Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, text(v)]));

/** What the codec threw (or 'decoded' when it did not). */
async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure | 'decoded'> {
  try {
    await p;
    return 'decoded';
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
}

describe('OrgPayloadCodec', () => {
  let owner: Sql;
  let app: Sql;
  let orgA: string;
  let orgB: string;
  let codec: OrgPayloadCodec;

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    orgA = await createOrg(owner, 'codec-a');
    orgB = await createOrg(owner, 'codec-b');
    codec = new OrgPayloadCodec(new DataKeyStore({ sql: app, ring: TEST_MASTER_RING }));
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
  });

  it("encrypts a payload under its organization's key and decrypts it back exactly", async () => {
    const input = { orgId: orgA, contact: { email: 'ada@example.test', phone: '+15550100' }, amountMinor: 1999 };
    const original = toPayload(input);
    const [encrypted] = await codec.encode([original]);
    expect(metadataOf(encrypted!)).toEqual({ encoding: ENCODING_ENCRYPTED, [METADATA_KEY_ID]: `${orgA}:1`, 'encryption-cipher': 'AES-256-GCM' });
    expect(text(encrypted!.data)).not.toContain('ada@example.test');
    const [decrypted] = await codec.decode([encrypted!]);
    expect(metadataOf(decrypted!)).toEqual(metadataOf(original));
    expect(Buffer.from(decrypted!.data!).equals(Buffer.from(original.data!))).toBe(true);
    expect(fromPayload(decrypted!)).toEqual(input);
  });

  it('uses a fresh nonce: the same payload twice gives two ciphertexts', async () => {
    const payload = toPayload({ orgId: orgA, note: 'same' });
    const [one, two] = await codec.encode([payload, payload]);
    expect(Buffer.from(one!.data!).equals(Buffer.from(two!.data!))).toBe(false);
    expect((await codec.decode([one!, two!])).map(fromPayload)).toEqual([{ orgId: orgA, note: 'same' }, { orgId: orgA, note: 'same' }]);
  });

  it("keeps organizations apart: B's payload relabelled with A's key id does not decrypt", async () => {
    const [ofA] = await codec.encode([toPayload({ orgId: orgA, secret: 'a' })]);
    const [ofB] = await codec.encode([toPayload({ orgId: orgB, secret: 'b' })]);
    expect(text(ofB!.metadata![METADATA_KEY_ID])).toBe(`${orgB}:1`);
    const moved: Payload = { metadata: { ...ofB!.metadata, [METADATA_KEY_ID]: ofA!.metadata![METADATA_KEY_ID]! }, data: ofB!.data };
    const failure = await failureOf(codec.decode([moved]));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).message).toContain(`"${orgA}:1" does not decrypt`);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).type).toBe(DECRYPTION_FAILURE_TYPE);
  });

  it('detects a tampered byte', async () => {
    const [encrypted] = await codec.encode([toPayload({ orgId: orgA, amountMinor: 100 })]);
    for (const index of [0, 20, encrypted!.data!.length - 1]) {
      const data = new Uint8Array(encrypted!.data!);
      data[index] = data[index]! ^ 0x01;
      const failure = await failureOf(codec.decode([{ metadata: encrypted!.metadata, data }]));
      expect((failure as ApplicationFailure).message).toMatch(/does not decrypt: it was altered/);
    }
  });

  it('names the key id when it is unknown or missing', async () => {
    const [encrypted] = await codec.encode([toPayload({ orgId: orgA })]);
    const unknownId = `${orgA}:77`;
    const unknown = await failureOf(codec.decode([{ metadata: { ...encrypted!.metadata, [METADATA_KEY_ID]: Buffer.from(unknownId) }, data: encrypted!.data }]));
    expect((unknown as ApplicationFailure).message).toBe(`An encrypted payload names data key "${unknownId}", which does not exist`);
    expect((unknown as ApplicationFailure).nonRetryable).toBe(true);
    const garbled = await failureOf(codec.decode([{ metadata: { ...encrypted!.metadata, [METADATA_KEY_ID]: Buffer.from('k9') }, data: encrypted!.data }]));
    expect((garbled as ApplicationFailure).message).toContain('"k9"');
    const { [METADATA_KEY_ID]: _dropped, ...withoutKeyId } = encrypted!.metadata!;
    const missing = await failureOf(codec.decode([{ metadata: withoutKeyId, data: encrypted!.data }]));
    expect((missing as ApplicationFailure).message).toMatch(/names no data key/);
  });

  it('passes payloads that were never encrypted through unchanged (histories from before encryption replay)', async () => {
    const plain = [toPayload({ orgId: orgA, note: 'old' }), toPayload('a string'), toPayload(undefined)];
    const decoded = await codec.decode(plain);
    expect(decoded).toEqual(plain);
  });

  it('encrypts payloads without an organization under the platform key', async () => {
    const values = ['a bare string', [{ orgId: orgA }], { no: 'org' }, { orgId: 'not-a-uuid' }, null, undefined];
    const encoded = await codec.encode(values.map(toPayload));
    for (const payload of encoded) {
      expect(text(payload.metadata!.encoding)).toBe(ENCODING_ENCRYPTED);
      expect(text(payload.metadata![METADATA_KEY_ID])).toMatch(/^platform:\d+$/);
    }
    expect((await codec.decode(encoded)).map(fromPayload)).toEqual(values);
  });

  it('uses the platform key for an organization id that names no organization', async () => {
    const [encrypted] = await codec.encode([toPayload({ orgId: randomUUID(), x: 1 })]);
    expect(text(encrypted!.metadata![METADATA_KEY_ID])).toMatch(/^platform:\d+$/);
  });

  it('still decrypts what was encrypted before a rotation, and encrypts new payloads with the new version', async () => {
    const orgId = await createOrg(owner, 'codec-rotate');
    const store = new DataKeyStore({ sql: app, ring: TEST_MASTER_RING });
    const rotating = new OrgPayloadCodec(store);
    const [before] = await rotating.encode([toPayload({ orgId, n: 1 })]);
    expect(text(before!.metadata![METADATA_KEY_ID])).toBe(`${orgId}:1`);
    await store.rotate(orgId);
    const [after] = await rotating.encode([toPayload({ orgId, n: 2 })]);
    expect(text(after!.metadata![METADATA_KEY_ID])).toBe(`${orgId}:2`);
    // Another process, with nothing cached, reads both.
    const elsewhere = new OrgPayloadCodec(new DataKeyStore({ sql: app, ring: TEST_MASTER_RING }));
    expect((await elsewhere.decode([before!, after!])).map(fromPayload)).toEqual([{ orgId, n: 1 }, { orgId, n: 2 }]);
  });

  it('falls back to the organization of an org-scoped workflow id when asked to', async () => {
    const withContext = new OrgPayloadCodec(new DataKeyStore({ sql: app, ring: TEST_MASTER_RING }), { orgFromContext: orgFromWorkflowId });
    const result = toPayload({ status: 'confirmed', saleId: null });
    const [scoped] = await withContext.encode([result], { type: 'activity', namespace: 'default', workflowId: `receipt:${orgA}:${randomUUID()}`, isLocal: false });
    expect(text(scoped!.metadata![METADATA_KEY_ID])).toBe(`${orgA}:1`);
    // flow:<executionId> names an execution, not an organization.
    const [flow] = await withContext.encode([result], { type: 'workflow', namespace: 'default', workflowId: `flow:${randomUUID()}` });
    expect(text(flow!.metadata![METADATA_KEY_ID])).toMatch(/^platform:/);
    expect((await withContext.decode([scoped!, flow!])).map(fromPayload)).toEqual([{ status: 'confirmed', saleId: null }, { status: 'confirmed', saleId: null }]);
  });

  it('reads orgId only from the top level of a JSON object', () => {
    expect(orgIdOfPayload(toPayload({ orgId: orgA.toUpperCase() }))).toBe(orgA);
    expect(orgIdOfPayload(toPayload({ nested: { orgId: orgA } }))).toBeUndefined();
    expect(orgIdOfPayload(toPayload([{ orgId: orgA }]))).toBeUndefined();
    expect(orgIdOfPayload(toPayload(`{"orgId":"${orgA}"}`))).toBeUndefined();
    expect(orgIdOfPayload(toPayload(new Uint8Array(Buffer.from(`{"orgId":"${orgA}"}`))))).toBeUndefined();
  });
});
