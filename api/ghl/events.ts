// Normalises a verified GHL marketplace webhook body into one event shape for routing.
// Payload shapes follow GHL's webhook event pages (docs/webhook events/*.md in
// GoHighLevel/highlevel-api-docs; marketplace.gohighlevel.com/docs/webhook/*).
import { z } from 'zod';
import { validationErrors } from '../http/errors';
import { contactFields, type GhlContactFields } from './contact-fields';
import { isGhlTimestamp } from './timestamp';

export type { GhlContactFields } from './contact-fields';

export const GHL_EVENT_ENTITIES = ['contact', 'opportunity', 'appointment', 'message', 'invoice', 'order', 'app', 'user', 'other'] as const;
export type GhlEventEntity = (typeof GHL_EVENT_ENTITIES)[number];

/** Where the event type came from; see resolveType. */
export type GhlTypeSource = 'body' | 'hint' | 'structure';

export interface GhlEvent {
  webhookId: string;
  /** GHL's event name (ContactCreate, InvoicePaid, AppInstall...). */
  type: string;
  typeSource: GhlTypeSource;
  /** The sub-account; null only for agency-level app installs and non-location invoices. */
  locationId: string | null;
  /** The delivery's `timestamp`, as ISO 8601 UTC. */
  occurredAt: string;
  entity: GhlEventEntity;
  /** The GHL id of the record the event is about; null when the payload has none (messages without messageId). */
  entityId: string | null;
  /** The body as GHL sent it, without the delivery envelope (webhookId, timestamp). */
  data: Record<string, unknown>;
}

export type GhlEventProblem = { path: string; message: string };
export type NormalizeGhlEventResult = { ok: true; event: GhlEvent } | { ok: false; errors: GhlEventProblem[] };

const id = z.string().trim().min(1);
const optionalText = z.string().nullish();

const envelope = z.looseObject({
  webhookId: id,
  timestamp: z.string().refine(isGhlTimestamp, 'must be an ISO 8601 timestamp'),
});

const contactBody = z.looseObject({
  locationId: id,
  id,
  firstName: optionalText,
  lastName: optionalText,
  name: optionalText,
  email: optionalText,
  phone: optionalText,
  tags: z.array(z.string()).nullish(),
  assignedTo: optionalText,
  customFields: z.array(z.looseObject({ id, value: z.unknown() })).nullish(),
  dateAdded: optionalText,
  dateUpdated: optionalText,
});

const withId = z.looseObject({ locationId: id, id });
const appointmentBody = z.looseObject({ locationId: id, appointment: z.looseObject({ id }) });
const messageBody = z.looseObject({ locationId: id, messageId: id.optional(), conversationId: id.optional() });
// Invoices name their owner through altId/altType instead of locationId.
const invoiceBody = z.looseObject({ _id: id, altId: id, altType: z.string() });
const orderBody = z.looseObject({ _id: id, locationId: id.optional(), altId: id.optional(), altType: z.string().optional() });
const appBody = z.looseObject({ appId: id, locationId: id.optional(), companyId: id.optional() });
const otherBody = z.looseObject({ locationId: id.optional(), id: id.optional(), _id: id.optional() });

// App install events carry type "INSTALL"/"UNINSTALL"; GHL's docs list them as AppInstall/AppUninstall.
const TYPE_ALIASES: Record<string, string> = { INSTALL: 'AppInstall', UNINSTALL: 'AppUninstall' };
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

export function entityOf(type: string): GhlEventEntity {
  if (type === 'InboundMessage' || type === 'OutboundMessage') return 'message';
  if (type === 'AppInstall' || type === 'AppUninstall') return 'app';
  const prefixes: Array<[string, GhlEventEntity]> = [
    ['Contact', 'contact'],
    ['Opportunity', 'opportunity'],
    ['Appointment', 'appointment'],
    ['Invoice', 'invoice'],
    ['Order', 'order'],
    ['User', 'user'],
  ];
  return prefixes.find(([prefix]) => type.startsWith(prefix))?.[1] ?? 'other';
}

function isInvoiceShaped(body: Record<string, unknown>): boolean {
  return typeof body._id === 'string' && typeof body.altId === 'string' && 'invoiceNumber' in body && 'amountDue' in body;
}

/**
 * The event type, in this order:
 * 1. `type` in the body (signed, so it wins over anything else); INSTALL/UNINSTALL become AppInstall/AppUninstall.
 * 2. The caller's hint — Invoice* payloads have no `type`, so the receiving route learns it from
 *    the URL it registered for that event in the app's webhook settings (e.g. `?event=InvoicePaid`).
 * 3. Structure, for invoice bodies only and only where the status is unambiguous: `paid` →
 *    InvoicePaid, `partially_paid` → InvoicePartiallyPaid. Other statuses (draft, sent, void...) fit
 *    several events (InvoiceCreate/Update/Sent/Void), and even `paid` could be an InvoiceUpdate of a
 *    paid invoice, so routes should register a hint per event and treat `structure` as best effort.
 */
