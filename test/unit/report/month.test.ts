import { describe, expect, it } from 'vitest';
import { isFutureMonth, isMonth, monthOf, nextMonth, reportMonth } from '../../../src/report/month.js';

/** Local calendar months of the site's zone as [from, to) instants. */
const SH = 'Asia/Shanghai';

describe('report months', () => {
  it('start and end at local midnight, and list every local date', () => {
    const nov = reportMonth('2026-11', SH);
    expect(nov.from).toBe(Date.UTC(2026, 9, 31, 16)); // 2026-11-01 00:00 in Shanghai
    expect(nov.to).toBe(Date.UTC(2026, 10, 30, 16));
    expect(nov.dates).toHaveLength(30);
    expect(nov.dates[0]).toBe('2026-11-01');
    expect(nov.dates.at(-1)).toBe('2026-11-30');
    expect(reportMonth('2028-02', SH).dates).toHaveLength(29);
    expect(reportMonth('2026-12', SH).to).toBe(Date.UTC(2026, 11, 31, 16));
  });

  it('follow a zone with daylight saving time (a March in Berlin is an hour short)', () => {
    const march = reportMonth('2026-03', 'Europe/Berlin');
    expect(march.to - march.from).toBe(31 * 86_400_000 - 3_600_000);
  });

  it('accept only YYYY-MM with a real month', () => {
    for (const ok of ['2026-01', '2026-12']) expect(isMonth(ok)).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', '', 202611]) expect(isMonth(bad)).toBe(false);
    expect(() => reportMonth('2026-13', SH)).toThrow(/YYYY-MM/);
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-09')).toBe('2026-10');
  });

  it('the future begins with the next local month', () => {
    const lateOnOct31 = Date.UTC(2026, 9, 31, 15, 59); // 23:59 local on 31 October
    expect(monthOf(lateOnOct31, SH)).toBe('2026-10');
    expect(isFutureMonth('2026-11', lateOnOct31, SH)).toBe(true);
    expect(isFutureMonth('2026-11', lateOnOct31 + 60_000, SH)).toBe(false);
    expect(isFutureMonth('2026-10', lateOnOct31, SH)).toBe(false);
    expect(isFutureMonth('2027-01', lateOnOct31, SH)).toBe(true);
  });
});
