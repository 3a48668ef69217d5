import { randomInt as cryptoRandomInt } from 'node:crypto';
import type { SiteConfig } from '../config/schema.js';
import { siteTopics } from '../contract/topics.js';
import type { Clock } from '../core/clock.js';
import type { OutboxService } from '../mqtt/outbox-service.js';
import type { Db } from '../store/db.js';
import type { EventInput, HealthEvent, HealthStore, Signup } from './health-store.js';
import { decideCancel, decideCheckIn, decideSignup, eventProblems, pickCode, pickPromotions, promotionsAllowed, weekRange, type Refusal } from './rules.js';

/**
 * Every change of health hours as ONE synchronous better-sqlite3 transaction, begun IMMEDIATE (the
 * write lock is taken before the first read, so no other connection can slip in between the check
 * and the insert), with its outbox messages written inside it. The HTTP handler answers only after
 * the function returned, i.e. after COMMIT, which synchronous=FULL has made durable: an
 * acknowledged sign-up survives a crash, and an unacknowledged one is either whole or absent.
 */
export type Failure = Refusal | 'no-event' | 'no-signup' | 'capacity-below-confirmed' | 'invalid-event';
export type Outcome<T> = ({ ok: true } & T) | { ok: false; reason: Failure; problems?: string[] };

