import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideCancel,
  decideCheckIn,
  decideSignup,
  eventProblems,
  pickCode,
  pickPromotions,
  signupPhase,
  volunteerHours,
  weekRange,
  type SignupFacts,
} from '../../../src/health/rules.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 2, 0); // Monday 2026-11-23 10:00 in Shanghai
const event = { startsAt: T0 + 48 * H, endsAt: T0 + 50 * H, signupOpensAt: T0 - 24 * H, signupClosesAt: T0 + 47 * H, cancelled: false, capacity: 10 };
const facts = (over: Partial<SignupFacts> = {}): SignupFacts => ({
  now: T0,
  event,
  confirmedPeople: 0,
  people: 1,
  phoneHasActiveSignup: false,
  phoneWeekPlaces: 0,
  maxPeoplePerSignup: 6,
  maxPlacesPerPhonePerWeek: 4,
  ...over,
});

describe('signupPhase', () => {
  it.each([
    ['before opening', event.signupOpensAt - 1, false, 'not-yet-open'],
    ['at opening', event.signupOpensAt, false, 'open'],
    ['just before closing', event.signupClosesAt - 1, false, 'open'],
    ['at closing', event.signupClosesAt, false, 'closed'],
    ['cancelled while open', T0, true, 'cancelled'],
  ] as const)('%s', (_what, now, cancelled, phase) => {
    expect(signupPhase({ ...event, cancelled }, now)).toBe(phase);
  });
});

describe('decideSignup', () => {
  it.each<[string, Partial<SignupFacts>, ReturnType<typeof decideSignup>]>([
    ['room for one', {}, { ok: true, status: 'confirmed' }],
    ['exactly fills the event', { confirmedPeople: 7, people: 3 }, { ok: true, status: 'confirmed' }],
    ['group of 3 with 2 left waits whole (never split)', { confirmedPeople: 8, people: 3 }, { ok: true, status: 'waitlisted' }],
    ['full event: waitlisted', { confirmedPeople: 10 }, { ok: true, status: 'waitlisted' }],
    ['cancelled event', { event: { ...event, cancelled: true } }, { ok: false, reason: 'event-cancelled' }],
    ['before opening', { now: event.signupOpensAt - 1 }, { ok: false, reason: 'not-yet-open' }],
    ['after closing', { now: event.signupClosesAt }, { ok: false, reason: 'closed' }],
    ['more people than a sign-up may bring', { people: 7 }, { ok: false, reason: 'too-many-people' }],
    ['zero people', { people: 0 }, { ok: false, reason: 'too-many-people' }],
    ['group larger than the whole event', { event: { ...event, capacity: 2 }, people: 3 }, { ok: false, reason: 'group-larger-than-event' }],
    ['phone already holds a sign-up', { phoneHasActiveSignup: true }, { ok: false, reason: 'already-signed-up' }],
    ['week limit reached', { phoneWeekPlaces: 4 }, { ok: false, reason: 'week-limit' }],
    ['week limit would be passed by the group', { phoneWeekPlaces: 2, people: 3 }, { ok: false, reason: 'week-limit' }],
    ['week limit exactly reached by the group', { phoneWeekPlaces: 1, people: 3 }, { ok: true, status: 'confirmed' }],
  ])('%s', (_what, over, expected) => {
    expect(decideSignup(facts(over))).toEqual(expected);
  });
});

describe('pickPromotions (first that fits, in order)', () => {
  it.each<[string, number, { id: number; people: number }[], number[]]>([
    ['nothing free', 0, [{ id: 1, people: 1 }], []],
    ['FIFO while they fit', 2, [{ id: 1, people: 1 }, { id: 2, people: 1 }, { id: 3, people: 1 }], [1, 2]],
    ['a group that does not fit does not block a smaller one behind it', 2, [{ id: 1, people: 3 }, { id: 2, people: 2 }], [2]],
    ['the big group goes first when it fits', 3, [{ id: 1, people: 3 }, { id: 2, people: 1 }], [1]],
    ['skips and fills', 4, [{ id: 1, people: 3 }, { id: 2, people: 5 }, { id: 3, people: 1 }], [1, 3]],
  ])('%s', (_what, free, waiters, expected) => {
    expect(pickPromotions(free, waiters)).toEqual(expected);
  });

  it('never overfills, keeps order, and leaves no waiter that would still fit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 30 }), (free, sizes) => {
        const waiters = sizes.map((people, i) => ({ id: i + 1, people }));
        const picked = pickPromotions(free, waiters);
        const used = picked.reduce((sum, id) => sum + waiters[id - 1]!.people, 0);
        expect(used).toBeLessThanOrEqual(free);
        expect([...picked].sort((a, b) => a - b)).toEqual(picked);
        for (const w of waiters) if (!picked.includes(w.id)) expect(w.people).toBeGreaterThan(free - used);
      }),
    );
  });
});

