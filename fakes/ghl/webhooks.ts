import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/*
 * GHL's webhook deliveries as a receiver sees them: a JSON POST whose body carries `timestamp`
 * and `webhookId`, signed over the exact raw bytes with Ed25519 (`x-ghl-signature`) and, the
 * legacy way, RSA-SHA256 (`x-wh-signature`), both base64. GHL retries a delivery only when the
 * receiver answers 429; any other failure loses the event. It may also deliver an event more
 * than once and out of order — the emitter can do both on request.
 */
export type SignWith = 'ed25519' | 'rsa' | 'both' | 'none';

export interface SendOptions {
  /** Extra identical deliveries of the same event (true = 1). */
  duplicate?: boolean | number;
  /** Wait before the first delivery. */
  delayMs?: number;
  signWith?: SignWith;
  /** Change the body after signing (true appends a field), so the signature no longer matches. */
  tamper?: boolean | ((raw: string) => string);
  /** The `timestamp` to put in the body (ISO string or epoch ms); default now. */
  timestamp?: string | number;
  webhookId?: string;
  /** Retries after 429 (default 6, as GHL). */
  maxRetries?: number;
  /** Delay before a retry when the 429 has no Retry-After (default 1000 ms). */
  retryDelayMs?: number;
  /** Upper bound for a Retry-After the receiver asks for (default 30 s), to keep tests finite. */
  maxRetryDelayMs?: number;
}

export interface Delivery {
  webhookId: string;
  /** The event's type (`type` field), or null for payloads without one (Invoice*). */
  type: string | null;
  /** 0 for the first copy, 1.. for duplicates. */
  copy: number;
  /** 1 for the first POST, 2.. for retries after 429. */
  attempt: number;
  /** HTTP status, or null when the request failed outright. */
  status: number | null;
  error?: string;
  body: string;
  headers: Record<string, string>;
}

export interface SendManyOptions extends Omit<SendOptions, 'duplicate' | 'webhookId'> {
  /** Share of events delivered twice (0..1). */
  duplicateRate?: number;
  shuffle?: boolean;
  /** Seed of the duplicate and shuffle choices, for reproducible runs. */
  seed?: number;
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
}

export interface WebhookKeys {
  ed25519PublicKeyPem: string;
  rsaPublicKeyPem: string;
}

export interface WebhookEmitter {
  keys: WebhookKeys;
  send(target: string, event: Record<string, unknown>, options?: SendOptions): Promise<Delivery[]>;
  sendMany(target: string, events: Record<string, unknown>[], options?: SendManyOptions): Promise<Delivery[]>;
  /** Every delivery attempt so far, in order. */
  deliveries: Delivery[];
  /** Resolves when deliveries started in the background (API mutations) have finished. */
  idle(): Promise<void>;
  track(p: Promise<unknown>): void;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Prepared {
  webhookId: string;
  type: string | null;
  body: string;
  headers: Record<string, string>;
}

export function createWebhookEmitter(): WebhookEmitter {
  const ed = generateKeyPairSync('ed25519');
  // GHL's published key is 4096-bit; 2048 keeps start-up fast and verifies the same way.
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys: WebhookKeys = {
    ed25519PublicKeyPem: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    rsaPublicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  const deliveries: Delivery[] = [];
  const background = new Set<Promise<unknown>>();

  function prepare(event: Record<string, unknown>, options: SendOptions): Prepared {
    const webhookId = options.webhookId ?? randomUUID();
    const ts = options.timestamp === undefined ? new Date() : new Date(options.timestamp);
    const raw = JSON.stringify({ ...event, timestamp: ts.toISOString(), webhookId });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'fake-ghl-webhooks' };
    const signWith = options.signWith ?? 'both';
    const bytes = Buffer.from(raw, 'utf8');
    const signWithKey = (alg: string | null, key: KeyObject) => sign(alg, bytes, key).toString('base64');
    if (signWith === 'ed25519' || signWith === 'both') headers['x-ghl-signature'] = signWithKey(null, ed.privateKey);
    if (signWith === 'rsa' || signWith === 'both') headers['x-wh-signature'] = signWithKey('sha256', rsa.privateKey);
    let body = raw;
    if (options.tamper === true) body = `${raw.slice(0, -1)},"tampered":true}`;
    else if (typeof options.tamper === 'function') body = options.tamper(raw);
    return { webhookId, type: typeof event.type === 'string' ? event.type : null, body, headers };
  }

  async function deliver(target: string, p: Prepared, copy: number, options: SendOptions): Promise<Delivery[]> {
    const maxRetries = options.maxRetries ?? 6;
    const out: Delivery[] = [];
    for (let attempt = 1; ; attempt++) {
      const d: Delivery = { webhookId: p.webhookId, type: p.type, copy, attempt, status: null, body: p.body, headers: p.headers };
      let retryAfter: string | null = null;
      try {
        const res = await fetch(target, { method: 'POST', headers: p.headers, body: p.body });
        d.status = res.status;
        retryAfter = res.headers.get('retry-after');
        await res.arrayBuffer();
      } catch (err) {
        d.error = err instanceof Error ? err.message : String(err);
      }
      deliveries.push(d);
      out.push(d);
      if (d.status !== 429 || attempt > maxRetries) return out;
      const asked = retryAfter !== null && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) * 1000 : (options.retryDelayMs ?? 1000);
      await sleep(Math.min(asked, options.maxRetryDelayMs ?? 30_000));
    }
  }

  async function runAll(target: string, jobs: { p: Prepared; copy: number }[], options: SendOptions, concurrency: number) {
    const results: Delivery[][] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const i = next++;
        const job = jobs[i]!;
        results[i] = await deliver(target, job.p, job.copy, options);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
    return results.flat();
  }

  return {
    keys,
    deliveries,
    async send(target, event, options = {}) {
      if (options.delayMs) await sleep(options.delayMs);
      const p = prepare(event, options);
      const copies = 1 + (options.duplicate === true ? 1 : typeof options.duplicate === 'number' ? options.duplicate : 0);
      const out: Delivery[] = [];
      for (let copy = 0; copy < copies; copy++) out.push(...(await deliver(target, p, copy, options)));
      return out;
    },
    async sendMany(target, events, options = {}) {
      const random = mulberry32(options.seed ?? 1);
      if (options.delayMs) await sleep(options.delayMs);
      const jobs: { p: Prepared; copy: number }[] = [];
      for (const event of events) {
        const p = prepare(event, options);
        jobs.push({ p, copy: 0 });
        if (random() < (options.duplicateRate ?? 0)) jobs.push({ p, copy: 1 });
      }
      if (options.shuffle) {
        for (let i = jobs.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
        }
      }
      return runAll(target, jobs, options, options.concurrency ?? 8);
    },
    track(p) {
      const tracked = p.catch(() => undefined).finally(() => background.delete(tracked));
      background.add(tracked);
    },
    async idle() {
      while (background.size) await Promise.all([...background]);
    },
  };
}
