import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_SPECS } from '../../../src/config/schema.js';
import { createWasteCalendar, HOLIDAYS_DIR, loadHolidays, parseHolidayFile } from '../../../src/waste/calendar.js';
import { addDays, weekdayOf } from '../../../src/waste/local-time.js';
import { calendar, CN, makePoint, TZ } from './fixtures.js';

describe('loadHolidays', () => {
  it('reads the shipped 2026 file', () => {
    expect(CN.years).toContain(2026);
    expect(CN.off.get('2026-10-01')).toEqual({ zh: '国庆节', en: 'National Day' });
    expect(CN.work.get('2026-02-14')?.en).toBe('Spring Festival');
  });

  it('ships only make-up workdays that fall on a weekend (otherwise the entry is a typo)', () => {
    for (const d of CN.work.keys()) expect(['sat', 'sun'], d).toContain(weekdayOf(d));
  });

  it("'none' has no official days", () => {
    const none = loadHolidays('none');
    expect([none.years.length, none.off.size, none.work.size]).toEqual([0, 0, 0]);
  });

  const name = '{ zh: 节, en: Fest }';
  it.each([
    { why: 'broken YAML', text: 'year: [2026', error: /not valid YAML/ },
    { why: 'no year', text: 'holidays: []', error: /"year"/ },
    { why: 'no holiday list', text: 'year: 2026', error: /"holidays"/ },
    { why: 'a holiday without name', text: 'year: 2026\nholidays: [{ off: { from: 2026-10-01, to: 2026-10-07 } }]', error: /holidays\[0\]\.name/ },
    { why: 'no off range', text: `year: 2026\nholidays: [{ name: ${name} }]`, error: /holidays\[0\]\.off/ },
    { why: 'an impossible date', text: `year: 2026\nholidays: [{ name: ${name}, off: { from: 2026-02-30, to: 2026-03-01 } }]`, error: /off\.from.*2026-02-30/ },
    { why: 'a date far from the year', text: `year: 2026\nholidays: [{ name: ${name}, off: { from: 2028-10-01, to: 2028-10-02 } }]`, error: /near 2026/ },
    { why: 'a reversed range', text: `year: 2026\nholidays: [{ name: ${name}, off: { from: 2026-10-07, to: 2026-10-01 } }]`, error: /not a range/ },
    { why: 'a range of months', text: `year: 2026\nholidays: [{ name: ${name}, off: { from: 2026-10-01, to: 2026-12-07 } }]`, error: /not a range/ },
    { why: 'work not a list', text: `year: 2026\nholidays: [{ name: ${name}, off: { from: 2026-10-01, to: 2026-10-02 }, work: 2026-10-10 }]`, error: /work must be a list/ },
    { why: 'a bad work date', text: `year: 2026\nholidays: [{ name: ${name}, off: { from: 2026-10-01, to: 2026-10-02 }, work: [10-10] }]`, error: /work\[0\]/ },
    { why: 'a day both off and work', text: `year: 2026\nholidays: [{ name: ${name}, off: { from: 2026-10-01, to: 2026-10-02 }, work: [2026-10-02] }]`, error: /both/ },
  ])('rejects a file with $why, naming the file', ({ text, error }) => {
    expect(() => parseHolidayFile(text, 'cn-2026.yaml')).toThrow(error);
    expect(() => parseHolidayFile(text, 'cn-2026.yaml')).toThrow(/holiday file cn-2026\.yaml/);
  });

  it('rejects a directory with a bad or misnamed file, or none at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tx-holidays-'));
    expect(() => loadHolidays('cn', dir)).toThrow(/no holiday files/);
    writeFileSync(join(dir, 'cn-2027.yaml'), 'year: 2026\nholidays: []\n');
    expect(() => loadHolidays('cn', dir)).toThrow(/cn-2027\.yaml.*year 2026/);
    writeFileSync(join(dir, 'cn-2027.yaml'), 'year: 2027\nholidays: {}\n');
    expect(() => loadHolidays('cn', dir)).toThrow(/cn-2027\.yaml: needs "holidays"/);
    writeFileSync(join(dir, 'cn-2027.yaml'), 'year: 2027\nholidays: []\n');
    writeFileSync(join(dir, 'notes.yaml'), 'not: a holiday file\n'); // ignored: not cn-YYYY.yaml
    expect(loadHolidays('cn', dir).years).toEqual([2027]);
    expect(loadHolidays('cn', HOLIDAYS_DIR).years).toEqual(CN.years);
  });
});