export function createHealthService(d: { db: Db; store: HealthStore; outbox: OutboxService; config: SiteConfig; clock: Clock; randomInt?: (max: number) => number }) {
  const { db, store, outbox, config, clock } = d;
  const randomInt = d.randomInt ?? ((max: number) => cryptoRandomInt(max));
  const iso = (ms: number) => new Date(ms).toISOString();
  const topics = siteTopics(config.site.id);

  /** Fills free places from the waitlist; call inside a transaction. */
  const promoteWaiters = (event: HealthEvent, now: number): number[] => {
    if (!promotionsAllowed(event, now)) return [];
    const ids = pickPromotions(event.capacity - store.counts(event.id).confirmedPeople, store.waiters(event.id));
    for (const id of ids) {
      store.promote(id, now);
      const s = store.signup(id) as Signup;
      // (`event` is the outbox's own field, the message name, hence title/startsAt/place at the top.)
      const promoted = { eventId: event.id, signupId: id, people: s.people, title: event.title, startsAt: iso(event.startsAt), place: event.place };
      outbox.publishEvent('signup.promoted', promoted);
      // Node-RED's SMS flow must text this person that the place is now theirs, and has no other
      // way to learn the number. So the phone goes once more, on `private/`, which the broker
      // delivers only to the service and Node-RED (src/mqtt/acl.ts canReceive): anyone may read
      // `event/…`, even an anonymous local client on the demo site.
      outbox.add({
        topic: topics.privateEvent('signup.promoted'),
        payload: JSON.stringify({ ...promoted, phone: s.phone, event: 'signup.promoted', at: iso(now) }),
        qos: 1,
        retain: false,
      });
    }
    return ids;
  };

  const signUp = db.transaction((input: { eventId: number; phone: string; people: number }): Outcome<{ signup: Signup; event: HealthEvent; waitlistPosition?: number }> => {
    const now = clock.now();
    const event = store.event(input.eventId);
    if (!event) return { ok: false, reason: 'no-event' };
    const week = weekRange(event.startsAt, config.site.timezone);
    const decision = decideSignup({
      now,
      event,
      confirmedPeople: store.counts(event.id).confirmedPeople,
      people: input.people,
      phoneHasActiveSignup: store.hasActive(event.id, input.phone),
      phoneWeekPlaces: store.weekPlaces(input.phone, week.from, week.to),
      maxPeoplePerSignup: config.health.maxPeoplePerSignup,
      maxPlacesPerPhonePerWeek: config.health.maxPlacesPerPhonePerWeek,
    });
    if (!decision.ok) return decision;
    const code = pickCode((c) => store.codeTaken(event.id, c), randomInt);
    const id = store.insertSignup({ eventId: event.id, phone: input.phone, people: input.people, code, status: decision.status, now });
    const waitlistPosition = decision.status === 'waitlisted' ? store.waitlistPosition(event.id, id) : undefined;
    outbox.publishEvent('signup.created', { eventId: event.id, signupId: id, status: decision.status, people: input.people, ...(waitlistPosition ? { waitlistPosition } : {}) });
    return { ok: true, signup: store.signup(id) as Signup, event, ...(waitlistPosition ? { waitlistPosition } : {}) };
  });

  const cancel = db.transaction((eventId: number, last4: string, code: string): Outcome<{ signup: Signup; promoted: number[] }> => {
    const now = clock.now();
    const event = store.event(eventId);
    if (!event) return { ok: false, reason: 'no-event' };
    const s = store.byCode(eventId, code, last4);
    if (!s) return { ok: false, reason: 'no-signup' };
    const decision = decideCancel(event, s.status, now);
    if (!decision.ok) return decision;
    store.cancel(s.id, now);
    outbox.publishEvent('signup.cancelled', { eventId, signupId: s.id, people: s.people, previousStatus: s.status });
    const promoted = decision.promote ? promoteWaiters(event, now) : [];
    return { ok: true, signup: store.signup(s.id) as Signup, promoted };
  });

  const checkIn = db.transaction((eventId: number, last4: string, code: string): Outcome<{ signup: Signup; already: boolean }> => {
    const now = clock.now();
    const event = store.event(eventId);
    if (!event) return { ok: false, reason: 'no-event' };
    const s = store.byCode(eventId, code, last4);
    if (!s) return { ok: false, reason: 'no-signup' };
    const decision = decideCheckIn(event, s.status, now, config.health.checkInOpensMinutesBefore);
    if (!decision.ok) return decision;
    if (s.checkedInAt !== null) return { ok: true, signup: s, already: true };
    store.setCheckIn(s.id, now, 'kiosk');
    return { ok: true, signup: store.signup(s.id) as Signup, already: false };
  });

  const markAttendance = db.transaction((signupId: number, attended: boolean): Outcome<{ signup: Signup }> => {
    const s = store.signup(signupId);
    if (!s) return { ok: false, reason: 'no-signup' };
    if (s.status === 'cancelled') return { ok: false, reason: 'signup-cancelled' };
    if (attended && s.checkedInAt === null) store.setCheckIn(s.id, clock.now(), 'staff');
    if (!attended) store.setCheckIn(s.id, null, null);
    return { ok: true, signup: store.signup(s.id) as Signup };
  });

  const createEvent = db.transaction((input: EventInput): Outcome<{ event: HealthEvent }> => {
    const problems = eventProblems(input);
    if (problems.length > 0) return { ok: false, reason: 'invalid-event', problems };
    const id = store.insertEvent(input, clock.now());
    return { ok: true, event: store.event(id) as HealthEvent };
  });

  const updateEvent = db.transaction((id: number, patch: Partial<EventInput>): Outcome<{ event: HealthEvent; promoted: number[] }> => {
    const now = clock.now();
    const old = store.event(id);
    if (!old) return { ok: false, reason: 'no-event' };
    if (old.cancelled) return { ok: false, reason: 'event-cancelled' };
    const merged: EventInput = { ...pickInput(old), ...patch };
    const problems = eventProblems(merged);
    if (problems.length > 0) return { ok: false, reason: 'invalid-event', problems };
    if (merged.capacity < store.counts(id).confirmedPeople) return { ok: false, reason: 'capacity-below-confirmed' };
    store.updateEvent(id, merged, now);
    const event = store.event(id) as HealthEvent;
    // More places (or a later start) may let waiters in.
    return { ok: true, event, promoted: promoteWaiters(event, now) };
  });

  const cancelEvent = db.transaction((id: number): Outcome<{ event: HealthEvent; already: boolean }> => {
    const old = store.event(id);
    if (!old) return { ok: false, reason: 'no-event' };
    if (old.cancelled) return { ok: true, event: old, already: true };
    store.cancelEvent(id, clock.now());
    outbox.publishEvent('health-event.cancelled', { eventId: id, title: old.title, startsAt: iso(old.startsAt) });
    return { ok: true, event: store.event(id) as HealthEvent, already: false };
  });

  return {
    signUp: (input: { eventId: number; phone: string; people: number }) => signUp.immediate(input),
    cancel: (eventId: number, last4: string, code: string) => cancel.immediate(eventId, last4, code),
    checkIn: (eventId: number, last4: string, code: string) => checkIn.immediate(eventId, last4, code),
    markAttendance: (signupId: number, attended: boolean) => markAttendance.immediate(signupId, attended),
    createEvent: (input: EventInput) => createEvent.immediate(input),
    updateEvent: (id: number, patch: Partial<EventInput>) => updateEvent.immediate(id, patch),
    cancelEvent: (id: number) => cancelEvent.immediate(id),
    /** The privacy job: deletes phone numbers `phoneRetentionDays` after their event ended. */
    purgePhones: (now: number) => store.purgePhones(now - config.privacy.phoneRetentionDays * 86_400_000),
  };
}
export type HealthService = ReturnType<typeof createHealthService>;

function pickInput(e: HealthEvent): EventInput {
  const { id: _id, cancelled: _c, createdAt: _ca, updatedAt: _ua, ...input } = e;
  return input;
}
