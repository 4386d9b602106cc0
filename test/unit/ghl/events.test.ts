import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contactFromWebhook, normalizeGhlEvent, platformEventName, type GhlEvent } from '../../../api/ghl/events';

const EVENTS = path.join(__dirname, '../../fixtures/ghl-webhooks/events');
const ENVELOPE = { webhookId: 'wh-123', timestamp: '2025-01-28T14:35:00Z' };

/** A documented example as a signed delivery carries it: plus timestamp and webhookId. */
function fixture(name: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...JSON.parse(readFileSync(path.join(EVENTS, `${name}.json`), 'utf8')), ...ENVELOPE, ...patch };
}

type Expected = Pick<GhlEvent, 'type' | 'typeSource' | 'entity' | 'entityId' | 'locationId'>;

const EXPECTED: Record<string, Expected & { patch?: Record<string, unknown> }> = {
  ContactCreate: { type: 'ContactCreate', typeSource: 'body', entity: 'contact', entityId: 'nmFmQEsNgz6AVpgLVUJ0', locationId: 've9EPM428h8vShlRW1KT' },
  ContactUpdate: { type: 'ContactUpdate', typeSource: 'body', entity: 'contact', entityId: 'nmFmQEsNgz6AVpgLVUJ0', locationId: 've9EPM428h8vShlRW1KT' },
  ContactDelete: { type: 'ContactDelete', typeSource: 'body', entity: 'contact', entityId: 'nmFmQEsNgz6AVpgLVUJ0', locationId: 've9EPM428h8vShlRW1KT' },
  ContactTagUpdate: { type: 'ContactTagUpdate', typeSource: 'body', entity: 'contact', entityId: 'nmFmQEsNgz6AVpgLVUJ0', locationId: 've9EPM428h8vShlRW1KT' },
  OpportunityCreate: { type: 'OpportunityCreate', typeSource: 'body', entity: 'opportunity', entityId: 'wWhVuzqpRuOA1ZVWi4FC', locationId: 've9EPM428h8vShlRW1KT' },
  OpportunityUpdate: { type: 'OpportunityUpdate', typeSource: 'body', entity: 'opportunity', entityId: 'wWhVuzqpRuOA1ZVWi4FC', locationId: 've9EPM428h8vShlRW1KT' },
  OpportunityStatusUpdate: { type: 'OpportunityStatusUpdate', typeSource: 'body', entity: 'opportunity', entityId: 'wWhVuzqpRuOA1ZVWi4FC', locationId: 've9EPM428h8vShlRW1KT' },
  OpportunityAssignedToUpdate: { type: 'OpportunityAssignedToUpdate', typeSource: 'body', entity: 'opportunity', entityId: 'wWhVuzqpRuOA1ZVWi4FC', locationId: 've9EPM428h8vShlRW1KT' },
  AppointmentCreate: { type: 'AppointmentCreate', typeSource: 'body', entity: 'appointment', entityId: '0007BWpSzSwfiuSl0tR2', locationId: '0007BWpSzSwfiuSl0tR2' },
  // The documented examples carry no messageId (the schema lists it as optional).
  InboundMessage: { type: 'InboundMessage', typeSource: 'body', entity: 'message', entityId: null, locationId: 'l1C08ntBrFjLS0elLIYU' },
  OutboundMessage: { type: 'OutboundMessage', typeSource: 'body', entity: 'message', entityId: null, locationId: 'l1C08ntBrFjLS0elLIYU' },
  // No type, no locationId: type from the status, location from altId.
  InvoicePaid: { type: 'InvoicePaid', typeSource: 'structure', entity: 'invoice', entityId: '6578278e879ad2646715ba9c', locationId: '6578278e879ad2646715ba9c' },
  InvoicePartiallyPaid: { type: 'InvoicePartiallyPaid', typeSource: 'structure', entity: 'invoice', entityId: '6578278e879ad2646715ba9c', locationId: '6578278e879ad2646715ba9c' },
  OrderCreate: { type: 'OrderCreate', typeSource: 'body', entity: 'order', entityId: '660ed43bfdf9fc05a0de7a40', locationId: 'Z4Bxl8J4SaPEPLq9IQ8g' },
  OrderStatusUpdate: { type: 'OrderStatusUpdate', typeSource: 'body', entity: 'order', entityId: '660ed43bfdf9fc05a0de7a40', locationId: 'Z4Bxl8J4SaPEPLq9IQ8g' },
  AppInstall: { type: 'AppInstall', typeSource: 'body', entity: 'app', entityId: 've9EPM428h8vShlRW1KT', locationId: 'otg8dTQqGLh3Q6iQI55w' },
  AppUninstall: { type: 'AppUninstall', typeSource: 'body', entity: 'app', entityId: 've9EPM428h8vShlRW1KT', locationId: 'otg8dTQqGLh3Q6iQI55w' },
  // The documented example has the placeholder "string" everywhere, including `type`.
  UserCreate: { type: 'UserCreate', typeSource: 'body', entity: 'user', entityId: 'string', locationId: 'string', patch: { type: 'UserCreate' } },
};

