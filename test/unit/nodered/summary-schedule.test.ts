import { describe, expect, it } from 'vitest';
import { dayBounds, summaryDue } from '../../../src/nodered/summary-schedule.js';

const TZ = 'Asia/Shanghai';
/** Local Shanghai time (UTC+8) on 30 November 2026 or a later day. */
const local = (day: number, h: number, m = 0, s = 0) => Date.UTC(2026, 10, day, h - 8, m, s);

describe('summaryDue: once a day from 21:00 until midnight, local time', () => {
  it('is not due before 21:00, due from 21:00 to 23:59 for that date', () => {
    expect(summaryDue({ now: local(30, 20, 59, 59), tz: TZ, lastSent: '2026-11-29', trusted: true })).toBeUndefined();
    expect(summaryDue({ now: local(30, 21, 0, 0), tz: TZ, lastSent: '2026-11-29', trusted: true })).toBe('2026-11-30');
    expect(summaryDue({ now: local(30, 23, 59, 59), tz: TZ, lastSent: undefined, trusted: true })).toBe('2026-11-30');
  });

  it('is sent once: not again that evening, nor after a clock that went back', () => {
    expect(summaryDue({ now: local(30, 21, 30), tz: TZ, lastSent: '2026-11-30', trusted: true })).toBeUndefined();
    expect(summaryDue({ now: local(29, 22, 0), tz: TZ, lastSent: '2026-11-30', trusted: true })).toBeUndefined();
  });

  it('a service down at 21:00 does not send yesterday’s summary the next morning, only that evening’s', () => {
    // down from 20:00 on the 30th until 08:00 on 1 December
    expect(summaryDue({ now: local(31, 8, 0), tz: TZ, lastSent: '2026-11-29', trusted: true })).toBeUndefined();
    expect(summaryDue({ now: local(31, 21, 0), tz: TZ, lastSent: '2026-11-29', trusted: true })).toBe('2026-12-01');
  });

  it('sends nothing while the clock is not trusted', () => {
    expect(summaryDue({ now: local(30, 21, 5), tz: TZ, lastSent: undefined, trusted: false })).toBeUndefined();
  });

  it('a local day is midnight to midnight in the site’s zone', () => {
    expect(dayBounds('2026-11-30', TZ)).toEqual({ from: local(30, 0), to: local(31, 0) });
  });
});
