import { randomBytes } from 'node:crypto';

/*
 * In-memory state of one fake GHL location. Tests read and change these maps directly (for
 * example to inject drift that no webhook announced).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** GHL ids are 20 alphanumeric characters. */
export function ghlId(length = 20): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** Invoices and orders use Mongo-style 24-hex ids. */
export const hexId = () => randomBytes(12).toString('hex');

export interface FakeContact {
  id: string;
  locationId: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  source?: string | null;
  type?: string | null;
  assignedTo?: string | null;
  timezone?: string | null;
  dnd?: boolean;
  address1?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  postalCode?: string | null;
  website?: string | null;
  dateOfBirth?: string | null;
  tags: string[];
  customFields: { id: string; value: unknown }[];
  dateAdded: string;
  dateUpdated: string;
}

export interface FakeUser {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  extension: string;
  deleted: boolean;
  roles: { type: 'account' | 'agency'; role: 'admin' | 'user'; locationIds: string[] };
  companyId: string;
}

export interface FakePipeline {
  id: string;
  name: string;
  locationId: string;
  stages: { id: string; name: string; position: number }[];
  showInFunnel: boolean;
  showInPieChart: boolean;
}

export interface FakeOpportunity {
  id: string;
  name: string;
  monetaryValue: number;
  pipelineId: string;
  pipelineStageId: string;
  assignedTo: string | null;
  status: 'open' | 'won' | 'lost' | 'abandoned';
  source: string | null;
  contactId: string;
  locationId: string;
  lastStatusChangeAt: string;
  lastStageChangeAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeCalendar {
  id: string;
  locationId: string;
  name: string;
  /** Minutes. */
  slotDuration: number;
  /** Bookable hours, in UTC, each weekday (Mon–Fri). */
  openHoursUtc: { from: number; to: number };
  teamMembers: string[];
}

export interface FakeAppointment {
  id: string;
  calendarId: string;
  locationId: string;
  contactId: string;
  title: string;
  startTime: string;
  endTime: string;
  appointmentStatus: string;
  assignedUserId: string | null;
  address: string | null;
  meetingLocationType: string | null;
  isRecurring: boolean;
  dateAdded: string;
}

export interface FakeMessage {
  id: string;
  conversationId: string;
  contactId: string;
  locationId: string;
  type: string;
  direction: 'outbound' | 'inbound';
  body: string | null;
  subject: string | null;
  html: string | null;
  emailMessageId: string | null;
  status: string;
  dateAdded: string;
  /** The GHL user who sent it; absent: none. */
  userId?: string;
}

export interface FakeTransaction {
  _id: string;
  altId: string;
  altType: 'location';
  contactId: string;
  contactName: string;
  contactEmail: string;
  currency: string;
  amount: number;
  status: 'succeeded' | 'failed' | 'pending' | 'refunded';
  liveMode: boolean;
  entityType: 'order' | 'invoice';
  entityId: string;
  entitySourceType: string;
  entitySourceName: string;
  paymentProviderType: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeOrder {
  _id: string;
  altId: string;
  altType: 'location';
  contactId: string;
  contactName: string;
  contactEmail: string;
  currency: string;
  amount: number;
  subtotal: number;
  discount: number;
  status: 'pending' | 'completed' | 'refunded' | 'cancelled';
  liveMode: boolean;
  source: { type: string; name: string };
  createdAt: string;
  updatedAt: string;
}

export interface FakeInvoice {
  _id: string;
  status: 'draft' | 'sent' | 'paid' | 'void' | 'partially_paid';
  liveMode: boolean;
  altId: string;
  altType: 'location';
  name: string;
  title: string;
  invoiceNumber: string;
  currency: string;
  contactDetails: { id: string; name: string; email: string; phoneNo: string };
  issueDate: string;
  dueDate: string;
  invoiceItems: { _id: string; name: string; currency: string; qty: number; amount: number }[];
  total: number;
  amountPaid: number;
  amountDue: number;
  createdAt: string;
  updatedAt: string;
}

export interface FakeGhlState {
  contacts: Map<string, FakeContact>;
  users: Map<string, FakeUser>;
  pipelines: Map<string, FakePipeline>;
  opportunities: Map<string, FakeOpportunity>;
  calendars: Map<string, FakeCalendar>;
  appointments: Map<string, FakeAppointment>;
  messages: Map<string, FakeMessage>;
  /** contactId → conversationId: one conversation per contact, as GHL keeps it. */
  conversations: Map<string, string>;
  transactions: Map<string, FakeTransaction>;
  orders: Map<string, FakeOrder>;
  invoices: Map<string, FakeInvoice>;
}

export function emptyState(): FakeGhlState {
  return {
    contacts: new Map(),
    users: new Map(),
    pipelines: new Map(),
    opportunities: new Map(),
    calendars: new Map(),
    appointments: new Map(),
    messages: new Map(),
    conversations: new Map(),
    transactions: new Map(),
    orders: new Map(),
    invoices: new Map(),
  };
}

export interface SeedOptions {
  contacts?: number;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Niklaus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Wirth'];

/** A small, plausible location: a team, a sales pipeline, two calendars, contacts, deals, payments. */
export function seedState(state: FakeGhlState, locationId: string, companyId: string, options: SeedOptions = {}): void {
  const base = Date.parse('2025-01-06T09:00:00.000Z');
  const iso = (offsetMin: number) => new Date(base + offsetMin * 60_000).toISOString();
  const team = [
    ['Olivia', 'Owner', 'admin'],
    ['Sam', 'Seller', 'user'],
    ['Casey', 'Closer', 'user'],
  ] as const;
  for (const [i, [firstName, lastName, role]] of team.entries()) {
    const id = ghlId();
    state.users.set(id, {
      id,
      name: `${firstName} ${lastName}`,
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}@sandbox.example`,
      phone: `+1555010${i}000`,
      extension: '',
      deleted: false,
      roles: { type: 'account', role, locationIds: [locationId] },
      companyId,
    });
  }
  const userIds = [...state.users.keys()];
  const pipelineId = ghlId();
  const stages = ['New lead', 'Contacted', 'Proposal sent', 'Closed'].map((name, position) => ({ id: ghlId(), name, position }));
  state.pipelines.set(pipelineId, { id: pipelineId, name: 'Sales', locationId, stages, showInFunnel: true, showInPieChart: true });
  for (const name of ['Discovery call', 'Onboarding session']) {
    const id = ghlId();
    state.calendars.set(id, { id, locationId, name, slotDuration: 30, openHoursUtc: { from: 9, to: 17 }, teamMembers: userIds });
  }
  const count = options.contacts ?? 5;
  for (let i = 0; i < count; i++) {
    const id = ghlId();
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const n = i + 1;
    state.contacts.set(id, {
      id,
      locationId,
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}${n}@example.com`,
      phone: `+1555${String(1_000_000 + n).slice(1)}`,
      companyName: null,
      source: 'sandbox',
      type: 'lead',
      assignedTo: userIds[i % userIds.length] ?? null,
      timezone: 'America/New_York',
      dnd: false,
      tags: i % 2 === 0 ? ['sandbox'] : ['sandbox', 'vip'],
      customFields: [],
      dateAdded: iso(i),
      dateUpdated: iso(i),
    });
  }
  const contacts = [...state.contacts.values()];
  for (const [i, c] of contacts.slice(0, 3).entries()) {
    const id = ghlId();
    state.opportunities.set(id, {
      id,
      name: `${c.firstName} ${c.lastName} — website redesign`,
      monetaryValue: 1500 * (i + 1),
      pipelineId,
      pipelineStageId: stages[i]!.id,
      assignedTo: c.assignedTo ?? null,
      status: 'open',
      source: 'sandbox',
      contactId: c.id,
      locationId,
      lastStatusChangeAt: iso(i),
      lastStageChangeAt: iso(i),
      createdAt: iso(i),
      updatedAt: iso(i),
    });
  }
  const payer = contacts[0];
  if (payer) {
    const name = `${payer.firstName} ${payer.lastName}`;
    const orderId = hexId();
    state.orders.set(orderId, {
      _id: orderId,
      altId: locationId,
      altType: 'location',
      contactId: payer.id,
      contactName: name,
      contactEmail: payer.email ?? '',
      currency: 'USD',
      amount: 499,
      subtotal: 499,
      discount: 0,
      status: 'completed',
      liveMode: false,
      source: { type: 'funnel', name: 'Sandbox checkout' },
      createdAt: iso(60),
      updatedAt: iso(60),
    });
    const invoiceId = hexId();
    state.invoices.set(invoiceId, {
      _id: invoiceId,
      status: 'paid',
      liveMode: false,
      altId: locationId,
      altType: 'location',
      name: 'Website redesign deposit',
      title: 'INVOICE',
      invoiceNumber: '1001',
      currency: 'USD',
      contactDetails: { id: payer.id, name, email: payer.email ?? '', phoneNo: payer.phone ?? '' },
      issueDate: '2025-01-06',
      dueDate: '2025-01-20',
      invoiceItems: [{ _id: ghlId(), name: 'Deposit', currency: 'USD', qty: 1, amount: 999 }],
      total: 999,
      amountPaid: 999,
      amountDue: 0,
      createdAt: iso(90),
      updatedAt: iso(90),
    });
    for (const [entityType, entityId, amount] of [
      ['order', orderId, 499],
      ['invoice', invoiceId, 999],
    ] as const) {
      const id = hexId();
      state.transactions.set(id, {
        _id: id,
        altId: locationId,
        altType: 'location',
        contactId: payer.id,
        contactName: name,
        contactEmail: payer.email ?? '',
        currency: 'USD',
        amount,
        status: 'succeeded',
        liveMode: false,
        entityType,
        entityId,
        entitySourceType: entityType === 'order' ? 'funnel' : 'invoice',
        entitySourceName: entityType === 'order' ? 'Sandbox checkout' : 'Website redesign deposit',
        paymentProviderType: 'manual',
        createdAt: iso(entityType === 'order' ? 61 : 91),
        updatedAt: iso(entityType === 'order' ? 61 : 91),
      });
    }
    // An invoice sent and not paid yet: record a payment on it (POST /invoices/:id/record-payment).
    const openInvoiceId = hexId();
    state.invoices.set(openInvoiceId, {
      _id: openInvoiceId,
      status: 'sent',
      liveMode: false,
      altId: locationId,
      altType: 'location',
      name: 'Website redesign: final payment',
      title: 'INVOICE',
      invoiceNumber: '1002',
      currency: 'USD',
      contactDetails: { id: payer.id, name, email: payer.email ?? '', phoneNo: payer.phone ?? '' },
      issueDate: '2025-02-03',
      dueDate: '2025-02-17',
      invoiceItems: [{ _id: ghlId(), name: 'Final payment', currency: 'USD', qty: 1, amount: 2500 }],
      total: 2500,
      amountPaid: 0,
      amountDue: 2500,
      createdAt: iso(120),
      updatedAt: iso(120),
    });
  }
}
