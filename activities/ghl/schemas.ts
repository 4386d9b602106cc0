import { z } from 'zod';

/*
 * Response shapes from GHL's API reference (LeadConnector API v2). Objects are loose: GHL adds
 * fields without a version bump, and we only insist on what our code reads.
 */
const str = z.string();
const optStr = z.string().nullish();

export const customFieldValue = z.looseObject({ id: str, value: z.unknown().optional(), field_value: z.unknown().optional() });

export const contact = z.looseObject({
  id: str,
  locationId: str,
  firstName: optStr,
  lastName: optStr,
  name: optStr,
  contactName: optStr,
  email: optStr,
  phone: optStr,
  companyName: optStr,
  source: optStr,
  type: optStr,
  assignedTo: optStr,
  timezone: optStr,
  dnd: z.boolean().nullish(),
  tags: z.array(str).default([]),
  customFields: z.array(customFieldValue).default([]),
  dateAdded: optStr,
  dateUpdated: optStr,
});
export type GhlContact = z.output<typeof contact>;

export const contactEnvelope = z.looseObject({ contact });
export const contactUpdated = z.looseObject({ succeded: z.boolean().optional(), contact });
export const contactUpserted = z.looseObject({ new: z.boolean(), contact, traceId: optStr });
export const tagsResult = z.looseObject({ tags: z.array(str) });

export const searchedContact = contact.extend({ searchAfter: z.array(z.union([z.number(), z.string()])).nullish() });
export const contactSearchResult = z.looseObject({ contacts: z.array(searchedContact), total: z.number() });
export type GhlSearchedContact = z.output<typeof searchedContact>;

export const opportunity = z.looseObject({
  id: str,
  name: optStr,
  monetaryValue: z.number().nullish(),
  pipelineId: optStr,
  pipelineStageId: optStr,
  assignedTo: optStr,
  status: z.string(),
  source: optStr,
  contactId: optStr,
  locationId: optStr,
  lastStatusChangeAt: optStr,
  createdAt: optStr,
  updatedAt: optStr,
  contact: z.looseObject({}).nullish(),
});
export type GhlOpportunity = z.output<typeof opportunity>;
export const opportunityEnvelope = z.looseObject({ opportunity });
export const opportunitySearchResult = z.looseObject({
  opportunities: z.array(opportunity),
  meta: z.looseObject({
    total: z.number().nullish(),
    nextPageUrl: optStr,
    startAfterId: optStr,
    startAfter: z.number().nullish(),
    currentPage: z.number().nullish(),
    nextPage: z.number().nullish(),
    prevPage: z.number().nullish(),
  }),
  aggregations: z.unknown().optional(),
});
export const succeeded = z.looseObject({ succeded: z.boolean() });

export const pipeline = z.looseObject({
  id: str,
  name: str,
  stages: z.array(z.looseObject({ id: str, name: str, position: z.number().nullish() })).default([]),
  locationId: optStr,
});
export type GhlPipeline = z.output<typeof pipeline>;
export const pipelinesResult = z.looseObject({ pipelines: z.array(pipeline) });

/** Free slots: `{ "2024-10-28": { slots: [iso...] }, traceId }` — dates are keys. */
export const freeSlotsResult = z.record(z.string(), z.unknown()).transform((raw) => {
  const byDate: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) continue;
    const slots = (value as { slots?: unknown } | null)?.slots;
    if (Array.isArray(slots)) byDate[key] = slots.filter((s): s is string => typeof s === 'string');
  }
  return byDate;
});

export const appointment = z.looseObject({
  id: str,
  calendarId: str,
  locationId: str,
  contactId: str,
  startTime: optStr,
  endTime: optStr,
  title: optStr,
  appointmentStatus: optStr,
  assignedUserId: optStr,
  address: optStr,
  isRecurring: z.boolean().nullish(),
});
export type GhlAppointment = z.output<typeof appointment>;

export const sentMessage = z.looseObject({
  conversationId: str,
  messageId: str,
  emailMessageId: optStr,
  messageIds: z.array(str).nullish(),
  msg: optStr,
});
export type GhlSentMessage = z.output<typeof sentMessage>;

export const user = z.looseObject({
  id: str,
  name: optStr,
  firstName: optStr,
  lastName: optStr,
  email: optStr,
  phone: optStr,
  deleted: z.boolean().nullish(),
  roles: z.looseObject({ type: optStr, role: optStr, locationIds: z.array(str).nullish() }).nullish(),
});
export type GhlUser = z.output<typeof user>;
export const userSearchResult = z.looseObject({ users: z.array(user), count: z.number() });

export const transaction = z.looseObject({
  _id: str,
  altId: optStr,
  altType: optStr,
  contactId: optStr,
  currency: optStr,
  amount: z.number().nullish(),
  status: optStr,
  entityType: optStr,
  entityId: optStr,
  entitySourceType: optStr,
  entitySourceName: optStr,
  createdAt: optStr,
});
export type GhlTransaction = z.output<typeof transaction>;
export const order = z.looseObject({
  _id: str,
  altId: optStr,
  altType: optStr,
  contactId: optStr,
  currency: optStr,
  amount: z.number().nullish(),
  status: optStr,
  createdAt: optStr,
});
export type GhlOrder = z.output<typeof order>;
export const transactionsResult = z.looseObject({ data: z.array(transaction), totalCount: z.number() });
export const ordersResult = z.looseObject({ data: z.array(order), totalCount: z.number() });

export const invoice = z.looseObject({
  _id: str,
  status: str,
  altId: str,
  altType: str,
  name: optStr,
  invoiceNumber: optStr,
  currency: optStr,
  total: z.number().nullish(),
  amountPaid: z.number().nullish(),
  amountDue: z.number().nullish(),
  contactDetails: z.looseObject({ id: optStr, email: optStr, name: optStr }).nullish(),
  issueDate: optStr,
  dueDate: optStr,
});
export type GhlInvoice = z.output<typeof invoice>;
