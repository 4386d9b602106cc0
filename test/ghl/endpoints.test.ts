import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { clientFor, ghlErrorOf } from './helpers';

let fake: FakeGhl;
beforeAll(async () => {
  fake = await startFakeGhl();
});
afterAll(() => fake.close());

const DAY = 86_400_000;
/** Next Monday 00:00 UTC at least a day ahead: the seeded calendars are open 09–17 UTC on weekdays. */
function nextMonday(): number {
  let t = Math.ceil(Date.now() / DAY) * DAY + DAY;
  while (new Date(t).getUTCDay() !== 1) t += DAY;
  return t;
}

describe('GHL opportunities', () => {
  it('searches with snake_case parameters, reads one and changes its status', async () => {
    const ghl = clientFor(fake);
    const [pipeline] = await ghl.opportunities.pipelines();
    expect(pipeline?.stages.length).toBeGreaterThan(0);

    const found = await ghl.opportunities.search({ pipelineId: pipeline!.id, status: 'open', limit: 2 });
    expect(found.meta.total).toBe(3);
    expect(found.opportunities).toHaveLength(2);
    expect(found.meta.startAfterId).toBe(found.opportunities[1]!.id);
    const log = fake.requests.filter((r) => r.path === '/opportunities/search').at(-1)!;
    expect(log.query).toMatchObject({ location_id: fake.locationId, pipeline_id: pipeline!.id, status: 'open', limit: '2' });

    const next = await ghl.opportunities.search({ pipelineId: pipeline!.id, startAfterId: found.meta.startAfterId!, limit: 2 });
    expect(next.opportunities.map((o) => o.id)).not.toContain(found.opportunities[0]!.id);
    expect(next.opportunities).toHaveLength(1);

    const id = found.opportunities[0]!.id;
    expect(await ghl.opportunities.updateStatus(id, 'won')).toEqual({ succeeded: true });
    expect(await ghl.opportunities.get(id)).toMatchObject({ id, status: 'won' });
    expect(fake.state.opportunities.get(id)?.status).toBe('won');
  });

  it('refuses an unknown status and an unknown opportunity', async () => {
    const ghl = clientFor(fake);
    const id = [...fake.state.opportunities.keys()][0]!;
    expect(await ghlErrorOf(ghl.opportunities.updateStatus(id, 'closed' as 'won'))).toMatchObject({ kind: 'validation', status: 422 });
    expect(await ghlErrorOf(ghl.opportunities.get('nope'))).toMatchObject({ kind: 'not_found', status: 404 });
  });
});

describe('GHL calendars', () => {
  it('lists free slots keyed by date in the requested time zone, and a booked slot disappears', async () => {
    const ghl = clientFor(fake);
    const calendar = [...fake.state.calendars.values()][0]!;
    const monday = nextMonday();
    const slots = await ghl.calendars.freeSlots(calendar.id, { startDate: monday, endDate: monday + DAY - 1, timezone: 'Asia/Kolkata' });
    const dates = Object.keys(slots);
    expect(dates.length).toBeGreaterThan(0);
    const first = slots[dates[0]!]![0]!;
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
    expect(Date.parse(first)).toBe(monday + 9 * 3_600_000);

    const contact = [...fake.state.contacts.values()][0]!;
    const appt = await ghl.calendars.createAppointment({ calendarId: calendar.id, contactId: contact.id, startTime: first, title: 'Intro call' });
    expect(appt).toMatchObject({ calendarId: calendar.id, contactId: contact.id, locationId: fake.locationId, startTime: first, title: 'Intro call' });
    expect(Date.parse(appt.endTime!) - Date.parse(first)).toBe(calendar.slotDuration * 60_000);
    expect(fake.state.appointments.get(appt.id)).toBeDefined();

    const after = await ghl.calendars.freeSlots(calendar.id, { startDate: monday, endDate: monday + DAY - 1, timezone: 'Asia/Kolkata' });
    expect(Object.values(after).flat()).not.toContain(first);

    const again = await ghlErrorOf(ghl.calendars.createAppointment({ calendarId: calendar.id, contactId: contact.id, startTime: first }));
    expect(again).toMatchObject({ kind: 'validation', status: 400 });
  });

  it('refuses a window longer than 31 days and an unknown calendar', async () => {
    const ghl = clientFor(fake);
    const calendar = [...fake.state.calendars.values()][0]!;
    const monday = nextMonday();
    expect(await ghlErrorOf(ghl.calendars.freeSlots(calendar.id, { startDate: monday, endDate: monday + 40 * DAY }))).toMatchObject({ kind: 'validation' });
    expect(await ghlErrorOf(ghl.calendars.freeSlots('noSuchCalendar', { startDate: monday, endDate: monday + DAY }))).toMatchObject({ kind: 'not_found' });
  });
});

