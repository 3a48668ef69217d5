import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasteCalendar } from '../../../src/waste/calendar.js';
import { slotContaining, slotKey, slotsEndingIn, type PickupSlot } from '../../../src/waste/pickup-slots.js';
import { at, calendar, CN, DAY, demoPoint, HOUR, makePoint, MIN, TZ } from './fixtures.js';

const cfg = { earlyMinutes: 15, slotMinutes: 60 };
const p1 = demoPoint('p1'); // wet 09:00+21:00 daily, dry 09:30, recyclable 10:00 mon+thu, hazardous on request
const wetOnly = makePoint({ id: 'p1', pickups: [{ category: 'wet', at: ['09:00', '21:00'] }] });
const ending = (p = p1, from: number, to: number, cal = calendar) => slotsEndingIn(p, from, to, cal, TZ, cfg);
const labels = (slots: PickupSlot[]) => slots.map((s) => `${s.category}@${s.date}T${s.at}`);

describe('slotsEndingIn', () => {
  it('gives a Monday of the demo point in order of their end', () => {
    const slots = ending(p1, at('2026-11-30', '00:00'), at('2026-12-01', '00:00'));
    expect(labels(slots)).toEqual(['wet@2026-11-30T09:00', 'dry@2026-11-30T09:30', 'recyclable@2026-11-30T10:00', 'wet@2026-11-30T21:00']);
    expect(slots[0]).toEqual({
      pointId: 'p1',
      category: 'wet',
      date: '2026-11-30',
      at: '09:00',
      scheduledAt: Date.UTC(2026, 10, 30, 1, 0), // 09:00 Shanghai
      from: Date.UTC(2026, 10, 30, 0, 45),
      to: Date.UTC(2026, 10, 30, 2, 0),
    });
  });

  it('counts a week: wet 2 a day, dry 1 a day, recyclable Monday and Thursday, hazardous never', () => {
    const slots = ending(p1, at('2026-11-30', '00:00'), at('2026-12-07', '00:00'));
    const count = (c: string) => slots.filter((s) => s.category === c).length;
    expect([count('wet'), count('dry'), count('recyclable'), count('hazardous')]).toEqual([14, 7, 2, 0]);
    expect(slots.filter((s) => s.category === 'recyclable').map((s) => s.date)).toEqual(['2026-11-30', '2026-12-03']);
    expect(slots.map((s) => s.to)).toEqual([...slots.map((s) => s.to)].sort((a, b) => a - b));
    expect(labels(ending(wetOnly, at('2026-11-30', '00:00'), at('2026-12-07', '00:00'))).length).toBe(14);
  });

  it('includes a slot ending exactly at the upper bound and excludes one ending at the lower', () => {
    const end = at('2026-11-30', '10:00'); // the 09:00 wet slot ends here
    expect(labels(ending(wetOnly, end - 1, end))).toEqual(['wet@2026-11-30T09:00']);
    expect(ending(wetOnly, end, end + HOUR)).toEqual([]);
    expect(ending(wetOnly, end, end)).toEqual([]);
  });

  it('on-request pickups have no slots', () => {
    const onRequest = makePoint({ pickups: [{ category: 'hazardous', at: ['10:00'], onRequest: true }] });
    expect(ending(onRequest, at('2026-11-01', '00:00'), at('2026-12-01', '00:00'))).toEqual([]);
  });

  it('crews still come on a point closure day, but not on a site closed day', () => {
    const closedPoint = { ...wetOnly, closures: [{ date: '2026-11-30' }] };
    expect(ending(closedPoint, at('2026-11-30', '00:00'), at('2026-12-01', '00:00'))).toHaveLength(2);
    const siteClosed = createWasteCalendar({ holidays: CN, specialDays: [{ date: '2026-11-30', as: 'closed' }], tz: TZ });
    expect(ending(wetOnly, at('2026-11-30', '00:00'), at('2026-12-01', '00:00'), siteClosed)).toEqual([]);
  });

  it('matches days like the windows: weekdays by weekday, workday by the official calendar', () => {
    const nationalDay = [at('2026-10-01', '00:00'), at('2026-10-02', '00:00')] as const; // a Thursday, a holiday
    expect(ending(makePoint({ pickups: [{ category: 'recyclable', at: ['10:00'], days: ['mon', 'thu'] }] }), ...nationalDay)).toHaveLength(1);
    expect(ending(makePoint({ pickups: [{ category: 'recyclable', at: ['10:00'], days: ['workday'] }] }), ...nationalDay)).toHaveLength(0);
  });

  it("a '24:00' pickup belongs to its own day", () => {
    const midnight = makePoint({ pickups: [{ category: 'dry', at: ['24:00'], days: ['sun'] }] });
    const slots = ending(midnight, at('2026-11-29', '00:00'), at('2026-12-01', '00:00'));
    expect(slots.map((s) => [slotKey(s), s.scheduledAt])).toEqual([['x/dry/2026-11-29T24:00', at('2026-11-30', '00:00')]]);
    // Asked for just after midnight: Sunday's slot is still found (it ends at 01:00 Monday).
    expect(ending(midnight, at('2026-11-30', '00:30'), at('2026-11-30', '02:00')).map(slotKey)).toEqual(['x/dry/2026-11-29T24:00']);
    expect(slotContaining(midnight, 'dry', at('2026-11-30', '00:59'), calendar, TZ, cfg)?.date).toBe('2026-11-29');
  });

  it('splitting a range never loses or repeats a slot (property)', () => {
    const start = at('2026-01-01', '00:00');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * DAY }), { minLength: 2, maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts.map((c) => start + c))].sort((a, b) => a - b);
        const pieces = points.slice(1).flatMap((to, i) => ending(p1, points[i]!, to));
        expect(pieces.map(slotKey)).toEqual(ending(p1, points[0]!, points[points.length - 1]!).map(slotKey));
        expect(new Set(pieces.map(slotKey)).size).toBe(pieces.length);
      }),
    );
  });
});

