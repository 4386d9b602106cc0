import type { GhlTransport } from './http';
import { VERSION_2021_04_15 as V } from './http';
import * as s from './schemas';

export interface FreeSlotsQuery {
  /** Epoch milliseconds (GHL takes the window in ms, not ISO). */
  startDate: number;
  endDate: number;
  timezone?: string;
  userId?: string;
}

export interface AppointmentInput {
  calendarId: string;
  contactId: string;
  /** ISO 8601 with an offset. */
  startTime: string;
  endTime?: string;
  title?: string;
  appointmentStatus?: 'new' | 'confirmed' | 'cancelled' | 'showed' | 'noshow' | 'invalid';
  assignedUserId?: string;
  address?: string;
  meetingLocationType?: string;
  ignoreFreeSlotValidation?: boolean;
  toNotify?: boolean;
}

export function calendarsModule(http: GhlTransport, locationId: string) {
  return {
    /** Slots keyed by date (YYYY-MM-DD in the requested time zone), each an ISO time with offset. */
    freeSlots: (calendarId: string, q: FreeSlotsQuery) =>
      http.request({
        method: 'GET',
        path: `/calendars/${encodeURIComponent(calendarId)}/free-slots`,
        version: V,
        query: { startDate: q.startDate, endDate: q.endDate, timezone: q.timezone, userId: q.userId },
        schema: s.freeSlotsResult,
      }),

    createAppointment: (input: AppointmentInput) =>
      http.request({ method: 'POST', path: '/calendars/events/appointments', version: V, body: { ...input, locationId }, schema: s.appointment }),
  };
}
