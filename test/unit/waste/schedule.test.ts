import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_SPECS, type WasteCategory } from '../../../src/config/schema.js';
import { createWasteCalendar, type Point } from '../../../src/waste/calendar.js';
import { addDays, localParts } from '../../../src/waste/local-time.js';
import { categoryState, mergeIntervals, pointState } from '../../../src/waste/schedule.js';
import { at, calendar, CATEGORIES, CN, DAY, demoPoint, makePoint, MIN, TZ } from './fixtures.js';

const p1 = demoPoint('p1'); // 06:30–08:30 and 17:30–20:30, every day, all categories
const state = (p: Point, now: number, c: WasteCategory = 'wet', cal = calendar) => categoryState(p, c, now, cal, TZ);
const iv = (d1: string, t1: string, d2: string, t2: string) => ({ from: at(d1, t1), to: at(d2, t2) });

describe('demo point p1 on an ordinary Monday (2026-11-30)', () => {
  const D = '2026-11-30';
  it.each([
    { time: '06:29', open: false, current: null, next: iv(D, '06:30', D, '08:30') },
    { time: '06:30', open: true, current: iv(D, '06:30', D, '08:30'), next: iv(D, '17:30', D, '20:30') },
    { time: '07:45', open: true, current: iv(D, '06:30', D, '08:30'), next: iv(D, '17:30', D, '20:30') },
    { time: '08:30', open: false, current: null, next: iv(D, '17:30', D, '20:30') },
    { time: '12:00', open: false, current: null, next: iv(D, '17:30', D, '20:30') },
    { time: '17:30', open: true, current: iv(D, '17:30', D, '20:30'), next: iv('2026-12-01', '06:30', '2026-12-01', '08:30') },
    { time: '20:30', open: false, current: null, next: iv('2026-12-01', '06:30', '2026-12-01', '08:30') },
    { time: '23:59', open: false, current: null, next: iv('2026-12-01', '06:30', '2026-12-01', '08:30') },
  ])('$time → open $open', ({ time, open, current, next }) => {
    for (const c of CATEGORIES) expect(state(p1, at(D, time), c)).toEqual({ open, current, next });
  });

  it('is open until the last millisecond before `to`, in real UTC instants', () => {
    // 06:30 Shanghai is 22:30Z the day before.
    expect(state(p1, Date.UTC(2026, 10, 29, 22, 30)).open).toBe(true);
    expect(state(p1, Date.UTC(2026, 10, 29, 22, 30) - 1).open).toBe(false);
    expect(state(p1, Date.UTC(2026, 10, 30, 0, 30) - 1).open).toBe(true);
    expect(state(p1, Date.UTC(2026, 10, 30, 0, 30)).open).toBe(false);
  });

  it('pointState reports every bin category', () => {
    const s = pointState(p1, at(D, '07:00'), calendar, TZ);
    expect(s.pointId).toBe('p1');
    expect(s.open).toBe(true);
    expect(Object.keys(s.categories).sort()).toEqual([...CATEGORIES].sort());
    expect(pointState(p1, at(D, '12:00'), calendar, TZ).open).toBe(false);
  });
});

describe('windows past midnight', () => {
  const night = makePoint({ windows: [{ from: '22:00', to: '02:00', days: ['sun'] }] });
  it('a Sunday 22:00–02:00 window is still open at 01:00 on Monday', () => {
    expect(state(night, at('2026-11-30', '01:00'))).toEqual({ open: true, current: iv('2026-11-29', '22:00', '2026-11-30', '02:00'), next: iv('2026-12-06', '22:00', '2026-12-07', '02:00') });
  });
  it.each([
    ['2026-11-29', '01:00', false, 'Sunday 01:00: Saturday started no window'],
    ['2026-11-29', '21:59', false, 'before it starts'],
    ['2026-11-29', '22:00', true, 'at its start'],
    ['2026-11-30', '02:00', false, 'at its end'],
    ['2026-11-30', '22:30', false, 'Monday evening: not a Sunday'],
  ])('%s %s → %s (%s)', (date, time, open) => {
    expect(state(night, at(date, time)).open).toBe(open);
  });
  it("'24:00' ends at the next midnight", () => {
    const late = makePoint({ windows: [{ from: '20:00', to: '24:00', days: ['fri'] }] });
    expect(state(late, at('2026-11-27', '23:59')).current).toEqual(iv('2026-11-27', '20:00', '2026-11-28', '00:00'));
    expect(state(late, at('2026-11-28', '00:00')).open).toBe(false);
  });
});

