import type { Db } from '../store/db.js';
import type { EventKind, SignupStatus } from './rules.js';

/** SQL for health hours: prepared once, no decisions here (rules.ts) and no transactions (health-service.ts). */
export interface Text {
  zh: string;
  en: string;
}
export interface HealthEvent {
  id: number;
  kind: EventKind;
  title: Text;
  description: Text;
  host: string;
  place: Text;
  startsAt: number;
  endsAt: number;
  capacity: number;
  signupOpensAt: number;
  signupClosesAt: number;
  cancelled: boolean;
  createdAt: number;
  updatedAt: number;
}
export type EventInput = Omit<HealthEvent, 'id' | 'cancelled' | 'createdAt' | 'updatedAt'>;

export interface Signup {
  id: number;
  eventId: number;
  /** null once the privacy job has deleted it */
  phone: string | null;
  people: number;
  code: string;
  status: SignupStatus;
  createdAt: number;
  promotedAt: number | null;
  cancelledAt: number | null;
  checkedInAt: number | null;
  checkedInVia: 'kiosk' | 'staff' | null;
}

export interface EventCounts {
  confirmedPeople: number;
  confirmedSignups: number;
  waitlistedPeople: number;
  waitlistedSignups: number;
  checkedInPeople: number;
  checkedInSignups: number;
}

interface EventRow {
  id: number;
  kind: EventKind;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  host: string;
  place_zh: string;
  place_en: string;
  starts_at: number;
  ends_at: number;
  capacity: number;
  signup_opens_at: number;
  signup_closes_at: number;
  cancelled: number;
  created_at: number;
  updated_at: number;
}
interface SignupRow {
  id: number;
  event_id: number;
  phone: string | null;
  people: number;
  code: string;
  status: SignupStatus;
  created_at: number;
  promoted_at: number | null;
  cancelled_at: number | null;
  checked_in_at: number | null;
  checked_in_via: 'kiosk' | 'staff' | null;
}

