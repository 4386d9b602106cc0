import { contactEvent } from '../payloads';
import { fail, invalid, notFound } from '../errors';
import { assertLocation, body, created, param, V_2021_07_28, type Ctx, type RouteDef } from '../context';
import { ghlId, type FakeContact } from '../state';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WRITABLE = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'companyName',
  'source',
  'type',
  'assignedTo',
  'timezone',
  'dnd',
  'address1',
  'city',
  'state',
  'country',
  'postalCode',
  'website',
  'dateOfBirth',
] as const;

/** GET /contacts/:id answers the contact with GHL's derived lower-case fields. */
export function contactView(c: FakeContact) {
  const fullName = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return {
    ...c,
    name: fullName || null,
    contactName: fullName || null,
    emailLowerCase: c.email?.toLowerCase() ?? null,
    firstNameLowerCase: c.firstName?.toLowerCase() ?? null,
    lastNameLowerCase: c.lastName?.toLowerCase() ?? null,
    fullNameLowerCase: fullName.toLowerCase() || null,
    attachments: [],
  };
}

function validate(b: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (b.email !== undefined && b.email !== null && (typeof b.email !== 'string' || !EMAIL.test(b.email))) problems.push('email must be an email');
  for (const f of WRITABLE) if (f !== 'dnd' && b[f] !== undefined && b[f] !== null && typeof b[f] !== 'string') problems.push(`${f} must be a string`);
  if (b.dnd !== undefined && typeof b.dnd !== 'boolean') problems.push('dnd must be a boolean value');
  if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((t) => typeof t !== 'string'))) problems.push('each value in tags must be a string');
  if (b.customFields !== undefined && !Array.isArray(b.customFields)) problems.push('customFields must be an array');
  return problems;
}