describe('dayType with the official calendar', () => {
  it.each([
    ['2026-02-14', 'workday', 'Saturday, make-up workday for Spring Festival'],
    ['2026-02-16', 'restday', 'Monday in Spring Festival'],
    ['2026-10-01', 'restday', 'Thursday, National Day'],
    ['2026-10-10', 'workday', 'Saturday, make-up workday'],
    ['2026-01-04', 'workday', 'Sunday, make-up workday'],
    ['2026-11-28', 'restday', 'ordinary Saturday'],
    ['2026-11-29', 'restday', 'ordinary Sunday'],
    ['2026-11-30', 'workday', 'ordinary Monday'],
  ])('%s is a %s (%s)', (date, expected) => {
    expect(calendar.dayType(date)).toBe(expected);
  });

  it("with holidays 'none' only the weekday counts", () => {
    const plain = createWasteCalendar({ holidays: loadHolidays('none'), specialDays: [], tz: TZ });
    expect(plain.dayType('2026-02-14')).toBe('restday');
    expect(plain.dayType('2026-10-01')).toBe('workday');
  });
});

describe('special days', () => {
  const cal = createWasteCalendar({
    holidays: CN,
    tz: TZ,
    specialDays: [
      { date: '2026-11-28', as: 'workday' },
      { date: '2026-02-14', as: 'restday' },
      { date: '2026-12-02', as: 'closed', reason: { zh: '社区活动', en: 'community event' } },
      { date: '2026-12-03', as: 'closed' },
    ],
  });

  it('override the official calendar', () => {
    expect(cal.dayType('2026-11-28')).toBe('workday');
    expect(cal.dayType('2026-02-14')).toBe('restday');
    expect(cal.dayType('2026-10-01')).toBe('restday'); // untouched
  });

  it("'closed' closes the site and every point, with a reason, but keeps the day's type", () => {
    expect(cal.siteClosed('2026-12-02')).toEqual({ zh: '社区活动', en: 'community event' });
    expect(cal.siteClosed('2026-12-03')?.en).toBe('closed');
    expect(cal.siteClosed('2026-12-01')).toBeUndefined();
    expect(cal.dayType('2026-12-02')).toBe('workday');
    expect(cal.pointClosed(makePoint(), '2026-12-02')?.en).toBe('community event');
  });

  it('a point closure closes that point only', () => {
    const closed = makePoint({ closures: [{ date: '2026-12-01', reason: { zh: '维修', en: 'repairs' } }, { date: '2026-12-04' }] });
    expect(cal.pointClosed(closed, '2026-12-01')?.en).toBe('repairs');
    expect(cal.pointClosed(closed, '2026-12-04')?.en).toBe('closed');
    expect(cal.pointClosed(makePoint(), '2026-12-01')).toBeUndefined();
    expect(cal.siteClosed('2026-12-01')).toBeUndefined();
  });

  it('always win, for any date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.constantFrom('workday' as const, 'restday' as const), (n, as) => {
        const date = addDays('2026-01-01', n);
        expect(createWasteCalendar({ holidays: CN, specialDays: [{ date, as }], tz: TZ }).dayType(date)).toBe(as);
      }),
    );
  });
});

describe('matchesDay', () => {
  it.each([
    { spec: ['workday'] as const, date: '2026-02-14', expected: true },
    { spec: ['workday'] as const, date: '2026-10-01', expected: false },
    { spec: ['restday'] as const, date: '2026-10-01', expected: true },
    { spec: ['sat'] as const, date: '2026-02-14', expected: true }, // a make-up Saturday is still a Saturday
    { spec: ['thu'] as const, date: '2026-10-01', expected: true },
    { spec: ['mon', 'thu'] as const, date: '2026-11-30', expected: true },
    { spec: ['mon', 'thu'] as const, date: '2026-11-28', expected: false },
    { spec: undefined, date: '2026-10-01', expected: true },
  ])('$spec on $date → $expected', ({ spec, date, expected }) => {
    expect(calendar.matchesDay(spec, date)).toBe(expected);
  });

  it('matches a weekday spec by weekday and a day-type spec by dayType (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.subarray([...DAY_SPECS], { minLength: 1 }), (n, spec) => {
        const date = addDays('2026-01-01', n);
        const expected = spec.includes(weekdayOf(date)) || spec.includes(calendar.dayType(date));
        expect(calendar.matchesDay(spec, date)).toBe(expected);
      }),
    );
  });
});