describe('per-category windows', () => {
  const p = makePoint({
    windows: [
      { from: '06:30', to: '08:30', categories: ['recyclable', 'wet', 'dry'] },
      { from: '09:00', to: '11:00', days: ['sat'], categories: ['hazardous'] },
    ],
  });
  it('hazardous only on Saturday mornings', () => {
    const sat = pointState(p, at('2026-11-28', '10:00'), calendar, TZ);
    expect(sat.open).toBe(true);
    expect(sat.categories.hazardous?.open).toBe(true);
    expect(sat.categories.wet?.open).toBe(false);
    const mon = at('2026-11-30', '07:00');
    expect(state(p, mon, 'hazardous')).toEqual({ open: false, current: null, next: iv('2026-12-05', '09:00', '2026-12-05', '11:00') });
    expect(state(p, mon, 'wet').open).toBe(true);
  });
});

describe('late-drop points and closures', () => {
  const p2 = demoPoint('p2');
  it('a late-drop point is open at any hour, and never "opens next"', () => {
    for (const time of ['00:00', '03:17', '12:00', '23:59']) {
      const s = state(p2, at('2026-11-30', time));
      expect(s.open).toBe(true);
      expect(s.next).toBeNull();
    }
  });
  it('a late-drop point is closed on its closure day, from midnight to midnight', () => {
    const closed = { ...p2, closures: [{ date: '2026-11-30' }] };
    expect(state(closed, at('2026-11-29', '23:59')).current?.to).toBe(at('2026-11-30', '00:00'));
    expect(state(closed, at('2026-11-30', '12:00'))).toEqual({ open: false, current: null, next: { from: at('2026-12-01', '00:00'), to: expect.any(Number) } });
  });
  it('a closure closes the windows starting that day; a site closed day closes every point', () => {
    const closed = { ...p1, closures: [{ date: '2026-11-30' }] };
    expect(state(closed, at('2026-11-30', '07:00'))).toEqual({ open: false, current: null, next: iv('2026-12-01', '06:30', '2026-12-01', '08:30') });
    const siteClosed = createWasteCalendar({ holidays: CN, specialDays: [{ date: '2026-11-30', as: 'closed' }], tz: TZ });
    expect(state(p1, at('2026-11-30', '07:00'), 'wet', siteClosed).open).toBe(false);
    expect(state(p2, at('2026-11-30', '07:00'), 'wet', siteClosed).open).toBe(false);
    expect(state(p1, at('2026-12-01', '07:00'), 'wet', siteClosed).open).toBe(true);
  });
  it('a window from the evening before still runs into a closed day', () => {
    const night = makePoint({ windows: [{ from: '22:00', to: '02:00' }], closures: [{ date: '2026-11-30' }] });
    expect(state(night, at('2026-11-30', '01:00')).open).toBe(true);
    expect(state(night, at('2026-11-30', '23:00')).open).toBe(false);
  });
});

describe('next opening', () => {
  const work = makePoint({ windows: [{ from: '06:30', to: '08:30', days: ['workday'] }] });
  it.each([
    ['across a weekend', '2026-11-27', '2026-11-30'],
    ['across National Day (10-01..10-07)', '2026-09-30', '2026-10-08'],
    ['onto a make-up Saturday', '2026-10-09', '2026-10-10'],
    ['onto a make-up Saturday before Spring Festival', '2026-02-13', '2026-02-14'],
    ['across Spring Festival (02-15..02-23)', '2026-02-14', '2026-02-24'],
  ])('%s: from %s 21:00 to %s 06:30', (_why, from, to) => {
    expect(state(work, at(from, '21:00')).next).toEqual(iv(to, '06:30', to, '08:30'));
  });
  it('a Saturday-only window applies on a make-up Saturday too', () => {
    const sat = makePoint({ windows: [{ from: '06:30', to: '08:30', days: ['sat'] }] });
    expect(state(sat, at('2026-02-14', '07:00')).open).toBe(true);
    expect(state(work, at('2026-10-01', '07:00')).open).toBe(false);
  });
  it('merges touching windows, so inside them `next` is the opening after, not "now"', () => {
    const p = makePoint({ windows: [{ from: '06:30', to: '08:30' }, { from: '08:30', to: '12:00' }] });
    expect(state(p, at('2026-11-30', '08:00'))).toEqual({ open: true, current: iv('2026-11-30', '06:30', '2026-11-30', '12:00'), next: iv('2026-12-01', '06:30', '2026-12-01', '12:00') });
    expect(mergeIntervals([{ from: 5, to: 9 }, { from: 1, to: 3 }, { from: 3, to: 4 }, { from: 6, to: 7 }])).toEqual([{ from: 1, to: 4 }, { from: 5, to: 9 }]);
  });
  it('is null with nothing in the next 14 days', () => {
    expect(state(makePoint(), at('2026-11-30', '12:00'))).toEqual({ open: false, current: null, next: null });
    const rare = makePoint({ windows: [{ from: '06:30', to: '08:30', days: ['sat'] }] });
    const closures = [0, 1, 2].map((w) => ({ date: addDays('2026-12-05', 7 * w) }));
    expect(state({ ...rare, closures }, at('2026-11-30', '12:00')).next).toBeNull();
    expect(state({ ...rare, closures: closures.slice(0, 1) }, at('2026-11-30', '12:00')).next?.from).toBe(at('2026-12-12', '06:30'));
  });
});

