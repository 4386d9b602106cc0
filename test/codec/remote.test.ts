import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { defaultPayloadConverter } from '@temporalio/common';
import express from 'express';
import type { Sql } from '../../db/client';
import { DataKeyStore } from '../../codec/keys';
import { OrgPayloadCodec } from '../../codec/payload-codec';
import { payloadsFromJson, payloadsToJson, remoteCodecRouter } from '../../codec/remote';
import { appSql, testSql } from '../helpers/db';
import { createOrg } from '../helpers/tenants';
import { TEST_MASTER_RING } from './setup';

const UI_ORIGIN = 'http://localhost:8233';

/*
 * The codec endpoint of Temporal's remote codec protocol, over real HTTP. Authorization here
 * is a stand-in ("Bearer <orgId>" may read that organization): the route's job is to ask it,
 * with the scopes the payloads belong to.
 */
describe('remote codec endpoint', () => {
  let owner: Sql;
  let app: Sql;
  let orgA: string;
  let orgB: string;
  let codec: OrgPayloadCodec;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    orgA = await createOrg(owner, 'codec-remote-a');
    orgB = await createOrg(owner, 'codec-remote-b');
    codec = new OrgPayloadCodec(new DataKeyStore({ sql: app, ring: TEST_MASTER_RING }));
    const web = express();
    web.use(
      '/codec',
      remoteCodecRouter({
        codec,
        namespace: 'default',
        allowedOrigins: [UI_ORIGIN],
        authorize: async (req) => {
          const org = req.header('authorization')?.replace(/^Bearer /, '');
          return org ? (scope) => scope === org : null;
        },
      }),
    );
    server = web.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await app?.end();
    await owner?.end();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: JSON.stringify(body) });

  it("decodes an organization's payloads for its member, in proto3 JSON, at any depth", async () => {
    const value = { orgId: orgA, message: 'hello there' };
    const encoded = await codec.encode([defaultPayloadConverter.toPayload(value)]);
    for (const path of ['/decode', '/default/decode']) {
      const res = await post(path, payloadsToJson(encoded), { authorization: `Bearer ${orgA}` });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
      // Bytes as base64, metadata values included.
      expect(Buffer.from(body.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(payloadsFromJson(body).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([value]);
    }
  });

  it("answers another organization's payloads still encrypted, beside the caller's own decoded", async () => {
    const theirs = await codec.encode([defaultPayloadConverter.toPayload({ orgId: orgB, message: 'b only' })]);
    const mine = await codec.encode([defaultPayloadConverter.toPayload({ orgId: orgA, message: 'a here' })]);
    const res = await post('/decode', payloadsToJson([...theirs, ...mine]), { authorization: `Bearer ${orgA}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { payloads: unknown[] };
    expect(JSON.stringify(body)).not.toContain(Buffer.from('b only').toString('base64').slice(0, 8));
    const back = payloadsFromJson(body);
    expect(Buffer.from(back[0]!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(back[0]!.data!).equals(Buffer.from(theirs[0]!.data!))).toBe(true);
    expect(defaultPayloadConverter.fromPayload(back[1]!)).toEqual({ orgId: orgA, message: 'a here' });
    // Writing under their key is refused.
    const encode = await post('/encode', payloadsToJson([defaultPayloadConverter.toPayload({ orgId: orgB, note: 'x' })]), { authorization: `Bearer ${orgA}` });
    expect(encode.status).toBe(403);
  });

  it('answers 401 without credentials, and leaves the payloads alone', async () => {
    const encoded = await codec.encode([defaultPayloadConverter.toPayload({ orgId: orgA, message: 'secret' })]);
    const res = await post('/decode', payloadsToJson(encoded));
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain('secret');
  });

  it('encodes for the UI (a signal typed there) under the organization the payload names', async () => {
    const plain = [defaultPayloadConverter.toPayload({ orgId: orgA, note: 'from the UI' })];
    const res = await post('/encode', payloadsToJson(plain), { authorization: `Bearer ${orgA}` });
    expect(res.status).toBe(200);
    const encoded = payloadsFromJson(await res.json());
    expect(Buffer.from(encoded[0]!.metadata!['encryption-key-id']!).toString()).toBe(`${orgA}:1`);
    expect((await codec.decode(encoded)).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ orgId: orgA, note: 'from the UI' }]);
  });

  it('answers 400 to a malformed body, another namespace, or a payload that does not decrypt', async () => {
    expect((await post('/decode', { nope: true }, { authorization: `Bearer ${orgA}` })).status).toBe(400);
    const encoded = payloadsToJson(await codec.encode([defaultPayloadConverter.toPayload({ orgId: orgA })]));
    expect((await post('/decode', encoded, { authorization: `Bearer ${orgA}`, 'x-namespace': 'other' })).status).toBe(400);
    const tampered = { payloads: [{ ...encoded.payloads[0]!, data: Buffer.from('x'.repeat(40)).toString('base64') }] };
    const res = await post('/decode', tampered, { authorization: `Bearer ${orgA}` });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toContain(`"${orgA}:1"`);
  });

  it('answers CORS preflights from the Temporal UI, not from other origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' } });
    const ui = await preflight(UI_ORIGIN);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-headers')).toBe('Content-Type, X-Namespace, Authorization');
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