describe('GHL conversations', () => {
  it('sends SMS and Email messages into one conversation per contact', async () => {
    const ghl = clientFor(fake);
    const contact = [...fake.state.contacts.values()][1]!;
    const sms = await ghl.conversations.sendMessage({ type: 'SMS', contactId: contact.id, message: 'Hi!' });
    const email = await ghl.conversations.sendMessage({ type: 'Email', contactId: contact.id, subject: 'Hello', html: '<p>Hello</p>' });
    expect(sms.conversationId).toBe(email.conversationId);
    expect(email.emailMessageId).toEqual(expect.any(String));
    expect(fake.state.messages.get(sms.messageId)).toMatchObject({ type: 'SMS', body: 'Hi!', contactId: contact.id });
  });

  it('refuses an unknown type and a message without body', async () => {
    const ghl = clientFor(fake);
    const contact = [...fake.state.contacts.values()][1]!;
    expect(await ghlErrorOf(ghl.conversations.sendMessage({ type: 'Fax' as 'SMS', contactId: contact.id, message: 'x' }))).toMatchObject({ kind: 'validation', status: 422 });
    expect(await ghlErrorOf(ghl.conversations.sendMessage({ type: 'SMS', contactId: contact.id }))).toMatchObject({ kind: 'validation', status: 422 });
  });
});

describe('GHL users, payments and invoices', () => {
  it('searches the location users (companyId required)', async () => {
    const ghl = clientFor(fake);
    const { users, count } = await ghl.users.search({ companyId: fake.companyId });
    expect(count).toBe(3);
    expect(users.map((u) => u.email).sort()).toEqual([...fake.state.users.values()].map((u) => u.email).sort());
    expect((await ghl.users.search({ companyId: fake.companyId, query: 'olivia' })).users).toHaveLength(1);
    expect(await ghlErrorOf(ghl.users.search({ companyId: '' }))).toMatchObject({ kind: 'validation', status: 422 });
  });

  it('lists transactions and orders, and reads an invoice', async () => {
    const ghl = clientFor(fake);
    const tx = await ghl.payments.transactions();
    expect(tx.totalCount).toBe(2);
    expect(tx.transactions[0]).toMatchObject({ altId: fake.locationId, altType: 'location', currency: 'USD' });
    const orders = await ghl.payments.orders({ limit: 5 });
    expect(orders.orders).toHaveLength(1);
    const invoiceId = [...fake.state.invoices.keys()][0]!;
    expect(await ghl.invoices.get(invoiceId)).toMatchObject({ _id: invoiceId, status: 'paid', altId: fake.locationId, total: 999 });
    expect(await ghlErrorOf(ghl.invoices.get('000000000000000000000000'))).toMatchObject({ kind: 'not_found' });
  });
});

describe('GHL Version header', () => {
  const call = (path: string, headers: Record<string, string>) =>
    fetch(`${fake.url}${path}`, { headers: { Authorization: `Bearer ${fake.privateToken}`, ...headers } });

  it('is required, and must be the endpoint version', async () => {
    const contactId = [...fake.state.contacts.keys()][0]!;
    const missing = await call(`/contacts/${contactId}`, {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ statusCode: 400, message: 'Version header was not found', error: 'Bad Request' });
    expect((await call(`/contacts/${contactId}`, { Version: '2021-04-15' })).status).toBe(400);
    expect((await call(`/contacts/${contactId}`, { Version: '2021-07-28' })).status).toBe(200);
  });

  it('the client sends the right version per service', async () => {
    const ghl = clientFor(fake);
    const calendar = [...fake.state.calendars.values()][0]!;
    await ghl.calendars.freeSlots(calendar.id, { startDate: nextMonday(), endDate: nextMonday() + DAY });
    await ghl.users.search({ companyId: fake.companyId });
    const versions = Object.fromEntries(fake.requests.filter((r) => r.status === 200).map((r) => [r.path.split('/')[1], r.version]));
    expect(versions).toMatchObject({ calendars: '2021-04-15', users: '2021-07-28', contacts: '2021-07-28' });
  });

  it('answers an unknown route the way GHL (NestJS) does', async () => {
    const res = await call('/nope', { Version: '2021-07-28' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ statusCode: 404, message: 'Cannot GET /nope', error: 'Not Found' });
  });
});
