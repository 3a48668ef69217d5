import { getJson, postJson } from './http.js';
import type { Site, Text } from './site.js';

/**
 * Health hours (src/health/public-routes.ts, views.ts): the coming events, sign-up, cancel and
 * check-in. The phone number travels only in POST bodies; answers carry it masked.
 */
export type SignupPhase = 'cancelled' | 'not-yet-open' | 'open' | 'closed';

export interface HealthEvent {
  id: number;
  kind: string;
  title: Text;
  description: Text;
  /** the speaker, doctor or partner unit */
  host: string;
  place: Text;
  /** epoch ms */
  startsAt: number;
  endsAt: number;
  capacity: number;
  placesLeft: number;
  waitlistedPeople: number;
  signup: { opensAt: number; closesAt: number; phase: SignupPhase; open: boolean };
  cancelled: boolean;
}

export interface EventSummary {
  id: number;
  title: Text;
  startsAt: number;
  endsAt: number;
  place: Text;
}

export interface SignupResult {
  signupId: number;
  status: 'confirmed' | 'waitlisted';
  waitlistPosition?: number;
  code: string;
  /** masked: 138****5678 */
  phone: string;
  people: number;
  event: EventSummary;
}

export interface CancelResult {
  signupId: number;
  status: 'cancelled';
  people: number;
}

export interface CheckInResult {
  signupId: number;
  status: string;
  people: number;
  checkedInAt: number;
  alreadyCheckedIn: boolean;
  event?: EventSummary;
}

/** The events that have not ended yet, and the server's `now` (the panel's own clock may be off). */
export function fetchHealthEvents(signal?: AbortSignal): Promise<{ now: number; events: HealthEvent[] }> {
  return getJson('/api/health/events', signal);
}

export async function fetchHealthEvent(id: number, signal?: AbortSignal): Promise<HealthEvent> {
  return (await getJson<{ event: HealthEvent }>(`/api/health/events/${id}`, signal)).event;
}

export function signUp(eventId: number, body: { phone: string; people: number; consent: true }): Promise<SignupResult> {
  return postJson(`/api/health/events/${eventId}/signups`, body);
}

export function cancelSignup(eventId: number, body: { lastFour: string; code: string }): Promise<CancelResult> {
  return postJson(`/api/health/events/${eventId}/cancel`, body);
}

export function checkIn(eventId: number, body: { lastFour: string; code: string }): Promise<CheckInResult> {
  return postJson(`/api/health/events/${eventId}/checkin`, body);
}

/**
 * Sign-up limits from the site. `/api/site` does not (yet) publish `health.maxPeoplePerSignup` or
 * `privacy.phoneRetentionDays`; when it does they are used, otherwise the config's defaults (6 people;
 * the retention is then described as "after the event"). The server enforces the real limit anyway.
 */
export const DEFAULT_MAX_PEOPLE = 6;

export function signupLimits(site: Site): { maxPeople: number; retentionDays: number | null } {
  const extra = site as Site & { health?: { maxPeoplePerSignup?: unknown }; privacy?: { phoneRetentionDays?: unknown } };
  const max = extra.health?.maxPeoplePerSignup;
  const days = extra.privacy?.phoneRetentionDays;
  return {
    maxPeople: typeof max === 'number' && Number.isInteger(max) && max >= 1 ? max : DEFAULT_MAX_PEOPLE,
    retentionDays: typeof days === 'number' && Number.isInteger(days) && days >= 0 ? days : null,
  };
}
