// Fixtures and traffic for bench/commissions.ts: an organization with a connected GHL location,
// team members on their own rates and automatic approval, an owner's access token, the payments
// (generated from a seed, in integer cents) and the GHL workflow-webhook bodies that report them.
import { randomBytes, randomUUID } from 'node:crypto';
import { type Agent, request } from 'node:http';
import { signAccessToken, type AuthConfig } from '../../api/auth/tokens';
import type { Sql } from '../../db/client';
import { integrationContext, parseKeyRing, seal } from '../../db/secrets';
import type { Load } from './load';

// ---------------------------------------------------------------------------------------------
// The organization, written as the migration owner (RLS bypassed)
// ---------------------------------------------------------------------------------------------
export interface Member {
  id: string;
  /** Their GHL user id (team_members.external_id): what customData.sales_rep_id names. */
  ghlUserId: string;
  rateBps: number;
}

export interface BenchOrg {
  orgId: string;
  ownerUserId: string;
  locationId: string;
  /** POST target of the location's GHL workflow "Webhook" action. */
  hookPath: string;
  members: Member[];
}

// Multiples of 25 basis points from 5% to 15%: many give exact halves of a cent (10% of x.x5).
const RATES_BPS = [500, 550, 600, 625, 650, 700, 750, 800, 850, 900, 950, 1000, 1050, 1100, 1150, 1200, 1250, 1300, 1350, 1400, 1450, 1500];

/**
 * One organization: an owner, `memberCount` team members with a GHL user id and their own
 * percentage rate, a connected GHL location (sealed credentials with a throwaway key ring: only
 * its workflow-webhook token is used) and settings that approve every commission automatically.
 */
export async function createCommissionOrg(sql: Sql, label: string, memberCount: number): Promise<BenchOrg> {
  const [org] = await sql<{ id: string }[]>`
    insert into public.organizations (name, slug, max_users, max_workflows)
    values (${label}, ${`${label}-${randomUUID().slice(0, 8)}`}, 100, 100) returning id`;
  const orgId = org!.id;
  const [owner] = await sql<{ id: string }[]>`insert into auth.users (email) values (${`${label}-owner-${randomUUID()}@example.test`}) returning id`;
  await sql`insert into public.organization_members (organization_id, user_id, role) values (${orgId}, ${owner!.id}, 'owner')`;

  const members: Member[] = [];
  for (let i = 0; i < memberCount; i += 1) {
    const rateBps = RATES_BPS[i % RATES_BPS.length]!;
    const ghlUserId = `ghl-user-${i}-${randomUUID().slice(0, 8)}`;
    const [row] = await sql<{ id: string }[]>`
      insert into public.team_members (organization_id, full_name, external_id, email, commission_rate_bps, commission_type)
      values (${orgId}, ${`Rep ${i + 1}`}, ${ghlUserId}, ${`rep-${i + 1}-${randomUUID().slice(0, 6)}@example.test`}, ${rateBps}, 'percentage')
      returning id`;
    members.push({ id: row!.id, ghlUserId, rateBps });
  }

  const integrationId = randomUUID();
  const locationId = `loc-${randomUUID().slice(0, 12)}`;
  const keyRing = parseKeyRing(randomBytes(32).toString('base64'));
  const sealed = seal(keyRing, integrationContext(orgId, integrationId), { kind: 'private_token', accessToken: 'pit-bench-token' });
  const [integration] = await sql<{ workflow_webhook_token: string }[]>`
    insert into public.integrations (id, organization_id, provider, auth_type, external_account_id, credentials, credentials_key_id)
    values (${integrationId}, ${orgId}, 'ghl', 'private_token', ${locationId}, ${sealed.envelope}, ${sealed.keyId})
    returning workflow_webhook_token`;

  // Approval by people is not throughput: every commission is under the automatic limit.
  await sql`
    insert into public.commission_settings (organization_id, auto_approve_max_minor, auto_approve_currency)
    values (${orgId}, ${1_000_000_000_000}, 'USD')`;
  return { orgId, ownerUserId: owner!.id, locationId, hookPath: `/api/v1/integrations/ghl/workflow-webhooks/${integration!.workflow_webhook_token}`, members };
}

/** An access token for the owner, signed with the app's secret (as a login would issue it). */
export async function ownerToken(auth: AuthConfig, org: BenchOrg): Promise<string> {
  const { token } = await signAccessToken(auth, { id: org.ownerUserId, email: `${org.ownerUserId}@example.test` }, randomUUID());
  return token;
}

// ---------------------------------------------------------------------------------------------
// Payments and their deliveries
// ---------------------------------------------------------------------------------------------
/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Payment {
  transactionId: string;
  /** US cents. */
  cents: bigint;
  member: Member;
  ghlContactId: string;
  createdAt: string;
}

/** `count` distinct payments: amounts from 0.01 to 5,000.00 USD, reps and repeat customers at random. */
export function generatePayments(count: number, members: Member[], random: () => number, tag: string): Payment[] {
  const contacts = Math.max(1, Math.floor(count / 5));
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    transactionId: `txn-${tag}-${i}`,
    cents: BigInt(1 + Math.floor(random() * 500_000)),
    member: members[Math.floor(random() * members.length)]!,
    ghlContactId: `contact-${tag}-${Math.floor(random() * contacts)}`,
    createdAt: new Date(now - Math.floor(random() * 3 * 86_400_000)).toISOString(),
  }));
}