describe('decideCancel', () => {
  it.each<[string, typeof event, 'confirmed' | 'waitlisted' | 'cancelled', number, ReturnType<typeof decideCancel>]>([
    ['confirmed, before the start', event, 'confirmed', T0, { ok: true, promote: true }],
    ['waitlisted, before the start', event, 'waitlisted', T0, { ok: true, promote: true }],
    ['already cancelled', event, 'cancelled', T0, { ok: false, reason: 'signup-cancelled' }],
    ['at the start', event, 'confirmed', event.startsAt, { ok: false, reason: 'event-started' }],
    ['event cancelled: nobody is promoted', { ...event, cancelled: true }, 'confirmed', T0, { ok: true, promote: false }],
  ])('%s', (_what, e, status, now, expected) => {
    expect(decideCancel(e, status, now)).toEqual(expected);
  });
});

describe('decideCheckIn', () => {
  const opens = event.startsAt - 30 * 60_000;
  it.each<[string, typeof event, 'confirmed' | 'waitlisted' | 'cancelled', number, ReturnType<typeof decideCheckIn>]>([
    ['just before check-in opens', event, 'confirmed', opens - 1, { ok: false, reason: 'too-early' }],
    ['when check-in opens', event, 'confirmed', opens, { ok: true }],
    ['during the event', event, 'confirmed', event.startsAt + H, { ok: true }],
    ['at the end', event, 'confirmed', event.endsAt, { ok: false, reason: 'event-ended' }],
    ['a waiter', event, 'waitlisted', event.startsAt, { ok: false, reason: 'not-confirmed' }],
    ['a cancelled sign-up', event, 'cancelled', event.startsAt, { ok: false, reason: 'signup-cancelled' }],
    ['a cancelled event', { ...event, cancelled: true }, 'confirmed', event.startsAt, { ok: false, reason: 'event-cancelled' }],
  ])('%s', (_what, e, status, now, expected) => {
    expect(decideCheckIn(e, status, now, 30)).toEqual(expected);
  });
});

describe('weekRange (Monday to Sunday, Shanghai)', () => {
  const tz = 'Asia/Shanghai';
  const shanghai = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);
  it.each([
    ['Monday 00:00', shanghai(2026, 11, 23, 0), '2026-11-23'],
    ['Wednesday noon', shanghai(2026, 11, 25, 12), '2026-11-23'],
    ['Sunday 23:59 (Sunday 15:59 UTC)', shanghai(2026, 11, 29, 23, 59), '2026-11-23'],
    ['next Monday 00:00 (still Sunday in UTC)', shanghai(2026, 11, 30, 0), '2026-11-30'],
    ['across a year end', shanghai(2027, 1, 1, 9), '2026-12-28'],
  ])('%s', (_what, at, monday) => {
    const w = weekRange(at, tz);
    expect(w.monday).toBe(monday);
    expect(w.from).toBeLessThanOrEqual(at);
    expect(w.to).toBeGreaterThan(at);
    expect(w.to - w.from).toBe(7 * 24 * H);
  });
});

describe('eventProblems', () => {
  const ok = { startsAt: 10, endsAt: 20, signupOpensAt: 0, signupClosesAt: 10, capacity: 5 };
  it.each([
    ['a good event', ok, []],
    ['ends before it starts', { ...ok, endsAt: 10 }, ['endsAt must be after startsAt']],
    ['sign-up closes before it opens', { ...ok, signupClosesAt: 0 }, ['signupClosesAt must be after signupOpensAt']],
    ['sign-up closes after the end', { ...ok, signupClosesAt: 21 }, ['signupClosesAt must not be after endsAt']],
    ['no places', { ...ok, capacity: 0 }, ['capacity must be a whole number of at least 1']],
  ])('%s', (_what, e, problems) => {
    expect(eventProblems(e)).toEqual(problems);
  });
});

describe('volunteerHours', () => {
  it('sums durations per host, largest first', () => {
    expect(
      volunteerHours([
        { host: 'Dr Li', startsAt: 0, endsAt: 90 * 60_000 },
        { host: 'Ms Wang', startsAt: 0, endsAt: 60 * 60_000 },
        { host: 'Dr Li', startsAt: 0, endsAt: 45 * 60_000 },
      ]),
    ).toEqual([
      { host: 'Dr Li', events: 2, minutes: 135, hours: 2.25 },
      { host: 'Ms Wang', events: 1, minutes: 60, hours: 1 },
    ]);
    expect(volunteerHours([])).toEqual([]);
  });
});

describe('pickCode', () => {
  it('gives 4 digits, skipping taken ones, and longer codes when 4-digit ones keep colliding', () => {
    const seq = [1234, 1234, 42];
    expect(pickCode((c) => c === '1234', () => seq.shift()!)).toBe('0042');
    expect(pickCode((c) => c.length === 4, () => 7)).toBe('000007');
    expect(() => pickCode(() => true, () => 1)).toThrow();
  });
});
