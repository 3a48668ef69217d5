import { describe, expect, it } from 'vitest';
import { closesBetween, isOpen, localHourStart, loungeHours, nextCloseAfter, nextOpenAfter, session } from '../../../src/lounge/hours.js';
import { localToEpoch } from '../../../src/waste/local-time.js';

const SH = 'Asia/Shanghai';
const day = loungeHours({ open: '08:30', close: '20:30' }, SH);
const night = loungeHours({ open: '18:00', close: '02:00' }, SH);
const local = (date: string, hhmm: string, tz = SH) => localToEpoch(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), tz);

describe('lounge hours', () => {
  it.each([
    { name: 'before opening', t: local('2026-11-30', '08:29'), hours: day, open: false },
    { name: 'at opening', t: local('2026-11-30', '08:30'), hours: day, open: true },
    { name: 'a minute before closing', t: local('2026-11-30', '20:29'), hours: day, open: true },
    { name: 'at closing', t: local('2026-11-30', '20:30'), hours: day, open: false },
    { name: 'night lounge after midnight', t: local('2026-12-01', '01:59'), hours: night, open: true },
    { name: 'night lounge at its closing', t: local('2026-12-01', '02:00'), hours: night, open: false },
    { name: 'night lounge in the afternoon', t: local('2026-12-01', '17:59'), hours: night, open: false },
  ])('open: $name', ({ t, hours, open }) => {
    expect(isOpen(t, hours)).toBe(open);
  });

  it('labels a session that runs past midnight with the day it opened', () => {
    expect(session('2026-11-30', night)).toEqual({ day: '2026-11-30', opensAt: local('2026-11-30', '18:00'), closesAt: local('2026-12-01', '02:00') });
    expect(nextCloseAfter(local('2026-12-01', '01:00'), night)).toMatchObject({ day: '2026-11-30' });
    expect(nextCloseAfter(local('2026-12-01', '02:00'), night)).toMatchObject({ day: '2026-12-01' });
    expect(session('2026-11-30', loungeHours({ open: '08:00', close: '24:00' }, SH)).closesAt).toBe(local('2026-12-01', '00:00'));
  });

  it('lists every closing in (from, to], and the next opening', () => {
    const closes = closesBetween(local('2026-11-30', '20:30'), local('2026-12-02', '20:30'), day);
    expect(closes.map((c) => c.day)).toEqual(['2026-12-01', '2026-12-02']);
    expect(closesBetween(local('2026-11-30', '21:00'), local('2026-11-30', '20:00'), day)).toEqual([]);
    expect(nextOpenAfter(local('2026-11-30', '21:00'), day)).toBe(local('2026-12-01', '08:30'));
    expect(nextOpenAfter(local('2026-11-30', '07:00'), day)).toBe(local('2026-11-30', '08:30'));
  });

  it.each([
    { name: 'Shanghai', tz: SH, t: local('2026-11-30', '10:45') + 17_000, expected: local('2026-11-30', '10:00') },
    { name: 'Kolkata, half-hour offset', tz: 'Asia/Kolkata', t: Date.UTC(2026, 10, 30, 5, 15, 30), expected: Date.UTC(2026, 10, 30, 4, 30) },
    { name: 'Kathmandu, quarter-hour offset', tz: 'Asia/Kathmandu', t: Date.UTC(2026, 10, 30, 5, 10), expected: Date.UTC(2026, 10, 30, 4, 15) },
    // Berlin, 25 October 2026: 02:00–02:59 happens twice; each keeps its own hour.
    { name: 'Berlin, first 02:30 (CEST)', tz: 'Europe/Berlin', t: Date.UTC(2026, 9, 25, 0, 30), expected: Date.UTC(2026, 9, 25, 0, 0) },
    { name: 'Berlin, second 02:30 (CET)', tz: 'Europe/Berlin', t: Date.UTC(2026, 9, 25, 1, 30), expected: Date.UTC(2026, 9, 25, 1, 0) },
  ])('local hour start: $name', ({ tz, t, expected }) => {
    expect(localHourStart(t, tz)).toBe(expected);
  });
});
