/**
 * A valid config for every node type, setting every field it can at once, so the form tests
 * render and edit each field of the registry. Checked against the node types' schemas.
 */
export const FULL_CONFIGS: Record<string, Record<string, unknown>> = {
  'trigger.webhook': { mode: 'sync', responseTimeoutMs: 20_000, idempotencyField: 'event.id', requireSignature: true },
  'trigger.manual': { samplePayload: { name: 'Ada', tags: ['a', 'b'] } },
  'trigger.schedule': { cron: '0 9 * * 1-5', timezone: 'Europe/Paris' },
  'trigger.event': { event: 'ghl.ContactTagUpdate', conditions: [{ path: 'payload.tags', op: 'contains', value: 'vip' }] },
  'http.request': {
    method: 'POST',
    url: 'https://api.example.com/items/{{ trigger.body.id }}',
    headers: { 'X-Token': '{{ trigger.body.token }}', Accept: 'application/json' },
    query: { page: '1' },
    body: { name: '{{ trigger.body.name }}', count: 2 },
    timeoutMs: 10_000,
    expectedStatus: [200, 201],
    retry: { maximumAttempts: 5, initialIntervalMs: 500, backoffCoefficient: 1.5, maximumIntervalMs: 10_000 },
  },
  'logic.if': { condition: '{{ trigger.body.ok }}' },
  'logic.switch': { value: '{{ trigger.body.kind }}', cases: [{ handle: 'lead', equals: 'lead' }, { handle: 'two', equals: 2 }] },
  'logic.merge': {},
  'logic.loop': { items: '{{ trigger.body.items }}', maxItems: 50, concurrency: 2 },
  'data.set': { fields: { name: '{{ trigger.body.name }}', count: 3, tags: ['x'] } },
  // "until" is the other way to set it (one of the two): the form tests edit it too.
  'wait.delay': { duration: '2h' },
  'wait.approval': { message: 'Approve {{ trigger.body.name }}?', approverRoles: ['owner', 'sales'], timeout: 86_400_000 },
  'ai.llm': {
    model: 'gpt-4o-mini',
    system: 'Be brief.',
    prompt: 'Summarise {{ trigger.body.text }}',
    temperature: 0.5,
    maxTokens: 500,
    responseFormat: { type: 'json_schema', name: 'summary', schema: { type: 'object' } },
    retry: { maximumAttempts: 2 },
    timeoutMs: 60_000,
  },
  'ai.extractReceipt': {
    url: '{{ trigger.body.attachments[0].url }}',
    model: 'gpt-4o',
    maxBytes: 5_000_000,
    minConfidence: 0.85,
    retry: { maximumAttempts: 2 },
    timeoutMs: 90_000,
  },
  'flow.subflow': { workflowId: '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b', input: { id: '{{ trigger.body.id }}' }, wait: false },
  'flow.respond': { status: 201, headers: { 'Content-Type': 'application/json' }, body: { ok: true } },
  'flow.error': { message: 'Failed with {{ nodes.fetch.output.status }}' },
  'ghl.contact.upsert': {
    email: '{{ trigger.body.email }}',
    phone: '+15550100',
    firstName: 'Ada',
    lastName: 'Lovelace',
    name: 'Ada Lovelace',
    companyName: 'Analytical Engines',
    source: 'Flowline',
    tags: ['lead', '{{ trigger.body.plan }}'],
    customFields: { cf_plan: '{{ trigger.body.plan }}' },
    integrationId: '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b',
    retry: { maximumAttempts: 3 },
  },
  'ghl.contact.addTags': { contactId: '{{ nodes.upsert.output.contact.id }}', tags: ['vip'], integrationId: '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b', retry: { maximumAttempts: 3 } },
  'ghl.contact.removeTags': { contactId: '{{ nodes.upsert.output.contact.id }}', tags: ['lead'], integrationId: '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b', retry: { maximumAttempts: 3 } },
  'ghl.opportunity.updateStatus': { opportunityId: '{{ trigger.body.deal }}', status: 'won', integrationId: '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b', retry: { maximumAttempts: 3 } },
  'ghl.appointment.book': {
    calendarId: 'cal-1',
    contactId: '{{ nodes.upsert.output.contact.id }}',
    from: '2030-01-07T09:00:00Z',
    to: '2030-01-11T17:00:00Z',
    durationMinutes: 30,
    timezone: 'Europe/Paris',
    title: 'Call with {{ trigger.body.name }}',
    appointmentStatus: 'new',
    assignedUserId: 'user-1',
    integrationId: '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b',
    retry: { maximumAttempts: 3 },
  },
  'ghl.message.send': {
    contactId: '{{ nodes.upsert.output.contact.id }}',
    type: 'Email',
    message: 'Hi {{ trigger.body.name }}',
    subject: 'Welcome',
    html: '<p>Hi {{ trigger.body.name }}</p>',
    emailFrom: 'team@example.com',
    integrationId: '0b6f3a52-8c1e-4f1a-9d2b-3c4d5e6f7a8b',
    retry: { maximumAttempts: 3 },
  },
};

/** Fields a full config leaves out, and why. */
export const LEFT_OUT: Record<string, string[]> = {
  'wait.delay': ['until'],
  // A start time or a window: the full config takes the window.
  'ghl.appointment.book': ['startTime'],
  // SMS/WhatsApp only; the full config is an email.
  'ghl.message.send': ['fromNumber'],
};
