import { calendarsModule } from './calendars';
import { contactsModule } from './contacts';
import { conversationsModule } from './conversations';
import { createTransport, DEFAULT_GHL_BASE_URL, type RateLimitInfo } from './http';
import { limiterFor, type RateLimiter } from './limiter';
import { opportunitiesModule } from './opportunities';
import { invoicesModule, paymentsModule } from './payments';
import { usersModule } from './users';

export interface GhlClientOptions {
  /** Defaults to https://services.leadconnectorhq.com; the fake GHL's url in development and tests. */
  baseUrl?: string;
  /** A Private Integration Token or an OAuth access token of this location. */
  accessToken: string;
  locationId: string;
  /** Defaults to the process-wide limiter of this location (100 requests / 10 s). */
  limiter?: RateLimiter;
  fetch?: typeof fetch;
}

export function createGhlClient(options: GhlClientOptions) {
  const http = createTransport({
    baseUrl: options.baseUrl ?? DEFAULT_GHL_BASE_URL,
    accessToken: options.accessToken,
    limiter: options.limiter ?? limiterFor(options.locationId),
    fetch: options.fetch,
  });
  const { locationId } = options;
  return {
    locationId,
    /** The X-RateLimit-* values of the last answer, or null before the first. */
    get rateLimit(): RateLimitInfo | null {
      return http.rateLimit;
    },
    contacts: contactsModule(http, locationId),
    opportunities: opportunitiesModule(http, locationId),
    calendars: calendarsModule(http, locationId),
    conversations: conversationsModule(http),
    users: usersModule(http, locationId),
    payments: paymentsModule(http, locationId),
    invoices: invoicesModule(http, locationId),
  };
}

export type GhlClient = ReturnType<typeof createGhlClient>;