describe('slotContaining', () => {
  it.each([
    ['08:44', null],
    ['08:45', '09:00'],
    ['09:59', '09:00'],
    ['10:00', null],
    ['20:45', '21:00'],
    ['21:59', '21:00'],
  ])('wet at %s → %s', (time, expected) => {
    expect(slotContaining(wetOnly, 'wet', at('2026-11-30', time), calendar, TZ, cfg)?.at ?? null).toBe(expected);
  });

  it('only looks at the asked category', () => {
    expect(slotContaining(p1, 'dry', at('2026-11-30', '09:20'), calendar, TZ, cfg)?.at).toBe('09:30');
    expect(slotContaining(p1, 'dry', at('2026-11-30', '09:10'), calendar, TZ, cfg)).toBeNull();
    expect(slotContaining(p1, 'hazardous', at('2026-11-30', '10:00'), calendar, TZ, cfg)).toBeNull();
  });

  it('of overlapping slots, picks the one ending first', () => {
    const twice = makePoint({ pickups: [{ category: 'wet', at: ['09:30', '09:00'] }] });
    expect(slotContaining(twice, 'wet', at('2026-11-30', '09:40'), calendar, TZ, cfg)?.at).toBe('09:00');
    expect(slotContaining(twice, 'wet', at('2026-11-30', '10:05'), calendar, TZ, cfg)?.at).toBe('09:30');
  });

  it('agrees with slotsEndingIn (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2025, 11, 31, 16), max: Date.UTC(2026, 11, 31, 16) }), (now) => {
        for (const c of ['wet', 'dry', 'recyclable'] as const) {
          const all = ending(p1, now - 3 * DAY, now + 3 * DAY).filter((s) => s.category === c && s.from <= now && now < s.to);
          const got = slotContaining(p1, c, now, calendar, TZ, cfg);
          expect(got ? slotKey(got) : null).toBe(all[0] ? slotKey(all[0]) : null);
        }
      }),
    );
  });
});

describe('slotKey', () => {
  it('is the local date and time, stable and unique', () => {
    const day = () => ending(p1, at('2026-11-28', '00:00'), at('2026-11-29', '00:00'));
    expect(day().map(slotKey)).toEqual(['p1/wet/2026-11-28T09:00', 'p1/dry/2026-11-28T09:30', 'p1/wet/2026-11-28T21:00']);
    expect(day().map(slotKey)).toEqual(day().map(slotKey));
    const month = ending(p1, at('2026-11-01', '00:00'), at('2026-12-01', '00:00'));
    expect(new Set(month.map(slotKey)).size).toBe(month.length);
    expect(month.length).toBe(30 * 3 + 9); // 9 Mondays and Thursdays in November 2026
    expect(slotKey({ pointId: 'p1', category: 'wet', date: '2026-11-28', at: '09:00' })).toBe('p1/wet/2026-11-28T09:00');
    expect(MIN).toBe(60_000);
  });
});
