import { describe, expect, it } from 'vitest';
import { cancelOffered, checkInOffered, localDay, timeRange } from '../../../kiosk-ui/src/screens/health/event-time.js';

/** Event times on the kiosk are the site's (Shanghai), whatever zone the panel or CI runs in. */
const TZ = 'Asia/Shanghai';
const H = 3_600_000;
// Monday 2026-11-23 23:30 in Shanghai = 15:30 UTC: a late hour, where "today" differs between zones.
const NOW = Date.UTC(2026, 10, 23, 15, 30);

describe('localDay', () => {
  it('counts days in the site zone, not UTC', () => {
    expect(localDay(NOW, TZ, NOW)).toEqual({ year: 2026, month: 11, day: 23, weekday: 0, fromToday: 0 });
    // 00:30 Tuesday in Shanghai is still Monday in UTC: it is tomorrow for the lounge.
    expect(localDay(NOW + H, TZ, NOW)).toMatchObject({ day: 24, weekday: 1, fromToday: 1 });
    expect(localDay(NOW - 24 * H, TZ, NOW)).toMatchObject({ day: 22, weekday: 6, fromToday: -1 });
  });

  it('crosses month and year ends', () => {
    const dec31 = Date.UTC(2026, 11, 31, 4); // 12:00 Thursday 31 Dec in Shanghai
    expect(localDay(dec31 + 24 * H, TZ, dec31)).toEqual({ year: 2027, month: 1, day: 1, weekday: 4, fromToday: 1 });
  });
});

describe('timeRange', () => {
  it('is HH:MM–HH:MM in the site zone', () => {
    expect(timeRange(Date.UTC(2026, 10, 25, 2), Date.UTC(2026, 10, 25, 4, 30), TZ)).toBe('10:00–12:30');
  });
});

describe('which actions an event offers', () => {
  const e = { startsAt: NOW + 3 * H, endsAt: NOW + 5 * H, cancelled: false };
  it('offers check-in from two hours before the start until the end', () => {
    expect(checkInOffered(e, NOW)).toBe(false);
    expect(checkInOffered(e, NOW + H)).toBe(true);
    expect(checkInOffered(e, NOW + 5 * H - 1)).toBe(true);
    expect(checkInOffered(e, NOW + 5 * H)).toBe(false);
    expect(checkInOffered({ ...e, cancelled: true }, NOW + H)).toBe(false);
  });

  it('offers cancelling until the start', () => {
    expect(cancelOffered(e, NOW + 3 * H - 1)).toBe(true);
    expect(cancelOffered(e, NOW + 3 * H)).toBe(false);
    expect(cancelOffered({ ...e, cancelled: true }, NOW)).toBe(false);
  });
});
