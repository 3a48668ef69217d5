import { Type } from '@sinclair/typebox';
import { maskPhone } from '../core/phone.js';
import type { EventCounts, HealthEvent, Signup } from './health-store.js';
import { EVENT_KINDS, signupPhase } from './rules.js';

/**
 * What the API shows of events and sign-ups, and the schemas of what it accepts. A phone number
 * leaves the service only masked here; the staff CSV export is the one exception (health-admin-routes.ts).
 */
export function publicEvent(e: HealthEvent, c: EventCounts, now: number) {
  const phase = signupPhase(e, now);
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    description: e.description,
    host: e.host,
    place: e.place,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    capacity: e.capacity,
    placesLeft: Math.max(0, e.capacity - c.confirmedPeople),
    waitlistedPeople: c.waitlistedPeople,
    signup: { opensAt: e.signupOpensAt, closesAt: e.signupClosesAt, phase, open: phase === 'open' },
    cancelled: e.cancelled,
  };
}

export const staffEvent = (e: HealthEvent, c: EventCounts, now: number) => ({ ...publicEvent(e, c, now), counts: c, createdAt: e.createdAt, updatedAt: e.updatedAt });

export const eventSummary = (e: HealthEvent) => ({ id: e.id, title: e.title, startsAt: e.startsAt, endsAt: e.endsAt, place: e.place });

export const masked = (phone: string | null) => (phone === null ? null : maskPhone(phone));

/** Sign-ups in acceptance order, each waiter with its place in the queue. */
export function staffSignups(signups: readonly Signup[]) {
  let waiting = 0;
  return signups.map((s) => ({
    id: s.id,
    status: s.status,
    waitlistPosition: s.status === 'waitlisted' ? ++waiting : null,
    people: s.people,
    code: s.code,
    phone: masked(s.phone),
    createdAt: s.createdAt,
    promotedAt: s.promotedAt,
    cancelledAt: s.cancelledAt,
    checkedInAt: s.checkedInAt,
    checkedInVia: s.checkedInVia,
  }));
}

const Text = (maxLength: number, minLength = 1) => Type.Object({ zh: Type.String({ minLength, maxLength }), en: Type.String({ minLength, maxLength }) }, { additionalProperties: false });
// Years 2000 to 2100: anything else is a typo, and would not even make a valid Date.
const Epoch = Type.Integer({ minimum: 946_684_800_000, maximum: 4_102_444_800_000, description: 'epoch milliseconds' });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

const eventFields = {
  kind: Type.Union(EVENT_KINDS.map((k) => Type.Literal(k))),
  title: Text(120),
  description: Text(2000, 0),
  host: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
  place: Text(120),
  startsAt: Epoch,
  endsAt: Epoch,
  capacity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  signupOpensAt: Epoch,
  signupClosesAt: Epoch,
};
/** Sign-up opens at creation and closes at the start unless the staff say otherwise. */
export const NewEvent = Type.Object(
  { ...eventFields, description: Type.Optional(eventFields.description), signupOpensAt: Type.Optional(Epoch), signupClosesAt: Type.Optional(Epoch) },
  { additionalProperties: false },
);
export const EventPatch = Type.Partial(Type.Object(eventFields), { additionalProperties: false, minProperties: 1 });

export const signupBody = (maxPeople: number) =>
  Type.Object(
    {
      phone: Type.String({ maxLength: 32 }),
      // Checked by the handler, so a missing tick gets its own clear answer (TX_CONSENT_REQUIRED).
      consent: Type.Optional(Type.Boolean()),
      people: Type.Integer({ minimum: 1, maximum: maxPeople, default: 1 }),
    },
    { additionalProperties: false },
  );

export const CodeBody = Type.Object(
  { lastFour: Type.String({ pattern: '^[0-9]{4}$' }), code: Type.String({ pattern: '^[0-9]{4,8}$' }) },
  { additionalProperties: false },
);

export const DateRange = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'local date YYYY-MM-DD, inclusive' })),
    to: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'local date YYYY-MM-DD, inclusive' })),
  },
  { additionalProperties: false },
);

export const AttendanceBody = Type.Object({ attended: Type.Boolean() }, { additionalProperties: false });