function apply(c: FakeContact, b: Record<string, unknown>): void {
  for (const f of WRITABLE) if (b[f] !== undefined) (c as unknown as Record<string, unknown>)[f] = b[f];
  if (b.name !== undefined && b.firstName === undefined && b.lastName === undefined && typeof b.name === 'string') {
    const [first, ...rest] = b.name.trim().split(/\s+/);
    c.firstName = first ?? null;
    c.lastName = rest.join(' ') || null;
  }
  if (Array.isArray(b.tags)) c.tags = [...new Set((b.tags as string[]).map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (Array.isArray(b.customFields)) {
    for (const raw of b.customFields as { id?: string; key?: string; field_value?: unknown; value?: unknown }[]) {
      const id = raw.id ?? raw.key;
      if (!id) continue;
      const value = raw.field_value ?? raw.value;
      const existing = c.customFields.find((f) => f.id === id);
      if (existing) existing.value = value;
      else c.customFields.push({ id, value });
    }
  }
  c.dateUpdated = new Date().toISOString();
}

function blank(locationId: string): FakeContact {
  const now = new Date().toISOString();
  return { id: ghlId(), locationId, tags: [], customFields: [], dateAdded: now, dateUpdated: now, dnd: false, type: 'lead' };
}

/** The location's duplicate rule (GHL's default): the same email, else the same phone, is the same contact. */
function findDuplicate(ctx: Ctx, b: Record<string, unknown>): { contact: FakeContact; field: 'email' | 'phone' } | undefined {
  const email = typeof b.email === 'string' ? b.email.toLowerCase() : undefined;
  const phone = typeof b.phone === 'string' ? b.phone : undefined;
  const all = [...ctx.state.contacts.values()].filter((c) => c.locationId === ctx.locationId);
  const byEmail = email ? all.find((c) => c.email?.toLowerCase() === email) : undefined;
  if (byEmail) return { contact: byEmail, field: 'email' };
  const byPhone = phone ? all.find((c) => c.phone === phone) : undefined;
  return byPhone ? { contact: byPhone, field: 'phone' } : undefined;
}

export function getContact(ctx: Ctx, id: string): FakeContact {
  const c = ctx.state.contacts.get(id);
  if (!c) throw notFound('Contact not found');
  if (c.locationId !== ctx.locationId) throw fail(403, 'The token does not have access to this location.');
  return c;
}

function changeTags(ctx: Ctx, id: string, b: Record<string, unknown>, add: boolean) {
  const c = getContact(ctx, id);
  if (!Array.isArray(b.tags) || b.tags.length === 0 || b.tags.some((t) => typeof t !== 'string')) {
    throw invalid('tags must be an array', 'each value in tags must be a string', 'tags should not be empty');
  }
  const tags = (b.tags as string[]).map((t) => t.trim().toLowerCase()).filter(Boolean);
  const before = c.tags.join('\n');
  c.tags = add ? [...new Set([...c.tags, ...tags])] : c.tags.filter((t) => !tags.includes(t));
  if (c.tags.join('\n') !== before) {
    c.dateUpdated = new Date().toISOString();
    ctx.emit(contactEvent('ContactTagUpdate', c));
  }
  return { tags: c.tags };
}

export const contactRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/contacts/upsert',
    version: V_2021_07_28,
    handler(req, ctx) {
      const b = body(req);
      assertLocation(ctx, b.locationId);
      const problems = validate(b);
      if (problems.length) throw invalid(...problems);
      if (!b.email && !b.phone) throw fail(400, 'Either email or phone is required to upsert a contact');
      const dup = findDuplicate(ctx, b);
      const c = dup?.contact ?? blank(ctx.locationId);
      apply(c, b);
      ctx.state.contacts.set(c.id, c);
      ctx.emit(contactEvent(dup ? 'ContactUpdate' : 'ContactCreate', c));
      return { new: !dup, contact: contactView(c), traceId: ghlId(24) };
    },
  },
  {
    method: 'post',
    path: '/contacts/search',
    version: V_2021_07_28,
    handler: (req, ctx) => searchContacts(body(req), ctx),
  },
  {
    method: 'post',
    path: '/contacts/',
    version: V_2021_07_28,
    handler(req, ctx) {
      const b = body(req);
      assertLocation(ctx, b.locationId);
      const problems = validate(b);
      if (problems.length) throw invalid(...problems);
      const dup = findDuplicate(ctx, b);
      if (dup) {
        throw fail(400, 'This location does not allow duplicated contacts.', { meta: { contactName: dup.contact.firstName, contactId: dup.contact.id, matchingField: dup.field } });
      }
      const c = blank(ctx.locationId);
      apply(c, b);
      ctx.state.contacts.set(c.id, c);
      ctx.emit(contactEvent('ContactCreate', c));
      return created({ contact: contactView(c) });
    },
  },
  {
    method: 'get',
    path: '/contacts/:contactId',
    version: V_2021_07_28,
    handler: (req, ctx) => ({ contact: contactView(getContact(ctx, param(req, 'contactId'))) }),
  },
  {
    method: 'put',
    path: '/contacts/:contactId',
    version: V_2021_07_28,
    handler(req, ctx) {
      const c = getContact(ctx, param(req, 'contactId'));
      const b = body(req);
      if ('locationId' in b) throw invalid('property locationId should not exist');
      const problems = validate(b);
      if (problems.length) throw invalid(...problems);
      apply(c, b);
      ctx.emit(contactEvent('ContactUpdate', c));
      return { succeded: true, contact: contactView(c) };
    },
  },
  {
    method: 'post',
    path: '/contacts/:contactId/tags',
    version: V_2021_07_28,
    handler: (req, ctx) => created(changeTags(ctx, param(req, 'contactId'), body(req), true)),
  },
  {
    method: 'delete',
    path: '/contacts/:contactId/tags',
    version: V_2021_07_28,
    handler: (req, ctx) => changeTags(ctx, param(req, 'contactId'), body(req), false),
  },
];

// ---- POST /contacts/search -------------------------------------------------------------

type Filter = { field?: unknown; operator?: unknown; value?: unknown; group?: unknown; filters?: unknown };
const SORTABLE = ['dateAdded', 'dateUpdated'] as const;

function fieldValue(c: FakeContact, field: string): unknown {
  if (field === 'firstNameLowerCase') return c.firstName?.toLowerCase();
  if (field === 'lastNameLowerCase') return c.lastName?.toLowerCase();
  if (field.startsWith('customFields.')) return c.customFields.find((f) => f.id === field.slice('customFields.'.length))?.value;
  const known = ['id', 'email', 'phone', 'firstName', 'lastName', 'companyName', 'source', 'type', 'assignedTo', 'tags', 'dnd', 'dateAdded', 'dateUpdated', 'city', 'state', 'country', 'postalCode', 'timezone'];
  if (!known.includes(field)) throw invalid(`filters: ${field} is not a supported field`);
  return (c as unknown as Record<string, unknown>)[field];
}