describe('normalizeGhlEvent', () => {
  it('has an expectation for every fixture', () => {
    const files = readdirSync(EVENTS).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s', (name, { patch, ...expected }) => {
    const body = fixture(name, patch);
    const result = normalizeGhlEvent(body);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { webhookId: _w, timestamp: _t, ...data } = body;
    expect(result.event).toEqual({ ...expected, webhookId: 'wh-123', occurredAt: '2025-01-28T14:35:00.000Z', data });
  });

  it('takes the invoice type from the caller hint over the structure', () => {
    const result = normalizeGhlEvent(fixture('InvoicePaid'), { typeHint: 'InvoiceUpdate' });
    expect(result).toMatchObject({ ok: true, event: { type: 'InvoiceUpdate', typeSource: 'hint', entity: 'invoice' } });
  });

  it('keeps the signed body type over a conflicting hint', () => {
    const result = normalizeGhlEvent(fixture('ContactCreate'), { typeHint: 'ContactDelete' });
    expect(result).toMatchObject({ ok: true, event: { type: 'ContactCreate', typeSource: 'body' } });
  });

  it('refuses an invoice whose status names no single event, without a hint', () => {
    const result = normalizeGhlEvent(fixture('InvoicePaid', { status: 'sent' }));
    expect(result).toEqual({ ok: false, errors: [{ path: 'type', message: expect.stringMatching(/cannot be inferred/) }] });
  });

  it('gives a non-location invoice no location', () => {
    const result = normalizeGhlEvent(fixture('InvoicePaid', { altType: 'company' }));
    expect(result).toMatchObject({ ok: true, event: { locationId: null } });
  });

  it('keeps unknown event types as entity other', () => {
    const result = normalizeGhlEvent({ ...ENVELOPE, type: 'TaskCreate', locationId: 'loc-1', id: 'task-1' });
    expect(result).toMatchObject({ ok: true, event: { type: 'TaskCreate', entity: 'other', entityId: 'task-1', locationId: 'loc-1' } });
  });

  it('normalises the offset of the delivery timestamp to UTC', () => {
    const result = normalizeGhlEvent(fixture('ContactCreate', { timestamp: '2025-01-28T20:05:00+05:30' }));
    expect(result).toMatchObject({ ok: true, event: { occurredAt: '2025-01-28T14:35:00.000Z' } });
  });

  it.each([
    ['no webhookId', { webhookId: undefined }, 'webhookId'],
    ['no timestamp', { timestamp: undefined }, 'timestamp'],
    ['a contact without id', { id: undefined }, 'id'],
    ['a contact without locationId', { locationId: '' }, 'locationId'],
    ['tags that are not strings', { tags: [1, 2] }, 'tags.0'],
    ['a type that is not an event name', { type: 'Contact Create' }, 'type'],
  ])('reports %s with its field path', (_name, patch, pathName) => {
    const result = normalizeGhlEvent(fixture('ContactCreate', patch));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(pathName);
  });

  it('reports an appointment without its id at appointment.id', () => {
    const body = fixture('AppointmentCreate');
    const result = normalizeGhlEvent({ ...body, appointment: { title: 'x' } });
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'appointment.id' }] });
  });

  it('refuses a body that is not an object', () => {
    expect(normalizeGhlEvent('nope').ok).toBe(false);
    expect(normalizeGhlEvent(null).ok).toBe(false);
  });
});

describe('contactFromWebhook', () => {
  it('maps a ContactCreate payload to contact row fields', () => {
    expect(contactFromWebhook(fixture('ContactCreate'))).toEqual({
      ghlContactId: 'nmFmQEsNgz6AVpgLVUJ0',
      firstName: 'John',
      lastName: 'Deo',
      name: 'John Deo',
      email: 'JohnDeo@gmail.comm',
      phone: '+919509597501',
      tags: ['id magna sed Lorem', 'Duis dolor commodo aliqua'],
      assignedTo: 'nmFmQEsNgz6AVpgLVUJ0',
      customFields: { BcdmQEsNgz6AVpgLVUJ0: 'XYZ Corp' },
      dateAdded: '2021-11-26T12:41:02.193Z',
    });
  });

  it('carries dateUpdated when GHL sends it and builds the name from its parts', () => {
    const contact = contactFromWebhook(fixture('ContactUpdate', { name: undefined, dateUpdated: '2025-01-28T14:30:00.000Z', tags: null, email: '  ' }));
    expect(contact).toMatchObject({ name: 'John Deo', dateUpdated: '2025-01-28T14:30:00.000Z', tags: [], email: null });
  });

  it('throws on data that is not a contact', () => {
    expect(() => contactFromWebhook(fixture('OrderCreate'))).toThrow();
  });
});

describe('platformEventName', () => {
  it.each([
    ['ContactCreate', 'ghl.ContactCreate'],
    ['InvoicePaid', 'ghl.InvoicePaid'],
    ['INSTALL', 'ghl.AppInstall'],
  ])('%s → %s', (type, name) => {
    expect(platformEventName(type)).toBe(name);
  });

  it('refuses something that is not an event name', () => {
    expect(() => platformEventName('a.b')).toThrow();
    expect(() => platformEventName('')).toThrow();
  });
});
