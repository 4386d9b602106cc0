import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGhlClient, type GhlError, type RateLimiter } from '../../activities/ghl';
import type { FakeGhl } from '../../fakes/ghl';

export function clientFor(fake: FakeGhl, overrides: { accessToken?: string; locationId?: string; limiter?: RateLimiter } = {}) {
  return createGhlClient({ baseUrl: fake.url, accessToken: fake.privateToken, locationId: fake.locationId, ...overrides });
}

/** A limiter that never waits: lets a test drive the fake past GHL's burst limit on purpose. */
export const noLimiter: RateLimiter = { acquire: async () => () => undefined, pauseUntil: () => undefined };

/** The GhlError a call rejects with (fails the test when it resolves). */
export async function ghlErrorOf(p: Promise<unknown>): Promise<GhlError> {
  try {
    await p;
  } catch (err) {
    return err as GhlError;
  }
  throw new Error('expected the call to fail');
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: Record<string, unknown>;
}

/** A webhook receiver that records raw bodies and answers the scripted statuses (then 200). */
export async function startReceiver(script: number[] = []) {
  const received: Received[] = [];
  const answers = [...script];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) as Record<string, unknown> });
      const status = answers.shift() ?? 200;
      if (status === 429) res.setHeader('Retry-After', '0');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/ghl`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
