// The receipts stack for tests: the real API and a real worker on the Temporal dev server,
// real Postgres, the fake GHL (where opportunities live) and the fake OpenAI-compatible model
// (which reads receipts), with receipt files on a temporary local disk both share.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Client } from '@temporalio/client';
import { localReceiptStorage } from '../../activities/receipts/storage';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { type ApiResponse, call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createIntegration } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'receipts');
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

/**
 * The same image with different bytes: a PNG with one more tEXt chunk (a nonce) before IEND,
 * so each test uploads a receipt of its own (uploads are deduplicated by content).
 */
export function distinctPng(png: Buffer, nonce = randomUUID()): Buffer {
  const iend = png.length - 12;
  const data = Buffer.from(`nonce\0${nonce}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

export interface ReceiptOrg {
  t: Tenant;
  tokens: { owner: string; admin: string; sales: string; viewer: string; trainer: string };
  /** A GHL opportunity of the org's location, and the synced contact it belongs to. */
  opportunityId: string;
  contactId: string;
}

export interface ReceiptStack {
  sql: Sql;
  ghl: FakeGhl;
  llm: FakeLlm;
  app: RunningApp;
  worker: RunningWorker;
  temporal: { client: Client; close: () => Promise<void> };
  dir: string;
  /** The organization connected to the fake GHL's location (a location has one integration). */
  org(): Promise<ReceiptOrg>;
  /** Another organization, connected to nothing. */
  otherOrg(label: string): Promise<ReceiptOrg>;
  upload(o: ReceiptOrg, token: string, file: Buffer, opts?: { fileName?: string; contentType?: string; opportunityId?: string }): Promise<ApiResponse>;
  api(o: ReceiptOrg, token: string, method: string, p: string, body?: unknown): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function startReceiptStack(): Promise<ReceiptStack> {
  const sql = testSql();
  const dir = mkdtempSync(path.join(tmpdir(), 'flowline-receipts-'));
  const storage = localReceiptStorage(dir);
  const ghl = await startFakeGhl({ seed: { contacts: 3 } });
  const llm = await startFakeLlm();
  const worker = await startWorker({ llm: { baseURL: llm.url, apiKey: llm.apiKey }, ghl: { baseUrl: ghl.url }, receipts: { storage, model: 'flowline-sandbox' } });
  const app = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: ghl.url }, receipts: { storage, maxBytes: 2 * 1024 * 1024, modelRetry: { initialIntervalMs: 100, maximumAttempts: 3 } } });
  const temporal = await connectClient();

  async function tenant(label: string): Promise<Omit<ReceiptOrg, 'opportunityId' | 'contactId'>> {
    const t = await createTenant(sql, label);
    return {
      t,
      tokens: {
        owner: await tokenFor(app.auth, t.users.owner.userId),
        admin: await tokenFor(app.auth, t.users.administrator.userId),
        sales: await tokenFor(app.auth, t.users.sales.userId),
        viewer: await tokenFor(app.auth, t.users.viewer.userId),
        trainer: await tokenFor(app.auth, t.users.bot_trainer.userId),
      },
    };
  }

  let connected: Promise<ReceiptOrg> | undefined;
  const org = () =>
    (connected ??= (async () => {
      const o = await tenant('rcpt-ghl');
      await createIntegration(sql, o.t.orgId, { locationId: ghl.locationId, token: ghl.privateToken });
      const opportunity = [...ghl.state.opportunities.values()][0]!;
      const contact = ghl.state.contacts.get(opportunity.contactId!)!;
      const [row] = await sql<{ id: string }[]>`
        insert into public.contacts (organization_id, ghl_contact_id, name, email)
        values (${o.t.orgId}, ${contact.id}, ${`${contact.firstName} ${contact.lastName}`}, ${contact.email ?? null}) returning id`;
      return { ...o, opportunityId: opportunity.id, contactId: row!.id };
    })());

  async function otherOrg(label: string): Promise<ReceiptOrg> {
    const o = await tenant(label);
    const [row] = await sql<{ id: string }[]>`
      insert into public.contacts (organization_id, ghl_contact_id, name) values (${o.t.orgId}, ${`c-${randomUUID()}`}, 'Other contact') returning id`;
    return { ...o, opportunityId: `opp-${randomUUID().slice(0, 8)}`, contactId: row!.id };
  }

  async function upload(o: ReceiptOrg, token: string, file: Buffer, opts: { fileName?: string; contentType?: string; opportunityId?: string } = {}) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)], { type: opts.contentType ?? 'application/octet-stream' }), opts.fileName ?? 'receipt.png');
    const res = await fetch(`${app.url}/api/v1/orgs/${o.t.orgId}/opportunities/${encodeURIComponent(opts.opportunityId ?? o.opportunityId)}/receipts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      body: form,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: body as any, headers: res.headers };
  }

  return {
    sql,
    ghl,
    llm,
    app,
    worker,
    temporal,
    dir,
    org,
    otherOrg,
    upload,
    api: (o, token, method, p, body) => call(app.url, method, `/api/v1/orgs/${o.t.orgId}${p}`, { token, body }),
    async close() {
      await temporal.close();
      await app.close();
      await worker.stop();
      await llm.close();
      await ghl.close();
      await sql.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
