import { get, patch, post, type Bilingual } from './http.js';

/** Health-hour events and their sign-ups for staff (src/health/admin-routes.ts). Phones come masked. */
export const EVENT_KINDS = ['lecture', 'doctor-consultation', 'health-talk-show', 'digital-skills', 'youth-counselling', 'music-therapy', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventCounts {
  confirmedPeople: number;
  confirmedSignups: number;
  waitlistedPeople: number;
  waitlistedSignups: number;
  checkedInPeople: number;
  checkedInSignups: number;
}

export interface StaffEvent {
  id: number;
  kind: EventKind;
  title: Bilingual;
  description: Bilingual;
  host: string;
  place: Bilingual;
  startsAt: number;
  endsAt: number;
  capacity: number;
  placesLeft: number;
  waitlistedPeople: number;
  signup: { opensAt: number; closesAt: number; phase: 'cancelled' | 'not-yet-open' | 'open' | 'closed'; open: boolean };
  cancelled: boolean;
  counts: EventCounts;
  createdAt: number;
  updatedAt: number;
}

export interface StaffSignup {
  id: number;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  waitlistPosition: number | null;
  people: number;
  code: string;
  /** Masked by the service (138****1234), or null once the privacy job deleted it. */
  phone: string | null;
  createdAt: number;
  promotedAt: number | null;
  cancelledAt: number | null;
  checkedInAt: number | null;
  checkedInVia: string | null;
}

export interface EventFields {
  kind: EventKind;
  title: Bilingual;
  description: Bilingual;
  host: string;
  place: Bilingual;
  startsAt: number;
  endsAt: number;
  capacity: number;
  signupClosesAt: number;
}

export async function fetchEvents(signal?: AbortSignal): Promise<StaffEvent[]> {
  return (await get<{ events: StaffEvent[] }>('/api/admin/health/events', signal)).events;
}

export async function createEvent(fields: EventFields): Promise<StaffEvent> {
  return (await post<{ event: StaffEvent }>('/api/admin/health/events', fields)).event;
}

export async function updateEvent(id: number, fields: Partial<EventFields>): Promise<StaffEvent> {
  return (await patch<{ event: StaffEvent }>(`/api/admin/health/events/${id}`, fields)).event;
}

export async function cancelEvent(id: number): Promise<StaffEvent> {
  return (await post<{ event: StaffEvent }>(`/api/admin/health/events/${id}/cancel`, {})).event;
}

export async function fetchSignups(eventId: number, signal?: AbortSignal): Promise<{ event: StaffEvent; signups: StaffSignup[] }> {
  return get(`/api/admin/health/events/${eventId}/signups`, signal);
}

export async function markAttendance(signupId: number, attended: boolean): Promise<StaffSignup> {
  return (await post<{ signup: StaffSignup }>(`/api/admin/health/signups/${signupId}/attendance`, { attended })).signup;
}

/** A plain download: the browser sends the session cookie with it, like any same-origin request. */
export const signupsCsvUrl = (eventId: number) => `/api/admin/health/events/${eventId}/signups.csv`;
