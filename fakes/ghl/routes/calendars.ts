import { fail, invalid, notFound } from '../errors';
import { assertLocation, body, created, param, queryString, V_2021_04_15, type Ctx, type RouteDef } from '../context';
import { appointmentCreateEvent } from '../payloads';
import { ghlId, type FakeAppointment, type FakeCalendar } from '../state';

const DAY = 86_400_000;

/** Offset of a time zone at an instant, as "+05:30". */
function offsetOf(ms: number, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName');
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(part?.value ?? '');
  return m ? `${m[1]}:${m[2] ?? '00'}` : '+00:00';
}

/** ISO 8601 in a time zone with its offset, as GHL writes slot times. */
export function isoInZone(ms: number, timeZone: string): string {
  return withOffset(ms, offsetOf(ms, timeZone));
}

/** ISO 8601 of an instant written with a given offset ("+05:30"). */
function withOffset(ms: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(ms + sign * ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

function getCalendar(ctx: Ctx, id: string): FakeCalendar {
  const c = ctx.state.calendars.get(id);
  if (!c) throw notFound('Calendar not found');
  if (c.locationId !== ctx.locationId) throw fail(403, 'The token does not have access to this location.');
  return c;
}

function busy(ctx: Ctx, calendarId: string, start: number, end: number): boolean {
  for (const a of ctx.state.appointments.values()) {
    if (a.calendarId !== calendarId || a.appointmentStatus === 'cancelled') continue;
    if (Date.parse(a.startTime) < end && Date.parse(a.endTime) > start) return true;
  }
  return false;
}

/** Free slots of a calendar: weekdays, its open hours (UTC), every slotDuration, minus booked times. */
function freeSlots(ctx: Ctx, cal: FakeCalendar, from: number, to: number): number[] {
  const step = cal.slotDuration * 60_000;
  const out: number[] = [];
  const now = Date.now();
  for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let t = day + cal.openHoursUtc.from * 3_600_000; t + step <= day + cal.openHoursUtc.to * 3_600_000; t += step) {
      if (t >= from && t < to && t > now && !busy(ctx, cal.id, t, t + step)) out.push(t);
    }
  }
  return out;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const calendarRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/calendars/:calendarId/free-slots',
    version: V_2021_04_15,
    handler(req, ctx) {
      const cal = getCalendar(ctx, param(req, 'calendarId'));
      const start = Number(queryString(req, 'startDate'));
      const end = Number(queryString(req, 'endDate'));
      const problems: string[] = [];
      if (!Number.isFinite(start) || start <= 0) problems.push('startDate must be a number conforming to the specified constraints');
      if (!Number.isFinite(end) || end <= 0) problems.push('endDate must be a number conforming to the specified constraints');
      if (problems.length) throw invalid(...problems);
      if (end <= start) throw fail(400, 'endDate must be after startDate');
      if (end - start > 31 * DAY) throw fail(400, 'Date range cannot be more than 31 days');
      const timeZone = queryString(req, 'timezone') ?? 'UTC';
      if (!validTimeZone(timeZone)) throw fail(400, 'Invalid timezone');
      const userId = queryString(req, 'userId');
      if (userId && !cal.teamMembers.includes(userId)) return { traceId: ghlId(24) };
      const byDate: Record<string, { slots: string[] }> = {};
      for (const t of freeSlots(ctx, cal, start, end)) {
        const iso = isoInZone(t, timeZone);
        (byDate[iso.slice(0, 10)] ??= { slots: [] }).slots.push(iso);
      }
      return { ...byDate, traceId: ghlId(24) };
    },
  },
  {
    method: 'post',
    path: '/calendars/events/appointments',
    version: V_2021_04_15,
    handler(req, ctx) {
      const b = body(req);
      const problems: string[] = [];
      for (const f of ['calendarId', 'contactId', 'startTime']) if (typeof b[f] !== 'string' || !b[f]) problems.push(`${f} should not be empty`);
      if (problems.length) throw invalid(...problems);
      assertLocation(ctx, b.locationId);
      const cal = getCalendar(ctx, b.calendarId as string);
      const contact = ctx.state.contacts.get(b.contactId as string);
      if (!contact || contact.locationId !== ctx.locationId) throw fail(400, 'Contact not found');
      const start = Date.parse(b.startTime as string);
      if (!Number.isFinite(start)) throw invalid('startTime must be a valid ISO 8601 date string');
      const end = typeof b.endTime === 'string' ? Date.parse(b.endTime) : start + cal.slotDuration * 60_000;
      if (!Number.isFinite(end) || end <= start) throw invalid('endTime must be a valid ISO 8601 date string after startTime');
      const skipCheck = b.ignoreFreeSlotValidation === true;
      if (!skipCheck && !freeSlots(ctx, cal, start, start + 1).includes(start)) throw fail(400, 'The slot you have selected is no longer available.');
      const statuses = ['new', 'confirmed', 'cancelled', 'showed', 'noshow', 'invalid'];
      const status = (b.appointmentStatus as string | undefined) ?? 'confirmed';
      if (!statuses.includes(status)) throw invalid(`appointmentStatus must be one of the following values: ${statuses.join(', ')}`);
      // GHL answers times in the offset they were given in.
      const zone = /([+-]\d{2}:\d{2})$/.exec(b.startTime as string)?.[1];
      const fmt = (ms: number) => (zone ? withOffset(ms, zone) : new Date(ms).toISOString());
      const appt: FakeAppointment = {
        id: ghlId(),
        calendarId: cal.id,
        locationId: ctx.locationId,
        contactId: contact.id,
        title: (b.title as string | undefined) ?? `Appointment with ${[contact.firstName, contact.lastName].filter(Boolean).join(' ')}`,
        startTime: fmt(start),
        endTime: fmt(end),
        appointmentStatus: status,
        assignedUserId: (b.assignedUserId as string | undefined) ?? cal.teamMembers[0] ?? null,
        address: (b.address as string | undefined) ?? null,
        meetingLocationType: (b.meetingLocationType as string | undefined) ?? null,
        isRecurring: false,
        dateAdded: new Date().toISOString(),
      };
      ctx.state.appointments.set(appt.id, appt);
      ctx.emit(appointmentCreateEvent(appt));
      const { dateAdded: _dateAdded, ...response } = appt;
      return created(response);
    },
  },
];