// ---- properties -------------------------------------------------------------------------------
const Y2026 = { min: Date.UTC(2025, 11, 31, 16), max: Date.UTC(2026, 11, 31, 16) - 1 };
const hhmm = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 47 }).map((h) => `${String(Math.floor(h / 2)).padStart(2, '0')}:${h % 2 ? '30' : '00'}`) },
  { weight: 1, arbitrary: fc.constant('24:00') },
);
const windowArb = fc.record(
  { from: hhmm, to: hhmm, days: fc.subarray([...DAY_SPECS], { minLength: 1 }), categories: fc.subarray([...CATEGORIES], { minLength: 1 }) },
  { requiredKeys: ['from', 'to'] },
);
const dateArb = fc.integer({ min: 0, max: 364 }).map((n) => addDays('2026-01-01', n));
const pointArb = fc.record({
  windows: fc.array(windowArb, { maxLength: 4 }),
  lateDrop: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), // mostly windows
  closures: fc.array(dateArb.map((date) => ({ date })), { maxLength: 20 }),
  bins: fc.subarray([...CATEGORIES], { minLength: 1 }).map((cs) => cs.map((c) => ({ id: `b-${c}`, category: c }))),
}).map((p) => makePoint(p));
const specialArb = fc.array(fc.record({ date: dateArb, as: fc.constantFrom('workday' as const, 'restday' as const, 'closed' as const) }), { maxLength: 20 });

/**
 * An independent oracle in local minutes (Shanghai days are 1440 minutes): a window starting on day d
 * covers minutes [from, to) counted from d's midnight, with `to` pushed a day on when to <= from.
 */
function oracleOpen(p: Point, c: WasteCategory, now: number, cal: ReturnType<typeof createWasteCalendar>): boolean {
  const { date: today, minutes } = localParts(now, TZ);
  const min = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  return [0, 1, 2].some((back) => {
    const d = addDays(today, -back);
    if (cal.pointClosed(p, d)) return false;
    const rel = back * 1440 + minutes;
    if (p.lateDrop && rel < 1440) return true;
    return p.windows.some((w) => {
      if ((w.categories && !w.categories.includes(c)) || !cal.matchesDay(w.days, d)) return false;
      const f = min(w.from);
      const t = min(w.to) <= f ? min(w.to) + 1440 : min(w.to);
      return f <= rel && rel < t;
    });
  });
}

describe('properties over 2026 and random windows', () => {
  it('open matches the oracle and current; current contains now; next is after now and after current', () => {
    fc.assert(
      fc.property(pointArb, specialArb, fc.integer(Y2026), (p, specialDays, now) => {
        const cal = createWasteCalendar({ holidays: CN, specialDays, tz: TZ });
        const ps = pointState(p, now, cal, TZ);
        let any = false;
        for (const c of new Set(p.bins.map((b) => b.category))) {
          const s = ps.categories[c]!;
          expect(s.open).toBe(oracleOpen(p, c, now, cal));
          expect(s.open).toBe(s.current !== null);
          if (s.current) expect(s.current.from <= now && now < s.current.to).toBe(true);
          if (s.next) expect(s.next.from).toBeGreaterThan(s.current ? s.current.to : now);
          if (s.next) expect(s.next.from - now).toBeLessThanOrEqual(16 * DAY);
          any ||= s.open;
        }
        expect(ps.open).toBe(any);
        expect(Object.keys(ps.categories).length).toBe(new Set(p.bins.map((b) => b.category)).size);
      }),
      { numRuns: 300 },
    );
  });

  it('nothing opens between now and next.from, and everything is open in current', () => {
    fc.assert(
      fc.property(pointArb, fc.integer(Y2026), fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 1, maxLength: 4 }), (p, now, fractions) => {
        const c = p.bins[0]!.category;
        const s = categoryState(p, c, now, calendar, TZ);
        const span = s.current ? s.current : s.next ? { from: now, to: s.next.from } : { from: now, to: now + 3 * DAY };
        for (const f of fractions) {
          const t = Math.min(span.to - 1, span.from + Math.floor(f * (span.to - span.from)));
          expect(categoryState(p, c, t, calendar, TZ).open, new Date(t).toISOString()).toBe(s.open);
          expect(oracleOpen(p, c, t, calendar)).toBe(s.open);
        }
        if (s.next) expect(categoryState(p, c, s.next.from, calendar, TZ).open).toBe(true);
        if (s.next) expect(categoryState(p, c, s.next.from - 1, calendar, TZ).open).toBe(false);
        expect(Math.floor((s.next?.from ?? 0) / MIN) * MIN).toBe(s.next?.from ?? 0); // openings fall on whole minutes
      }),
      { numRuns: 200 },
    );
  });
});