const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function matches(c: FakeContact, f: Filter): boolean {
  if (f.group !== undefined) {
    if ((f.group !== 'AND' && f.group !== 'OR') || !Array.isArray(f.filters)) throw invalid('filters: group must be one of AND, OR with filters');
    const results = (f.filters as Filter[]).map((x) => matches(c, x));
    return f.group === 'AND' ? results.every(Boolean) : results.some(Boolean);
  }
  if (typeof f.field !== 'string' || typeof f.operator !== 'string') throw invalid('filters: field and operator are required');
  const actual = fieldValue(c, f.field);
  const wanted = Array.isArray(f.value) ? f.value.map(norm) : [norm(f.value)];
  const values = Array.isArray(actual) ? actual.map(norm) : [norm(actual)];
  const present = values.some((v) => v !== undefined && v !== null && v !== '');
  switch (f.operator) {
    case 'eq':
      return values.some((v) => wanted.includes(v));
    case 'not_eq':
      return !values.some((v) => wanted.includes(v));
    case 'contains':
      return values.some((v) => typeof v === 'string' && wanted.some((w) => typeof w === 'string' && v.includes(w)));
    case 'not_contains':
      return !values.some((v) => typeof v === 'string' && wanted.some((w) => typeof w === 'string' && v.includes(w)));
    case 'exists':
      return present;
    case 'not_exists':
      return !present;
    case 'range': {
      const r = (f.value ?? {}) as { gt?: unknown; gte?: unknown; lt?: unknown; lte?: unknown };
      const ms = (v: unknown) => (typeof v === 'number' ? v : Date.parse(String(v)));
      const a = ms(actual);
      if (!Number.isFinite(a)) return false;
      return (r.gt === undefined || a > ms(r.gt)) && (r.gte === undefined || a >= ms(r.gte)) && (r.lt === undefined || a < ms(r.lt)) && (r.lte === undefined || a <= ms(r.lte));
    }
    default:
      throw invalid(`filters: operator ${f.operator} is not supported`);
  }
}

function searchContacts(b: Record<string, unknown>, ctx: Ctx) {
  assertLocation(ctx, b.locationId);
  const pageLimit = b.pageLimit ?? 20;
  if (typeof pageLimit !== 'number' || !Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > 500) {
    throw invalid('pageLimit must not be greater than 500', 'pageLimit must not be less than 1');
  }
  const page = b.page ?? 1;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1) throw invalid('page must not be less than 1');
  if (b.searchAfter !== undefined && b.page !== undefined && b.page !== 1) throw invalid('page and searchAfter cannot be used together');
  const sort = (Array.isArray(b.sort) && b.sort.length ? b.sort : [{ field: 'dateAdded', direction: 'asc' }]) as { field?: unknown; direction?: unknown }[];
  const first = sort[0]!;
  if (!SORTABLE.includes(first.field as (typeof SORTABLE)[number])) throw invalid(`sort: ${String(first.field)} is not a sortable field`);
  const field = first.field as (typeof SORTABLE)[number];
  const dir = first.direction === 'desc' ? -1 : 1;
  const filters = Array.isArray(b.filters) ? (b.filters as Filter[]) : [];
  const query = typeof b.query === 'string' ? b.query.toLowerCase() : '';

  const key = (c: FakeContact): [number, string] => [Date.parse(c[field]), c.id];
  const cmp = (x: [number, string], y: [number, string]) => (x[0] - y[0]) * dir || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
  const all = [...ctx.state.contacts.values()]
    .filter((c) => c.locationId === ctx.locationId)
    .filter((c) => filters.every((f) => matches(c, f)))
    .filter((c) => !query || [c.firstName, c.lastName, c.email, c.phone, c.companyName].some((v) => v?.toLowerCase().includes(query)))
    .sort((x, y) => cmp(key(x), key(y)));
  let rest = all;
  if (Array.isArray(b.searchAfter)) {
    const [t, id] = b.searchAfter as [unknown, unknown];
    if (typeof t !== 'number' || typeof id !== 'string') throw invalid('searchAfter must be the searchAfter array of the last contact');
    rest = all.filter((c) => cmp(key(c), [t, id]) > 0);
  } else if (b.searchAfter !== undefined) {
    throw invalid('searchAfter must be an array');
  } else {
    if (page * pageLimit > 10_000) throw invalid('page * pageLimit must not exceed 10000; use searchAfter');
    rest = all.slice((page - 1) * pageLimit);
  }
  const contacts = rest.slice(0, pageLimit).map((c) => {
    const v = contactView(c);
    return { ...v, businessName: c.companyName ?? null, searchAfter: key(c) };
  });
  return { contacts, total: all.length };
}