function resolveType(body: Record<string, unknown>, hint: string | undefined): { type: string; source: GhlTypeSource } | GhlEventProblem {
  const own = typeof body.type === 'string' ? body.type.trim() : '';
  if (own !== '') {
    const type = TYPE_ALIASES[own] ?? own;
    return EVENT_NAME.test(type) ? { type, source: 'body' } : { path: 'type', message: 'is not an event name' };
  }
  if (hint !== undefined) {
    const type = TYPE_ALIASES[hint] ?? hint;
    return EVENT_NAME.test(type) ? { type, source: 'hint' } : { path: 'type', message: 'the type hint is not an event name' };
  }
  if (isInvoiceShaped(body)) {
    if (body.status === 'paid') return { type: 'InvoicePaid', source: 'structure' };
    if (body.status === 'partially_paid') return { type: 'InvoicePartiallyPaid', source: 'structure' };
  }
  return { path: 'type', message: 'is missing and cannot be inferred; pass the event as a hint' };
}

type Located = { locationId: string | null; entityId: string | null };

function locate(entity: GhlEventEntity, body: Record<string, unknown>): { ok: true; value: Located } | { ok: false; error: z.ZodError } {
  const run = <T>(schema: z.ZodType<T>, pick: (parsed: T) => Located) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? { ok: true as const, value: pick(parsed.data) } : { ok: false as const, error: parsed.error };
  };
  switch (entity) {
    case 'contact':
      return run(contactBody, (b) => ({ locationId: b.locationId, entityId: b.id }));
    case 'opportunity':
    case 'user':
      return run(withId, (b) => ({ locationId: b.locationId, entityId: b.id }));
    case 'appointment':
      return run(appointmentBody, (b) => ({ locationId: b.locationId, entityId: b.appointment.id }));
    case 'message':
      return run(messageBody, (b) => ({ locationId: b.locationId, entityId: b.messageId ?? null }));
    case 'invoice':
      return run(invoiceBody, (b) => ({ locationId: b.altType === 'location' ? b.altId : null, entityId: b._id }));
    case 'order':
      return run(
        orderBody.refine((b) => b.locationId !== undefined || b.altType === 'location', { path: ['locationId'], message: 'Required' }),
        (b) => ({ locationId: b.locationId ?? b.altId ?? null, entityId: b._id }),
      );
    case 'app':
      return run(appBody, (b) => ({ locationId: b.locationId ?? null, entityId: b.appId }));
    case 'other':
      return run(otherBody, (b) => ({ locationId: b.locationId ?? null, entityId: b.id ?? b._id ?? null }));
  }
}

/**
 * Normalises a verified delivery body (verifyGhlSignature's `body`). Unknown event types are
 * kept as entity 'other' rather than refused: GHL never redelivers, so refusing loses them.
 */
export function normalizeGhlEvent(body: unknown, options: { typeHint?: string } = {}): NormalizeGhlEventResult {
  const env = envelope.safeParse(body);
  if (!env.success) return { ok: false, errors: validationErrors(env.error) };
  const { webhookId, timestamp, ...data } = env.data;
  const resolved = resolveType(data, options.typeHint?.trim() || undefined);
  if ('path' in resolved) return { ok: false, errors: [resolved] };
  const entity = entityOf(resolved.type);
  const located = locate(entity, data);
  if (!located.ok) return { ok: false, errors: validationErrors(located.error) };
  return {
    ok: true,
    event: {
      webhookId: webhookId.trim(),
      type: resolved.type,
      typeSource: resolved.source,
      locationId: located.value.locationId,
      occurredAt: new Date(timestamp).toISOString(),
      entity,
      entityId: located.value.entityId,
      data,
    },
  };
}

/** The event name flows subscribe to with `trigger.event`, e.g. 'ghl.ContactCreate'. */
export function platformEventName(type: string): string {
  const name = TYPE_ALIASES[type] ?? type;
  if (!EVENT_NAME.test(name)) throw new Error(`not a GHL event name: ${JSON.stringify(type)}`);
  return `ghl.${name}`;
}

/**
 * Contact row fields from a Contact* event's data. Throws a ZodError when the data is not a
 * contact payload (normalizeGhlEvent has already checked it for Contact* events).
 */
export function contactFromWebhook(data: unknown): GhlContactFields {
  const c = contactBody.parse(data);
  const customFields: Record<string, unknown> = {};
  for (const field of c.customFields ?? []) customFields[field.id] = field.value;
  return contactFields(c, customFields);
}