/** Integer cents as GHL writes major units: 12345n -> "123.45", 100n -> "1.00". */
export function majorUnits(cents: bigint): string {
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

const AMOUNT = '__amount__';

function deliveryBody(locationId: string, contactId: string, extra: Record<string, unknown>) {
  return {
    contact_id: contactId,
    first_name: 'Jordan',
    last_name: contactId,
    email: `${contactId}@example.test`,
    tags: 'customer',
    location: { id: locationId, name: 'Bench Studio' },
    workflow: { id: 'wf-bench-payments', name: 'Payment received -> Flowline' },
    triggerData: {},
    ...extra,
  };
}

/**
 * A GHL workflow webhook reporting a payment, as the fixture
 * test/fixtures/ghl-webhooks/workflow-webhook-payment-received.json has it. Every other payment
 * writes its amount as a JSON number (GHL sends both): the literal is spliced in as text, so no
 * float ever holds the money.
 */
export function paymentBody(org: BenchOrg, p: Payment, index: number): string {
  const body = deliveryBody(org.locationId, p.ghlContactId, {
    payment: {
      transaction_id: p.transactionId,
      source: 'form',
      payment_status: 'succeeded',
      sub_total_amount: AMOUNT,
      discount_amount: 0,
      tax_amount: 0,
      total_amount: AMOUNT,
      currency_code: 'USD',
      created_at: p.createdAt,
    },
    customData: { sales_rep_id: p.member.ghlUserId },
  });
  const amount = majorUnits(p.cents);
  return JSON.stringify(body).replaceAll(`"${AMOUNT}"`, index % 2 === 0 ? JSON.stringify(amount) : amount);
}

/** The baseline: a contact-only delivery (no payment object), one distinct body per index. */
export function contactOnlyBody(org: BenchOrg, contactId: string, index: number): string {
  return JSON.stringify(deliveryBody(org.locationId, contactId, { 'Order reference': `ref-${index}`, customData: { sales_rep_id: org.members[index % org.members.length]!.ghlUserId } }));
}

/** Each body once, plus `Math.round(bodies * fraction)` exact re-sends of random ones, shuffled. */
export function withDuplicates(bodies: string[], fraction: number, random: () => number): { deliveries: string[]; duplicates: number } {
  const duplicates = Math.round(bodies.length * fraction);
  const deliveries = [...bodies, ...Array.from({ length: duplicates }, () => bodies[Math.floor(random() * bodies.length)]!)];
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  return { deliveries, duplicates };
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------
export interface Answer {
  status: number;
  body: unknown;
}

export function postJson(agent: Agent, port: number, path: string, body: string, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `concurrency` loops taking the next item until none is left (a closed loop over a fixed list). */
export async function sendAll<T>(items: T[], concurrency: number, op: (item: T) => Promise<void>): Promise<Load> {
  const result: Load = { latencies: [], elapsedMs: 0, errors: 0 };
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next]!;
        next += 1;
        const t0 = performance.now();
        try {
          await op(item);
          result.latencies.push(performance.now() - t0);
        } catch (err) {
          result.errors += 1;
          result.firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  result.elapsedMs = performance.now() - start;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Ingest: POST deliveries, then wait until the worker has done everything they started
// ---------------------------------------------------------------------------------------------
export interface Ingest {
  load: Load;
  duplicatesAnswered: number;
  retries: number;
  /** First POST -> `progress` reached `target` and `settled` said so (NaN when the wait gave up). */
  endToEndMs: number;
}

export interface IngestOptions {
  label: string;
  deliveries: string[];
  concurrency: number;
  post: (body: string) => Promise<Answer>;
  /** How much of the work is done (a count in Postgres), polled while sending and after. */
  progress: () => Promise<number>;
  target: number;
  /** Whether nothing is left running (e.g. no open workflows). */
  settled: () => Promise<boolean>;
}

const POLL_MS = 500;
/** Give up when nothing moves for this long (a stuck workflow, not a slow machine). */
const STALL_MS = 3 * 60_000;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

export async function ingest(o: IngestOptions): Promise<Ingest> {
  let duplicatesAnswered = 0;
  let retries = 0;
  const t0 = performance.now();
  const sending = sendAll(o.deliveries, o.concurrency, async (body) => {
    // GHL retries a 429 (the API could not record the delivery durably): so does the bench.
    for (let attempt = 1; ; attempt += 1) {
      const answer = await o.post(body);
      if (answer.status === 200) {
        if ((answer.body as { duplicate?: boolean }).duplicate) duplicatesAnswered += 1;
        return;
      }
      if (answer.status !== 429 || attempt >= 10) throw new Error(`the webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      retries += 1;
      await sleep(1000);
    }
  });
  let load: Load | undefined;
  void sending.then((l) => (load = l));
  let done = 0;
  let lastMove = performance.now();
  let lastPrint = performance.now();
  let endToEndMs = NaN;
  // Visibility lags a little: settled twice in a row, as bench/flows.ts drains.
  let quiet = 0;
  for (;;) {
    const now = await o.progress();
    if (now !== done) lastMove = performance.now();
    done = now;
    const seen = performance.now();
    quiet = done >= o.target && load && (await o.settled()) ? quiet + 1 : 0;
    if (quiet <= 1) endToEndMs = quiet === 1 ? seen - t0 : NaN;
    if (quiet >= 2) break;
    if (performance.now() - lastMove > STALL_MS) {
      console.log(`    ${o.label}: nothing moved for ${STALL_MS / 1000} s at ${done}/${o.target}: giving up on the wait`);
      break;
    }
    if (performance.now() - lastPrint > 15_000) {
      lastPrint = performance.now();
      console.log(`    ${o.label}: ${((lastPrint - t0) / 1000).toFixed(0)} s: ${load ? 'all sent' : 'sending'}, ${done}/${o.target} done`);
    }
    await sleep(POLL_MS);
  }
  return { load: load ?? (await sending), duplicatesAnswered, retries, endToEndMs };
}
