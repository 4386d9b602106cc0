import type { FakeAppointment, FakeContact, FakeMessage, FakeOpportunity } from './state';

/* Webhook payloads in the shapes of GHL's documented examples (test/fixtures/ghl/webhooks). */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

export function contactEvent(type: 'ContactCreate' | 'ContactUpdate' | 'ContactTagUpdate' | 'ContactDelete', c: FakeContact) {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ') || undefined;
  return defined({
    type,
    locationId: c.locationId,
    id: c.id,
    address1: c.address1,
    city: c.city,
    state: c.state,
    companyName: c.companyName,
    country: c.country,
    source: c.source,
    dateAdded: c.dateAdded,
    dateOfBirth: c.dateOfBirth,
    dnd: c.dnd ?? false,
    email: c.email,
    name,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    postalCode: c.postalCode,
    tags: c.tags,
    website: c.website,
    attachments: [],
    assignedTo: c.assignedTo,
    customFields: c.customFields,
  });
}

export function opportunityStatusEvent(o: FakeOpportunity) {
  return defined({
    type: 'OpportunityStatusUpdate',
    locationId: o.locationId,
    id: o.id,
    assignedTo: o.assignedTo,
    contactId: o.contactId,
    monetaryValue: o.monetaryValue,
    name: o.name,
    pipelineId: o.pipelineId,
    pipelineStageId: o.pipelineStageId,
    source: o.source,
    status: o.status,
    dateAdded: o.createdAt,
  });
}

export function appointmentCreateEvent(a: FakeAppointment) {
  return {
    type: 'AppointmentCreate',
    locationId: a.locationId,
    appointment: defined({
      id: a.id,
      address: a.address,
      title: a.title,
      calendarId: a.calendarId,
      contactId: a.contactId,
      appointmentStatus: a.appointmentStatus,
      assignedUserId: a.assignedUserId,
      users: a.assignedUserId ? [a.assignedUserId] : [],
      source: 'third_party',
      startTime: a.startTime,
      endTime: a.endTime,
      dateAdded: a.dateAdded,
      dateUpdated: a.dateAdded,
    }),
  };
}

export function outboundMessageEvent(m: FakeMessage) {
  return defined({
    type: 'OutboundMessage',
    locationId: m.locationId,
    attachments: [],
    body: m.body ?? m.html,
    contactId: m.contactId,
    contentType: m.html ? 'text/html' : 'text/plain',
    conversationId: m.conversationId,
    dateAdded: m.dateAdded,
    direction: 'outbound',
    messageType: m.type === 'Email' ? 'Email' : m.type,
    messageId: m.id,
    source: 'api',
    status: m.status,
    userId: m.userId,
  });
}
