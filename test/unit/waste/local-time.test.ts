import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, hhmmToMinutes, localParts, localToEpoch, parseDate, weekdayOf } from '../../../src/waste/local-time.js';

const SH = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
const Y2026 = { min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) - 1 };

describe('localParts', () => {
  it.each([
    { name: '16:00Z is local midnight in Shanghai', t: Date.UTC(2026, 10, 27, 16, 0), expected: { date: '2026-11-28', weekday: 'sat', minutes: 0 } },
    { name: 'a millisecond earlier is still Friday', t: Date.UTC(2026, 10, 27, 16, 0) - 1, expected: { date: '2026-11-27', weekday: 'fri', minutes: 1439 } },
    { name: '22:30Z is 06:30 next day', t: Date.UTC(2026, 10, 29, 22, 30), expected: { date: '2026-11-30', weekday: 'mon', minutes: 390 } },
    { name: 'new year in Shanghai before UTC', t: Date.UTC(2025, 11, 31, 16, 0), expected: { date: '2026-01-01', weekday: 'thu', minutes: 0 } },
  ])('$name', ({ t, expected }) => {
    expect(localParts(t, SH)).toEqual(expected);
  });

  it('follows the Berlin spring-forward jump: 01:59 CET is followed by 03:00 CEST', () => {
    expect(localParts(Date.UTC(2026, 2, 29, 0, 59), BERLIN)).toEqual({ date: '2026-03-29', weekday: 'sun', minutes: 119 });
    expect(localParts(Date.UTC(2026, 2, 29, 1, 0), BERLIN)).toEqual({ date: '2026-03-29', weekday: 'sun', minutes: 180 });
  });
});

describe('localToEpoch', () => {
  it.each([
    { date: '2026-11-28', minutes: 0, expected: Date.UTC(2026, 10, 27, 16, 0) },
    { date: '2026-11-28', minutes: 390, expected: Date.UTC(2026, 10, 27, 22, 30) },
    { date: '2026-11-28', minutes: 1439, expected: Date.UTC(2026, 10, 28, 15, 59) },
    { date: '2026-11-28', minutes: 1440, expected: Date.UTC(2026, 10, 28, 16, 0) },
    { date: '2026-12-31', minutes: 1440, expected: Date.UTC(2026, 11, 31, 16, 0) },
  ])('$date + $minutes min in Shanghai', ({ date, minutes, expected }) => {
    expect(localToEpoch(date, minutes, SH)).toBe(expected);
  });

  it('knows the Berlin spring-forward day has 23 hours and the fall-back day 25', () => {
    expect(localToEpoch('2026-03-29', 0, BERLIN)).toBe(Date.UTC(2026, 2, 28, 23, 0));
    expect(localToEpoch('2026-03-29', 180, BERLIN)).toBe(Date.UTC(2026, 2, 29, 1, 0));
    expect(localToEpoch('2026-03-29', 1440, BERLIN) - localToEpoch('2026-03-29', 0, BERLIN)).toBe(23 * 3_600_000);
    expect(localToEpoch('2026-10-25', 1440, BERLIN) - localToEpoch('2026-10-25', 0, BERLIN)).toBe(25 * 3_600_000);
    // A wall time inside the skipped hour moves forward by the jump.
    expect(localToEpoch('2026-03-29', 150, BERLIN)).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('rejects bad input', () => {
    expect(() => localToEpoch('2026-02-30', 0, SH)).toThrow(/not a date/);
    expect(() => localToEpoch('2026-11-28', 1441, SH)).toThrow(/minutes/);
    expect(() => localToEpoch('2026-11-28', 1.5, SH)).toThrow(/minutes/);
  });
});

describe('date helpers', () => {
  it.each([
    ['2026-11-28', 1, '2026-11-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('addDays(%s, %i) = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it.each([
    ['2026-02-14', 'sat'],
    ['2026-10-01', 'thu'],
    ['2026-11-30', 'mon'],
  ])('weekdayOf(%s) = %s', (date, expected) => {
    expect(weekdayOf(date)).toBe(expected);
  });

  it('parses HH:MM, with 24:00 as the end of the day', () => {
    expect(hhmmToMinutes('00:00')).toBe(0);
    expect(hhmmToMinutes('06:30')).toBe(390);
    expect(hhmmToMinutes('24:00')).toBe(1440);
    for (const bad of ['24:01', '7:30', '12:60', 'noon']) expect(() => hhmmToMinutes(bad)).toThrow(/HH:MM/);
    expect(() => parseDate('2026-13-01')).toThrow(/not a date/);
  });
});

describe('properties', () => {
  it('localToEpoch(localParts(t)) is t floored to the minute (Shanghai, 2026)', () => {
    fc.assert(
      fc.property(fc.integer(Y2026), (t) => {
        const p = localParts(t, SH);
        expect(localToEpoch(p.date, p.minutes, SH)).toBe(t - (t % 60_000));
        expect(p.weekday).toBe(weekdayOf(p.date));
      }),
    );
  });

  it('in Berlin the round trip holds except in the repeated fall-back hour', () => {
    const repeated = (t: number) => t >= Date.UTC(2026, 9, 25, 0) && t < Date.UTC(2026, 9, 25, 1);
    fc.assert(
      fc.property(fc.integer(Y2026), (t) => {
        const p = localParts(t, BERLIN);
        const back = localToEpoch(p.date, p.minutes, BERLIN);
        expect(back === t - (t % 60_000) || (repeated(t) && back === t - (t % 60_000) + 3_600_000)).toBe(true);
      }),
    );
    // The first 02:30 (CEST) comes back as the second one (CET), an hour later.
    const first = Date.UTC(2026, 9, 25, 0, 30);
    expect(localToEpoch(localParts(first, BERLIN).date, localParts(first, BERLIN).minutes, BERLIN)).toBe(first + 3_600_000);
  });

  it('a local date and minute survive the trip through epoch ms, and midnight 1440 is the next day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 1439 }), (n, minutes) => {
        const date = addDays('2026-01-01', n);
        const p = localParts(localToEpoch(date, minutes, SH), SH);
        expect({ date: p.date, minutes: p.minutes }).toEqual({ date, minutes });
        expect(localParts(localToEpoch(date, 1440, SH), SH)).toMatchObject({ date: addDays(date, 1), minutes: 0 });
      }),
    );
  });

  it('addDays is invertible and a week keeps the weekday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: -800, max: 800 }), (n, k) => {
        const date = addDays('2020-01-01', n);
        expect(addDays(addDays(date, k), -k)).toBe(date);
        expect(weekdayOf(addDays(date, 7 * k))).toBe(weekdayOf(date));
      }),
    );
  });
});