const toEvent = (r: EventRow): HealthEvent => ({
  id: r.id,
  kind: r.kind,
  title: { zh: r.title_zh, en: r.title_en },
  description: { zh: r.description_zh, en: r.description_en },
  host: r.host,
  place: { zh: r.place_zh, en: r.place_en },
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  capacity: r.capacity,
  signupOpensAt: r.signup_opens_at,
  signupClosesAt: r.signup_closes_at,
  cancelled: r.cancelled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toSignup = (r: SignupRow): Signup => ({
  id: r.id,
  eventId: r.event_id,
  phone: r.phone,
  people: r.people,
  code: r.code,
  status: r.status,
  createdAt: r.created_at,
  promotedAt: r.promoted_at,
  cancelledAt: r.cancelled_at,
  checkedInAt: r.checked_in_at,
  checkedInVia: r.checked_in_via,
});

const COUNTS = `
  coalesce(sum(CASE WHEN s.status = 'confirmed' THEN s.people END), 0) AS confirmedPeople,
  count(CASE WHEN s.status = 'confirmed' THEN 1 END) AS confirmedSignups,
  coalesce(sum(CASE WHEN s.status = 'waitlisted' THEN s.people END), 0) AS waitlistedPeople,
  count(CASE WHEN s.status = 'waitlisted' THEN 1 END) AS waitlistedSignups,
  coalesce(sum(CASE WHEN s.status <> 'cancelled' AND s.checked_in_at IS NOT NULL THEN s.people END), 0) AS checkedInPeople,
  count(CASE WHEN s.status <> 'cancelled' AND s.checked_in_at IS NOT NULL THEN 1 END) AS checkedInSignups`;

export function createHealthStore(db: Db) {
  const EVENT_COLS = 'kind, title_zh, title_en, description_zh, description_en, host, place_zh, place_en, starts_at, ends_at, capacity, signup_opens_at, signup_closes_at';
  const insertEvent = db.prepare(`INSERT INTO health_events (${EVENT_COLS}, created_at, updated_at) VALUES (${'?, '.repeat(13)}?, ?)`);
  const updateEvent = db.prepare(`UPDATE health_events SET (${EVENT_COLS}, updated_at) = (${'?, '.repeat(13)}?) WHERE id = ?`);
  const cancelEvent = db.prepare('UPDATE health_events SET cancelled = 1, updated_at = ? WHERE id = ?');
  const eventById = db.prepare<[number], EventRow>('SELECT * FROM health_events WHERE id = ?');
  const eventsEndingAfter = db.prepare<[number], EventRow>('SELECT * FROM health_events WHERE ends_at > ? ORDER BY starts_at, id');
  const eventsStartingIn = db.prepare<[number, number], EventRow>('SELECT * FROM health_events WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, id');
  const counts = db.prepare<[number], EventCounts>(`SELECT ${COUNTS} FROM health_signups s WHERE s.event_id = ?`);
  const signupById = db.prepare<[number], SignupRow>('SELECT * FROM health_signups WHERE id = ?');
  const signupsOf = db.prepare<[number], SignupRow>('SELECT * FROM health_signups WHERE event_id = ? ORDER BY id');
  const byCode = db.prepare<[number, string, string], SignupRow>('SELECT * FROM health_signups WHERE event_id = ? AND code = ? AND substr(phone, -4) = ?');
  const activeOfPhone = db.prepare<[number, string], { id: number }>(
    "SELECT id FROM health_signups WHERE event_id = ? AND phone = ? AND status IN ('confirmed', 'waitlisted')",
  );
  const codeTaken = db.prepare<[number, string], { id: number }>('SELECT id FROM health_signups WHERE event_id = ? AND code = ?');
  const weekPlaces = db.prepare<[string, number, number], { n: number }>(`
    SELECT coalesce(sum(s.people), 0) AS n FROM health_signups s JOIN health_events e ON e.id = s.event_id
    WHERE s.phone = ? AND s.status IN ('confirmed', 'waitlisted') AND e.cancelled = 0 AND e.starts_at >= ? AND e.starts_at < ?`);
  const insertSignup = db.prepare('INSERT INTO health_signups (event_id, phone, people, code, status, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const waitersOf = db.prepare<[number], { id: number; people: number }>("SELECT id, people FROM health_signups WHERE event_id = ? AND status = 'waitlisted' ORDER BY id");
  const position = db.prepare<[number, number], { n: number }>("SELECT count(*) AS n FROM health_signups WHERE event_id = ? AND status = 'waitlisted' AND id <= ?");
  const promote = db.prepare("UPDATE health_signups SET status = 'confirmed', promoted_at = ? WHERE id = ? AND status = 'waitlisted'");
  const cancel = db.prepare("UPDATE health_signups SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status <> 'cancelled'");
  const setCheckIn = db.prepare('UPDATE health_signups SET checked_in_at = ?, checked_in_via = ? WHERE id = ?');
  const purge = db.prepare('UPDATE health_signups SET phone = NULL WHERE phone IS NOT NULL AND event_id IN (SELECT id FROM health_events WHERE ends_at < ?)');

  const eventArgs = (e: EventInput) => [
    e.kind, e.title.zh, e.title.en, e.description.zh, e.description.en, e.host, e.place.zh, e.place.en, e.startsAt, e.endsAt, e.capacity, e.signupOpensAt, e.signupClosesAt,
  ];

  return {
    insertEvent: (e: EventInput, now: number) => Number(insertEvent.run(...eventArgs(e), now, now).lastInsertRowid),
    updateEvent: (id: number, e: EventInput, now: number) => void updateEvent.run(...eventArgs(e), now, id),
    cancelEvent: (id: number, now: number) => void cancelEvent.run(now, id),
    event: (id: number) => {
      const r = eventById.get(id);
      return r ? toEvent(r) : undefined;
    },
    eventsEndingAfter: (t: number) => eventsEndingAfter.all(t).map(toEvent),
    eventsStartingIn: (from: number, to: number) => eventsStartingIn.all(from, to).map(toEvent),
    counts: (eventId: number): EventCounts => counts.get(eventId) as EventCounts,
    signup: (id: number) => {
      const r = signupById.get(id);
      return r ? toSignup(r) : undefined;
    },
    signupsOf: (eventId: number) => signupsOf.all(eventId).map(toSignup),
    /** The sign-up a resident names with the last four digits of the phone and the code. */
    byCode: (eventId: number, code: string, last4: string) => {
      const r = byCode.get(eventId, code, last4);
      return r ? toSignup(r) : undefined;
    },
    hasActive: (eventId: number, phone: string) => activeOfPhone.get(eventId, phone) !== undefined,
    codeTaken: (eventId: number, code: string) => codeTaken.get(eventId, code) !== undefined,
    weekPlaces: (phone: string, from: number, to: number) => weekPlaces.get(phone, from, to)?.n ?? 0,
    insertSignup: (s: { eventId: number; phone: string; people: number; code: string; status: SignupStatus; now: number }) =>
      Number(insertSignup.run(s.eventId, s.phone, s.people, s.code, s.status, s.now).lastInsertRowid),
    waiters: (eventId: number) => waitersOf.all(eventId),
    waitlistPosition: (eventId: number, signupId: number) => position.get(eventId, signupId)?.n ?? 0,
    promote: (id: number, now: number) => promote.run(now, id).changes === 1,
    cancel: (id: number, now: number) => cancel.run(now, id).changes === 1,
    setCheckIn: (id: number, at: number | null, via: 'kiosk' | 'staff' | null) => void setCheckIn.run(at, via, id),
    /** Deletes the phone numbers of sign-ups whose event ended before `endedBefore`; returns how many. */
    purgePhones: (endedBefore: number) => purge.run(endedBefore).changes,
  };
}
export type HealthStore = ReturnType<typeof createHealthStore>;
