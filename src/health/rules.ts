import { DAYS } from '../config/schema.js';
import { addDays, localParts, localToEpoch } from '../waste/local-time.js';

/**
 * The decisions of health hours as pure functions of their inputs (and `now`), so every rule has a
 * table test; health-module.ts does the I/O around them inside one transaction.
 */
export const EVENT_KINDS = ['lecture', 'doctor-consultation', 'health-talk-show', 'digital-skills', 'youth-counselling', 'music-therapy', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export type SignupStatus = 'confirmed' | 'waitlisted' | 'cancelled';

export interface EventTimes {
  startsAt: number;
  endsAt: number;
  signupOpensAt: number;
  signupClosesAt: number;
  cancelled: boolean;
}

export type SignupPhase = 'cancelled' | 'not-yet-open' | 'open' | 'closed';

/** Sign-up is open from its opening time (inclusive) until its closing time (exclusive). */
export function signupPhase(e: EventTimes, now: number): SignupPhase {
  if (e.cancelled) return 'cancelled';
  if (now < e.signupOpensAt) return 'not-yet-open';
  if (now >= e.signupClosesAt) return 'closed';
  return 'open';
}

export type Refusal =
  | 'event-cancelled'
  | 'not-yet-open'
  | 'closed'
  | 'too-many-people'
  | 'group-larger-than-event'
  | 'already-signed-up'
  | 'week-limit'
  | 'event-started'
  | 'too-early'
  | 'event-ended'
  | 'not-confirmed'
  | 'signup-cancelled';

export type Decision<T> = ({ ok: true } & T) | { ok: false; reason: Refusal };

export interface SignupFacts {
  now: number;
  event: EventTimes & { capacity: number };
  /** people in confirmed sign-ups of this event */
  confirmedPeople: number;
  people: number;
  /** this phone already holds a confirmed or waitlisted sign-up for this event */
  phoneHasActiveSignup: boolean;
  /** people in this phone's confirmed+waitlisted sign-ups for (non-cancelled) events starting in the event's local week */
  phoneWeekPlaces: number;
  maxPeoplePerSignup: number;
  maxPlacesPerPhonePerWeek: number;
}

/** Confirmed if the whole group fits, else waitlisted: a group is never split. */
export function decideSignup(f: SignupFacts): Decision<{ status: 'confirmed' | 'waitlisted' }> {
  const phase = signupPhase(f.event, f.now);
  if (phase === 'cancelled') return { ok: false, reason: 'event-cancelled' };
  if (phase !== 'open') return { ok: false, reason: phase };
  if (!Number.isInteger(f.people) || f.people < 1 || f.people > f.maxPeoplePerSignup) return { ok: false, reason: 'too-many-people' };
  // A group that could never fit would wait forever: say so now instead.
  if (f.people > f.event.capacity) return { ok: false, reason: 'group-larger-than-event' };
  if (f.phoneHasActiveSignup) return { ok: false, reason: 'already-signed-up' };
  if (f.phoneWeekPlaces + f.people > f.maxPlacesPerPhonePerWeek) return { ok: false, reason: 'week-limit' };
  return { ok: true, status: f.confirmedPeople + f.people <= f.event.capacity ? 'confirmed' : 'waitlisted' };
}

/**
 * Which waiters to promote into `free` places: in sign-up order, each one that fits ("first that
 * fits"). A group too big for the places left does not block a smaller one behind it, so places are
 * never left empty while someone who fits is waiting; the big group keeps its place at the front and
 * is promoted as soon as enough places are free.
 */
export function pickPromotions(free: number, waiters: readonly { id: number; people: number }[]): number[] {
  const picked: number[] = [];
  let left = free;
  for (const w of waiters) {
    if (left <= 0) break;
    if (w.people <= left) {
      picked.push(w.id);
      left -= w.people;
    }
  }
  return picked;
}

/** A resident may cancel an active sign-up until the event starts (afterwards no one could use the place). */
export function decideCancel(e: EventTimes, status: SignupStatus, now: number): Decision<{ promote: boolean }> {
  if (status === 'cancelled') return { ok: false, reason: 'signup-cancelled' };
  if (now >= e.startsAt) return { ok: false, reason: 'event-started' };
  return { ok: true, promote: !e.cancelled };
}

/** Places are promoted only while the event has not started and is not cancelled. */
export const promotionsAllowed = (e: EventTimes, now: number): boolean => !e.cancelled && now < e.startsAt;

/** Kiosk check-in: a confirmed sign-up, from `opensMinutesBefore` before the start until the end. */
export function decideCheckIn(e: EventTimes, status: SignupStatus, now: number, opensMinutesBefore: number): Decision<object> {
  if (e.cancelled) return { ok: false, reason: 'event-cancelled' };
  if (status === 'cancelled') return { ok: false, reason: 'signup-cancelled' };
  if (now < e.startsAt - opensMinutesBefore * 60_000) return { ok: false, reason: 'too-early' };
  if (now >= e.endsAt) return { ok: false, reason: 'event-ended' };
  // A waiter who comes anyway is let in by staff (they can mark attendance), not by the kiosk.
  if (status !== 'confirmed') return { ok: false, reason: 'not-confirmed' };
  return { ok: true };
}

/** The local week (Monday 00:00 to the next Monday 00:00, site zone) containing `epochMs`. */
export function weekRange(epochMs: number, tz: string): { monday: string; from: number; to: number } {
  const { date, weekday } = localParts(epochMs, tz);
  const monday = addDays(date, -DAYS.indexOf(weekday));
  return { monday, from: localToEpoch(monday, 0, tz), to: localToEpoch(addDays(monday, 7), 0, tz) };
}

/** What is wrong with an event's times, or [] (the table's CHECKs say the same, as a last line). */
export function eventProblems(e: Omit<EventTimes, 'cancelled'> & { capacity: number }): string[] {
  const problems: string[] = [];
  if (!(e.endsAt > e.startsAt)) problems.push('endsAt must be after startsAt');
  if (!(e.signupClosesAt > e.signupOpensAt)) problems.push('signupClosesAt must be after signupOpensAt');
  if (!(e.signupClosesAt <= e.endsAt)) problems.push('signupClosesAt must not be after endsAt');
  if (!Number.isInteger(e.capacity) || e.capacity < 1) problems.push('capacity must be a whole number of at least 1');
  return problems;
}

/** Hours each host gave: the summed durations of the events they hosted, largest first. */
export function volunteerHours(events: readonly { host: string; startsAt: number; endsAt: number }[]): { host: string; events: number; minutes: number; hours: number }[] {
  const byHost = new Map<string, { events: number; minutes: number }>();
  for (const e of events) {
    const h = byHost.get(e.host) ?? { events: 0, minutes: 0 };
    h.events += 1;
    h.minutes += Math.max(0, e.endsAt - e.startsAt) / 60_000;
    byHost.set(e.host, h);
  }
  return [...byHost]
    .map(([host, h]) => ({ host, events: h.events, minutes: Math.round(h.minutes), hours: Math.round((h.minutes / 60) * 100) / 100 }))
    .sort((a, b) => b.minutes - a.minutes || a.host.localeCompare(b.host));
}

/**
 * A short code to remember, unique within the event: 4 random digits; if many are taken, 6. `taken`
 * is asked inside the sign-up transaction (and a UNIQUE index backs it).
 */
export function pickCode(taken: (code: string) => boolean, randomInt: (maxExclusive: number) => number): string {
  for (const digits of [4, 4, 4, 4, 4, 4, 4, 4, 6, 6, 6, 6, 6, 6, 6, 6, 8, 8, 8, 8, 8, 8, 8, 8]) {
    const code = String(randomInt(10 ** digits)).padStart(digits, '0');
    if (!taken(code)) return code;
  }
  throw new Error('no free sign-up code found');
}
